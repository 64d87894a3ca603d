from django.conf import settings
from django.core.management.base import BaseCommand

from equitime.jobs.worker import Worker


class Command(BaseCommand):
    help = (
        "Run background work: queued tasks (e-mail) and the periodic schedule "
        "(auto-confirm, listing expiry and warnings, message retention, SQLite upkeep). "
        "Run as many as you like, on as many machines: each task runs once, and each "
        "periodic job once per period. Stops gracefully on SIGTERM or Ctrl-C. With "
        "--burst, runs what is due and exits (for tests, or to drive it from cron)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--burst",
            "--once",
            action="store_true",
            dest="burst",
            help="Run the periodic jobs that are due and every ready task, then exit.",
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=None,
            help="Seconds to wait when idle (default: EQUITIME_WORKER_INTERVAL).",
        )
        parser.add_argument("--name", default=None, help="This worker's name in the records.")

    def handle(self, *args, burst, interval, name, **options):
        worker = Worker(
            interval=settings.EQUITIME_WORKER_INTERVAL if interval is None else interval,
            burst=burst,
            name=name,
        )
        if burst:
            jobs, tasks = worker.run_once()
            self.stdout.write(f"Ran {jobs} periodic job(s) and {tasks} task(s).")
            return
        worker.handle_signals()
        worker.run()

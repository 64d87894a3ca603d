"""The loop behind `equitime worker`: the periodic schedule, then queued tasks, then a wait.

Queued tasks are claimed and run by django-tasks-db's own worker (``SELECT …
FOR UPDATE SKIP LOCKED`` on PostgreSQL, an exclusive transaction on SQLite),
so any number of workers share one queue; the schedule is shared through
``PeriodicRun`` rows. SIGTERM or SIGINT lets the task or job in hand finish,
then stops; a second Ctrl-C stops at once.
"""

import logging
import os
import signal
import socket
import sys
import threading
from collections.abc import Callable
from datetime import datetime

from django.db import OperationalError, close_old_connections
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS
from django_tasks_db.management.commands.db_worker import Worker as TaskRunner
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from equitime.jobs.schedule import SCHEDULE, Job
from equitime.jobs.services import periodic_jobs_run_due

logger = logging.getLogger(__name__)

# Tasks run between two looks at the schedule, so a long queue does not hold up
# a job that falls due.
TASKS_PER_ROUND = 100


def worker_name() -> str:
    """host:pid and a random suffix: unique across machines, readable in the admin."""
    return f"{socket.gethostname()}:{os.getpid()}:{get_random_string(6)}"[:64]


class Worker:
    def __init__(
        self,
        *,
        interval: float,
        burst: bool = False,
        name: str | None = None,
        schedule: tuple[Job, ...] = SCHEDULE,
        backend_name: str = DEFAULT_TASK_BACKEND_ALIAS,
        clock: Callable[[], datetime] = timezone.now,
    ):
        self.interval = interval
        self.burst = burst
        self.name = name or worker_name()
        self.schedule = schedule
        self.clock = clock
        self.running = True
        self._interrupted = False
        self._wake = threading.Event()
        self.backend_name = backend_name
        # django-tasks-db's worker runs each task we claim and records its result.
        self.runner = TaskRunner(
            queue_names=["*"],
            excluded_queue_names=[],
            interval=0,
            batch=True,
            backend_name=backend_name,
            startup_delay=False,
            max_tasks=None,
            worker_id=self.name,
        )

    def stop(self, signum: int, frame) -> None:
        # Ctrl-C twice stops at once. A repeated SIGTERM does not: process
        # managers (and `make run`) send it after Ctrl-C, then SIGKILL if need be.
        if signum == signal.SIGINT:
            if self._interrupted:
                logger.warning("Second Ctrl-C: stopping now.")
                sys.exit(1)
            self._interrupted = True
        logger.warning("%s: stopping after the work in hand.", signal.strsignal(signum))
        self.running = False
        self._wake.set()

    def handle_signals(self) -> None:
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, self.stop)

    def _claim_task(self) -> DBTaskResult | None:
        ready = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        with exclusive_transaction(ready.db):
            try:
                task_result = ready.get_locked()
            except OperationalError as error:
                if is_locked_database_exception(error):
                    return None  # SQLite busy with another writer: next round
                raise
            if task_result is not None:
                task_result.claim(self.name)
        return task_result

    def run_tasks(self, *, limit: int) -> int:
        """Run ready tasks, one at a time, up to ``limit``; return how many ran."""
        done = 0
        while self.running and done < limit:
            task_result = self._claim_task()
            if task_result is None:
                break
            self.runner.run_task(task_result)
            done += 1
        return done

    def run_once(self) -> tuple[int, int]:
        """Run the jobs that are due, then up to a round of ready tasks (in
        burst mode, every ready task). Returns how many of each ran."""
        jobs = len(
            periodic_jobs_run_due(worker=self.name, now=self.clock(), schedule=self.schedule)
        )
        tasks = 0
        while self.running:
            ran = self.run_tasks(limit=TASKS_PER_ROUND)
            tasks += ran
            if ran < TASKS_PER_ROUND or not self.burst:
                break
        return jobs, tasks

    def run(self) -> None:
        """Loop until stopped: a round, then a wait when the round found no task."""
        logger.info("Worker %s started", self.name)
        while self.running:
            # As Django does around each request: drop a connection that broke
            # or outlived CONN_MAX_AGE while the worker waited.
            close_old_connections()
            try:
                _, tasks = self.run_once()
            except Exception:
                # The database went away, say: log it, wait, and try again.
                logger.exception("Worker round failed; trying again shortly")
                close_old_connections()
                tasks = 0
            if self.running and not tasks:
                self._wake.wait(self.interval)
        logger.info("Worker %s stopped", self.name)

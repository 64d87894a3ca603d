from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from equitime.core.retention import retention_periods
from equitime.jobs.retention import RetentionFailed, retention_apply


class Command(BaseCommand):
    help = (
        "Apply every retention period in EQUITIME_RETENTION (UK GDPR storage "
        "limitation): delete old messages, notifications, idempotency records, "
        "lapsed invitations and API tokens; blank old audit IP addresses; remove "
        "the text of long-closed listings; warn, then close, dormant accounts. "
        "Prints what was done per kind. Safe to run from cron once a day; the "
        "worker runs it daily. With --dry-run, only counts what would be done."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what is due, and change nothing."
        )

    def handle(self, *args, **options):
        dry_run = options["dry_run"]
        try:
            periods = retention_periods()
            outcomes = retention_apply(dry_run=dry_run)
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from error
        except RetentionFailed as failure:
            for outcome in failure.outcomes:
                self.stdout.write(outcome.line(dry_run=dry_run))
            raise CommandError("Some retention rules failed; see above.") from failure
        if dry_run:
            self.stdout.write("Dry run: nothing was changed.")
        for outcome in outcomes:
            self.stdout.write(outcome.line(dry_run=dry_run))
        self.stdout.write(
            "Periods: " + ", ".join(f"{period.key} {period.days} days" for period in periods)
        )

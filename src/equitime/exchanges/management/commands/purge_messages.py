from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from equitime.core.retention import retention_days
from equitime.exchanges.retention import (
    message_purge_expired,
    message_retention_cutoff,
    messages_expired,
)


class Command(BaseCommand):
    help = (
        "Delete the messages of finished exchanges (completed, declined, cancelled "
        "or closed without credits) once the exchange ended and the message was "
        "written more than EQUITIME_RETENTION['messages_days'] days ago (set by "
        "EQUITIME_MESSAGE_RETENTION_DAYS; UK GDPR storage limitation). Exchanges "
        "in progress or disputed keep their messages; the "
        "exchanges themselves, thanks, reflections and the ledger are not touched. "
        "Safe to run from cron once a day: a run with nothing due changes nothing. "
        "With --dry-run, only counts what would be deleted."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Count the messages that would be deleted, and delete nothing.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        try:
            cutoff = message_retention_cutoff(now=now)
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from error
        days = retention_days("messages")
        if options["dry_run"]:
            count = messages_expired(cutoff=cutoff).count()
            verb = "Would remove"
        else:
            count = message_purge_expired(now=now)
            verb = "Removed"
        self.stdout.write(
            f"{verb} {count} message(s) of exchanges that finished more than {days} days "
            f"ago (cutoff {cutoff.isoformat(timespec='seconds')})."
        )

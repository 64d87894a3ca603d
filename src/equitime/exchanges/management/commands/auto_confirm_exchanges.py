from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from equitime.exchanges.services import exchanges_auto_confirm_due


class Command(BaseCommand):
    help = (
        "Confirm exchanges whose hours were logged more than EQUITIME_AUTO_CONFIRM_DAYS "
        "days ago and that the receiver has neither confirmed nor disputed; the "
        "credits move and both members are told. Safe to run from cron every few "
        "minutes: a confirmed exchange is never confirmed twice. Problems (for "
        "example, too few credits to pay more hours than were held) are printed and "
        "left for the members to settle; they do not make the command fail."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        confirmed, problems = exchanges_auto_confirm_due()
        days = settings.EQUITIME_AUTO_CONFIRM_DAYS
        self.stdout.write(f"Confirmed {confirmed} exchange(s) automatically after {days} days.")
        if problems:
            self.stdout.write(self.style.WARNING(f"{len(problems)} could not be confirmed:"))
            for problem in problems:
                self.stdout.write(self.style.WARNING(f"  {problem}"))

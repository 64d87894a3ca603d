"""Rebuild the impact figures now (the worker does it daily: ``impact_figures``)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from equitime.impact.tasks import impact_figures


class Command(BaseCommand):
    help = (
        "Rebuild the impact dashboard's monthly figures and the collaboration network's "
        "links from the ledger."
    )

    def handle(self, *args, **options):
        self.stdout.write(impact_figures(timezone.now()))

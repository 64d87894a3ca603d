"""Rebuild the impact figures now (the worker does it daily: ``impact_figures``)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from equitime.impact.aggregates import aggregates_rebuild


class Command(BaseCommand):
    help = "Rebuild the impact dashboard's monthly figures from the ledger, in one transaction."

    def handle(self, *args, **options):
        result = aggregates_rebuild(now=timezone.now())
        self.stdout.write(result.line())

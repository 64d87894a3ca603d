from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from equitime.listings.expiry import listings_warn_expiring
from equitime.listings.services import listings_expire


class Command(BaseCommand):
    help = (
        "Warn owners of open listings that expire within "
        "EQUITIME_LISTING_EXPIRY_WARNING_DAYS days (once per listing), then mark "
        "listings past their expiry date as expired. Safe to run from cron every few "
        "minutes: each owner is warned once, and an expired listing is left as it is."
    )

    def handle(self, *args, **options):
        now = timezone.now()
        warned = listings_warn_expiring(now=now)
        expired = listings_expire(now=now)
        days = settings.EQUITIME_LISTING_EXPIRY_WARNING_DAYS
        self.stdout.write(f"Warned {warned} listing owner(s) of expiry within {days} days.")
        self.stdout.write(f"Expired {expired} listing(s).")

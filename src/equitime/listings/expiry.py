"""Warning owners before their listings expire (the scheduled half of expiry).

``listings_expire`` in ``services`` closes listings once their date passes;
this module tells the owner a few days before, once per expiry period:
``expiry_warned_at`` records the warning, and renewing clears it.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from equitime.core.notices import notify
from equitime.listings.models import Listing


def listings_warn_expiring(*, now=None) -> int:
    """Notify the owner of each open listing expiring within
    ``EQUITIME_LISTING_EXPIRY_WARNING_DAYS`` days that has not been warned yet.

    Returns how many were warned. Safe to run concurrently and repeatedly: the
    rows are locked and stamped in one transaction, so a second run (or one
    waiting on the lock) finds nothing left to warn; e-mails leave after commit.
    """
    now = now or timezone.now()
    horizon = now + timedelta(days=settings.EQUITIME_LISTING_EXPIRY_WARNING_DAYS)
    warned = 0
    with transaction.atomic():
        due = (
            Listing.objects.select_for_update(of=("self",))
            .select_related("owner__profile")
            .filter(
                status=Listing.Status.OPEN,
                expiry_warned_at__isnull=True,
                expires_at__gt=now,
                expires_at__lte=horizon,
            )
            .order_by("pk")
        )
        for listing in due:
            # The date is put on the owner's calendar when they read it.
            notify(
                recipient=listing.owner,
                kind="listing_expiring",
                params={"title": listing.title, "expires_at": listing.expires_at},
                url=reverse("listing_detail", args=[listing.pk]),
                listing=listing,
            )
            listing.expiry_warned_at = now
            listing.save(update_fields=["expiry_warned_at"])
            warned += 1
    return warned

"""How long closed listings keep their text (``EQUITIME_RETENTION["closed_listings_days"]``).

A closed or expired listing is no longer shown to anyone but its owner; its
title, description, benefit and place are what the owner wrote about
themselves and their work. After the period the text is replaced, as erasure
does (``privacy.services``); the row stays, because exchanges made from it
point at it, and the exchange keeps its own title and benefit.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from equitime.core.retention import retention_cutoff
from equitime.listings.models import Listing
from equitime.listings.search import listing_search_index_rebuild

REMOVED = "[removed]"


def listings_closed_expired(*, now: datetime | None = None) -> QuerySet[Listing]:
    cutoff = retention_cutoff("closed_listings", now=now)
    return Listing.objects.filter(
        Q(status=Listing.Status.CLOSED, closed_at__lt=cutoff)
        | Q(status=Listing.Status.EXPIRED, expires_at__lt=cutoff)
    ).exclude(description=REMOVED)


def listing_closed_anonymise_expired(*, now: datetime | None = None) -> int:
    """Remove the text of listings closed longer than the period; return how many."""
    with transaction.atomic():
        ids = list(listings_closed_expired(now=now).values_list("pk", flat=True))
        if not ids:
            return 0
        done = Listing.objects.filter(pk__in=ids).update(
            title=_("Removed listing"), description=REMOVED, benefit=REMOVED, place="", languages=[]
        )
        listing_search_index_rebuild(queryset=Listing.objects.filter(pk__in=ids))
    return done

"""Reading notifications, and what the moderation queue shows."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import QuerySet

from equitime.community.models import ListingFlag, Notification
from equitime.exchanges.models import Exchange, Status
from equitime.listings.models import Listing
from equitime.members.models import Member

# Far more than a queue ever holds; a page that never ends is worse than a cut.
QUEUE_LIMIT = 500


def unread_count(*, member: Member) -> int:
    return Notification.objects.filter(recipient=member, read_at__isnull=True).count()


def notifications_for_member(*, member: Member) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=member).order_by("-created_at", "-id")


# --- Moderation ---------------------------------------------------------------------


def listing_flag_open_exists(*, listing: Listing, member: Member) -> bool:
    """Whether the member has a flag on this listing waiting for a moderator."""
    return ListingFlag.objects.filter(
        listing=listing, flagged_by=member, status=ListingFlag.Status.OPEN
    ).exists()


@dataclass
class FlaggedListing:
    """One listing in the queue with its open flags, oldest first. A decision
    is asked for on ``first`` and applies to all of them."""

    listing: Listing
    flags: list[ListingFlag] = field(default_factory=list)
    form: Any = None  # the decision form the page draws for it

    @property
    def first(self) -> ListingFlag:
        return self.flags[0]

    @property
    def oldest(self) -> datetime:
        return self.first.created_at

    @property
    def count(self) -> int:
        return len(self.flags)

    @property
    def reasons(self) -> list[str]:
        """Each reason given, once, in the order first given."""
        labels = [flag.get_reason_display() for flag in self.flags]
        return list(dict.fromkeys(labels))


def listings_flagged_open() -> list[FlaggedListing]:
    """Listings with open flags, the longest-waiting first: one query."""
    flags = (
        ListingFlag.objects.filter(status=ListingFlag.Status.OPEN)
        .select_related("listing__owner", "flagged_by")
        .order_by("created_at", "pk")[:QUEUE_LIMIT]
    )
    groups: dict[int, FlaggedListing] = {}
    for flag in flags:
        groups.setdefault(flag.listing_id, FlaggedListing(listing=flag.listing)).flags.append(flag)
    return list(groups.values())


def exchanges_disputed() -> QuerySet[Exchange]:
    """Disputed exchanges for moderators, the longest-waiting first."""
    return (
        Exchange.objects.filter(status=Status.DISPUTED)
        .select_related("provider", "receiver")
        .order_by("disputed_at", "pk")[:QUEUE_LIMIT]
    )


def members_suspended() -> QuerySet[Member]:
    """Suspended members (moderators reinstate them from their profile), newest first."""
    return (
        Member.objects.filter(suspended_at__isnull=False)
        .select_related("suspended_by")
        .order_by("-suspended_at", "-pk")[:QUEUE_LIMIT]
    )


def moderation_waiting_count() -> int:
    """Listings with open flags plus disputed exchanges: what waits for a
    moderator, counted in one query."""
    flagged = (
        ListingFlag.objects.filter(status=ListingFlag.Status.OPEN)
        .order_by()
        .values_list("listing_id")
        .distinct()
    )
    disputed = Exchange.objects.filter(status=Status.DISPUTED).order_by().values_list("pk")
    return flagged.union(disputed, all=True).count()

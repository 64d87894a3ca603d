"""What the moderation queue shows."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from equitime.exchanges.models import Exchange, Status
from equitime.ledger.models import Account, Transfer
from equitime.listings.models import Listing
from equitime.members.models import Member
from equitime.moderation.models import ListingFlag

# Far more than a queue ever holds; a page that never ends is worse than a cut.
QUEUE_LIMIT = 500


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

    def waits_for_another(self, moderator: Member) -> bool:
        """Whether ``moderator`` must leave the decision to another moderator:
        the listing is theirs, or they reported it (the service refuses both)."""
        return self.listing.owner_id == moderator.pk or any(
            flag.flagged_by_id == moderator.pk for flag in self.flags
        )

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


# --- Signals: patterns worth a moderator's look, derived from the ledger --------------

# An account this young whose only credit movements are paying one member looks
# like a second account made for its welcome gift.
NEW_ACCOUNT_DAYS = 30


@dataclass
class PayingOneMember:
    """A new account whose only activity is paying (or giving credits to) one member."""

    payer: Member
    recipient: Member
    minutes: int  # posted, so far
    payments: int
    last_paid_at: datetime
    payers_to_recipient: int = 1  # new accounts like this one paying the same member


def new_accounts_paying_one_member(*, now: datetime | None = None) -> list[PayingOneMember]:
    """Members who joined in the last ``NEW_ACCOUNT_DAYS`` days, have paid or given
    credits to exactly one member and to nobody else (not the pool either),
    have received nothing but their welcome gift, and either paid that member
    at least the whole gift or are one of several new accounts paying them.
    The members most paid by such accounts first: several new accounts feeding
    one member is the strongest sign. Two queries, whatever the size of the
    ledger outside new accounts."""
    since = (now or timezone.now()) - timedelta(days=NEW_ACCOUNT_DAYS)
    received = Transfer.objects.filter(credit_account_id=OuterRef("debit_account_id")).exclude(
        kind__in=[Transfer.Kind.WELCOME_GIFT, Transfer.Kind.REVERSAL]
    )
    rows = list(
        Transfer.objects.filter(
            debit_account__member__date_joined__gte=since,
            kind__in=[Transfer.Kind.DONATION, Transfer.Kind.EXCHANGE],
        )
        .exclude(state=Transfer.State.VOIDED)
        .filter(~Exists(received))
        .values("debit_account_id")
        .annotate(
            recipients=Count("credit_account_id", distinct=True),
            recipient_account_id=Max("credit_account_id"),
            minutes=Sum("amount", filter=Q(state=Transfer.State.POSTED), default=0),
            payments=Count("pk", filter=Q(pending__isnull=True)),
            last_paid_at=Max("created_at"),
        )
        .filter(recipients=1)
        .order_by("-last_paid_at")[:QUEUE_LIMIT]
    )
    ids = {row["debit_account_id"] for row in rows} | {row["recipient_account_id"] for row in rows}
    accounts = Account.objects.filter(pk__in=ids, member__isnull=False).select_related("member")
    members = {account.pk: account.member for account in accounts if account.member is not None}
    found = [
        PayingOneMember(
            payer=members[row["debit_account_id"]],
            recipient=members[row["recipient_account_id"]],
            minutes=row["minutes"],
            payments=row["payments"],
            last_paid_at=row["last_paid_at"],
        )
        for row in rows
        # Paying the pool is no sign, nor is a hold not yet paid.
        if row["recipient_account_id"] in members and row["minutes"] > 0
    ]
    per_recipient: dict[int, int] = {}
    for signal in found:
        per_recipient[signal.recipient.pk] = per_recipient.get(signal.recipient.pk, 0) + 1
    for signal in found:
        signal.payers_to_recipient = per_recipient[signal.recipient.pk]
    # A newcomer's first session paid to one colleague is how everyone starts;
    # the sign is the whole welcome gift paid to one member, or several new
    # accounts feeding the same member.
    found = [
        signal
        for signal in found
        if signal.minutes >= settings.EQUITIME_WELCOME_GIFT_MINUTES
        or signal.payers_to_recipient >= 2
    ]
    found.sort(key=lambda s: (-s.payers_to_recipient, s.recipient.pk, -s.last_paid_at.timestamp()))
    return found


def moderation_waiting_count(*, moderator: Member) -> int:
    """What waits for this moderator, counted in one query: listings with open
    flags plus disputed exchanges, leaving out what they may not decide (their
    own listing, a listing they reported, an exchange they are part of): that
    waits for another moderator."""
    reported_by_them = ListingFlag.objects.filter(
        listing_id=OuterRef("listing_id"), flagged_by=moderator, status=ListingFlag.Status.OPEN
    )
    flagged = (
        ListingFlag.objects.filter(status=ListingFlag.Status.OPEN)
        .exclude(listing__owner=moderator)
        .exclude(Exists(reported_by_them))
        .order_by()
        .values_list("listing_id")
        .distinct()
    )
    disputed = (
        Exchange.objects.filter(status=Status.DISPUTED)
        .exclude(provider=moderator)
        .exclude(receiver=moderator)
        .order_by()
        .values_list("pk")
    )
    return flagged.union(disputed, all=True).count()

"""What each export holds: its columns, its rows, and how they are read.

Each kind is a ``Sheet``: a header, a queryset of *records* (read with
``.iterator(chunk_size=CHUNK)``, bounded by the highest id when the export
began so its count and its rows agree) and a function that turns one record
into one or more CSV rows. The task (``services.export_run_now``) counts the
records for the progress bar and writes the rows.

Columns are chosen for an operator: no password hashes, tokens, secrets or
free text a member wrote to one colleague (messages, reasons, reflections,
bios). The personal data in them, and why, is in ``docs/data-map.md``
("Operators' exports"). Times are ISO 8601 on the requester's clock, with
the offset; amounts are integer minutes beside hours and minutes ("1:30").

The ledger comes three ways:

- ``transfers``: every ledger row as it is (holds, postings, voids);
- ``journal``: the ledger as a double-entry journal. One entry per *posted*
  transfer, in the order they were posted: its date, entry number (the
  transfer's id, so an auditor can find it), reference, description and two
  lines, the account debited and the account credited, each with the amount.
  Holds and voids move no balance, so they are not entries (the trial
  balance shows what is held). A last line totals debits and credits;
- ``trial_balance``: per account (the community pool, then members), the
  total debited and credited by posted transfers, the balance as a debit or a
  credit balance, the signed balance in minutes (what ``ledger`` calls
  ``balance``: credits minus debits) and, as a memorandum, what is held. The last
  line totals them: debits equal credits and the balances sum to zero.

Every text cell passes ``core.csv.csv_safe`` (CSV/formula injection).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import (
    BigIntegerField,
    CharField,
    Count,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from equitime.core.units import MINUTES_PER_CREDIT
from equitime.exchanges.models import Exchange
from equitime.exports.models import Export
from equitime.ledger.models import Account, Transfer
from equitime.listings.models import Listing
from equitime.members.models import Member, Organisation
from equitime.scheduling.models import Seat
from equitime.scheduling.models import Session as ScheduledSession

Kind = Export.Kind
CHUNK = 2000
Row = list[Any]


def hours_minutes(minutes: int) -> str:
    """90 -> "1:30": hours and minutes, as a finance team reads a duration."""
    hours, rest = divmod(abs(minutes), MINUTES_PER_CREDIT)
    sign = "-" if minutes < 0 else ""
    return f"{sign}{hours}:{rest:02d}"


@dataclass(frozen=True)
class Context:
    """What every sheet needs to write its rows."""

    zone: ZoneInfo
    cutoff: int  # the highest id of the sheet's records when the export began

    def when(self, moment: datetime | None) -> str:
        if moment is None:
            return ""
        return timezone.localtime(moment, self.zone).isoformat(timespec="seconds")

    def day(self, moment: datetime) -> str:
        return timezone.localtime(moment, self.zone).date().isoformat()


@dataclass(frozen=True)
class Sheet:
    header: Callable[[], list[str]]
    records: Callable[[], QuerySet[Any]]  # every record, unbounded
    rows: Callable[[Any, Context], Iterable[Row]]
    # Lines after the records (the totals of the journal and trial balance).
    closing: Callable[[Context, dict[str, int]], Iterable[Row]] | None = None
    # What a record adds to the totals the closing lines print.
    totals: Callable[[Any], dict[str, int]] | None = None


def _account_name(account: Account) -> str:
    return account.member.display_name if account.member is not None else account.name


def _status(member: Member) -> str:
    if member.suspended_at is not None:
        return _("suspended")
    if not member.is_active:
        return _("closed")
    return _("active")


# --- Members, organisations, listings, exchanges --------------------------------------


def _members() -> QuerySet[Member]:
    return (
        Member.objects.select_related("profile__organisation", "account")
        .prefetch_related("groups")
        .order_by("pk")
    )


def _member_rows(member: Member, ctx: Context) -> Iterator[Row]:
    profile = getattr(member, "profile", None)
    organisation = profile.organisation if profile is not None else None
    account = getattr(member, "account", None)
    yield [
        member.pk,
        member.display_name,
        member.email,
        organisation.name if organisation else "",
        profile.profession if profile else "",
        profile.division if profile else "",
        str(profile.country) if profile else "",
        ctx.when(member.date_joined),
        ctx.when(member.last_login),
        _status(member),
        "; ".join(sorted(group.name for group in member.groups.all())),
        "yes" if member.is_staff else "",
        account.balance if account else 0,
        account.held if account else 0,
    ]


def _organisations() -> QuerySet[Organisation]:
    return Organisation.objects.annotate(
        member_count=Count("profiles"),
        active_count=Count("profiles", filter=Q(profiles__member__is_active=True)),
    ).order_by("pk")


def _organisation_rows(organisation: Any, ctx: Context) -> Iterator[Row]:
    yield [
        organisation.pk,
        organisation.name,
        organisation.get_kind_display(),
        str(organisation.country),
        organisation.member_count,
        organisation.active_count,
    ]


def _listings() -> QuerySet[Listing]:
    return Listing.objects.select_related(
        "owner__profile__organisation", "improvement_area"
    ).order_by("pk")


def _listing_rows(listing: Listing, ctx: Context) -> Iterator[Row]:
    profile = getattr(listing.owner, "profile", None)
    organisation = profile.organisation if profile is not None else None
    yield [
        listing.pk,
        listing.get_kind_display(),
        listing.get_status_display(),
        listing.title,
        listing.owner_id,
        listing.owner.display_name,
        organisation.name if organisation else "",
        listing.improvement_area.name,
        listing.estimated_minutes,
        listing.get_format_display(),
        listing.recorded_by_id or "",
        ctx.when(listing.created_at),
        ctx.when(listing.expires_at),
        ctx.when(listing.closed_at),
    ]


def _exchanges() -> QuerySet[Exchange]:
    return Exchange.objects.select_related(
        "provider__profile__organisation",
        "receiver__profile__organisation",
        "improvement_area",
    ).order_by("pk")


def _organisation_of(member: Member) -> str:
    profile = getattr(member, "profile", None)
    organisation = profile.organisation if profile is not None else None
    return organisation.name if organisation else ""


def _exchange_rows(exchange: Exchange, ctx: Context) -> Iterator[Row]:
    yield [
        exchange.pk,
        exchange.get_status_display(),
        exchange.title,
        exchange.listing_id or "",
        exchange.provider_id,
        exchange.provider.display_name,
        _organisation_of(exchange.provider),
        exchange.receiver_id,
        exchange.receiver.display_name,
        _organisation_of(exchange.receiver),
        exchange.improvement_area.name,
        exchange.proposed_minutes,
        exchange.logged_minutes if exchange.logged_minutes is not None else "",
        exchange.recorded_by_id or "",
        ctx.when(exchange.created_at),
        ctx.when(exchange.accepted_at),
        ctx.when(exchange.delivered_at),
        ctx.when(exchange.completed_at),
        ctx.when(exchange.cancelled_at),
        ctx.when(exchange.reversed_at),
    ]


# --- The ledger -------------------------------------------------------------------------


def _transfers() -> QuerySet[Transfer]:
    return Transfer.objects.select_related("debit_account__member", "credit_account__member")


def _transfer_rows(transfer: Transfer, ctx: Context) -> Iterator[Row]:
    yield [
        transfer.pk,
        ctx.when(transfer.created_at),
        transfer.get_kind_display(),
        transfer.get_state_display(),
        transfer.debit_account_id,
        _account_name(transfer.debit_account),
        transfer.credit_account_id,
        _account_name(transfer.credit_account),
        transfer.amount,
        hours_minutes(transfer.amount),
        transfer.pending_id or "",
        transfer.reverses_id or "",
        transfer.initiated_by_id or "",
        transfer.memo,
    ]


def _posted() -> QuerySet[Transfer]:
    """The journal's entries: posted transfers, with what names their reference."""
    return (
        _transfers()
        .filter(state=Transfer.State.POSTED)
        .annotate(
            # An exchange's payment is the posted resolution of its hold.
            exchange_ref=Coalesce(
                "exchange_paid__pk", "pending__exchange_held__pk", output_field=BigIntegerField()
            ),
            exchange_title=Coalesce(
                "exchange_paid__title", "pending__exchange_held__title", output_field=CharField()
            ),
            # A group session pays from the pool, or posts an attendee's place.
            session_ref=Coalesce(
                Subquery(
                    ScheduledSession.objects.filter(pool_payment=OuterRef("pk")).values("pk")[:1]
                ),
                Subquery(Seat.objects.filter(payment=OuterRef("pk")).values("session_id")[:1]),
                output_field=BigIntegerField(),
            ),
        )
        .order_by("pk")
    )


def _reference(transfer: Any) -> str:
    kind = transfer.kind
    if kind == Transfer.Kind.EXCHANGE and transfer.exchange_ref:
        return _("Exchange %(id)s") % {"id": transfer.exchange_ref}
    if kind == Transfer.Kind.GROUP_SESSION and transfer.session_ref:
        return _("Group session %(id)s") % {"id": transfer.session_ref}
    if kind == Transfer.Kind.REVERSAL:
        return _("Reversal of entry %(id)s") % {"id": transfer.reverses_id}
    if kind == Transfer.Kind.WELCOME_GIFT:
        return _("Welcome gift %(id)s") % {"id": transfer.pk}
    if kind == Transfer.Kind.DONATION:
        return _("Gift of credits %(id)s") % {"id": transfer.pk}
    return f"{transfer.get_kind_display()} {transfer.pk}"


def _description(transfer: Any) -> str:
    what = transfer.get_kind_display()
    detail = transfer.exchange_title or transfer.memo
    return f"{what}: {detail}" if detail else what


def _journal_rows(transfer: Any, ctx: Context) -> Iterator[Row]:
    entry = [
        ctx.day(transfer.created_at),
        transfer.pk,
        _reference(transfer),
        _description(transfer),
    ]
    amount = transfer.amount
    debit, credit = transfer.debit_account, transfer.credit_account
    yield [*entry, debit.pk, _account_name(debit), hours_minutes(amount), "", amount, 0]
    yield [*entry, credit.pk, _account_name(credit), "", hours_minutes(amount), 0, amount]


def _journal_totals(transfer: Any) -> dict[str, int]:
    return {"debits": transfer.amount, "credits": transfer.amount}


def _journal_closing(ctx: Context, totals: dict[str, int]) -> Iterator[Row]:
    debits, credits = totals.get("debits", 0), totals.get("credits", 0)
    yield [
        "",
        "",
        _("Total"),
        "",
        "",
        "",
        hours_minutes(debits),
        hours_minutes(credits),
        debits,
        credits,
    ]


def _accounts_with_totals(cutoff: int | None = None) -> QuerySet[Account]:
    """Every account with its posted debits, posted credits and what is held,
    summed from the transfers (up to ``cutoff``), not read from its cached totals."""
    bound = Q() if cutoff is None else Q(pk__lte=cutoff)
    posted = Transfer.objects.filter(bound, state=Transfer.State.POSTED)
    holds = Transfer.objects.filter(bound, state=Transfer.State.PENDING)
    # A hold still held: not resolved (by a transfer up to the cutoff).
    if cutoff is None:
        held = holds.filter(resolution__isnull=True)
    else:
        held = holds.exclude(resolution__pk__lte=cutoff)

    def summed(transfers: QuerySet[Transfer], side: str) -> Coalesce:
        total = (
            transfers.filter(**{side: OuterRef("pk")})
            .order_by()
            .values(side)
            .annotate(total=Sum("amount"))
            .values("total")
        )
        return Coalesce(Subquery(total), 0)

    return (
        Account.objects.select_related("member")
        .annotate(
            debited=summed(posted, "debit_account"),
            credited=summed(posted, "credit_account"),
            on_hold=summed(held, "debit_account"),
        )
        # The community's own accounts first, then members' accounts.
        .order_by("-kind", "pk")
    )


def _trial_rows(account: Any, ctx: Context) -> Iterator[Row]:
    balance = account.credited - account.debited
    yield [
        account.pk,
        _account_name(account),
        account.get_kind_display(),
        account.member_id or "",
        hours_minutes(account.debited),
        hours_minutes(account.credited),
        hours_minutes(-balance) if balance < 0 else "",
        hours_minutes(balance) if balance > 0 else "",
        account.debited,
        account.credited,
        balance,
        account.on_hold,
    ]


def _trial_totals(account: Any) -> dict[str, int]:
    balance = account.credited - account.debited
    return {
        "debits": account.debited,
        "credits": account.credited,
        "debit_balances": -balance if balance < 0 else 0,
        "credit_balances": balance if balance > 0 else 0,
        "balance": balance,
        "held": account.on_hold,
    }


def _trial_closing(ctx: Context, totals: dict[str, int]) -> Iterator[Row]:
    yield [
        "",
        _("Total"),
        "",
        "",
        hours_minutes(totals.get("debits", 0)),
        hours_minutes(totals.get("credits", 0)),
        hours_minutes(totals.get("debit_balances", 0)),
        hours_minutes(totals.get("credit_balances", 0)),
        totals.get("debits", 0),
        totals.get("credits", 0),
        totals.get("balance", 0),
        totals.get("held", 0),
    ]


SHEETS: dict[str, Sheet] = {
    Kind.MEMBERS: Sheet(
        header=lambda: [
            _("member id"),
            _("name"),
            _("e-mail address"),
            _("organisation"),
            _("profession"),
            _("division or team"),
            _("country"),
            _("joined"),
            _("last signed in"),
            _("status"),
            _("roles"),
            _("staff"),
            _("balance (minutes)"),
            _("held (minutes)"),
        ],
        records=_members,
        rows=_member_rows,
    ),
    Kind.ORGANISATIONS: Sheet(
        header=lambda: [
            _("organisation id"),
            _("name"),
            _("kind"),
            _("country"),
            _("members"),
            _("active members"),
        ],
        records=_organisations,
        rows=_organisation_rows,
    ),
    Kind.LISTINGS: Sheet(
        header=lambda: [
            _("listing id"),
            _("kind"),
            _("status"),
            _("title"),
            _("owner id"),
            _("owner"),
            _("owner's organisation"),
            _("improvement area"),
            _("estimated minutes"),
            _("format"),
            _("posted by coordinator id"),
            _("created"),
            _("expires"),
            _("closed"),
        ],
        records=_listings,
        rows=_listing_rows,
    ),
    Kind.EXCHANGES: Sheet(
        header=lambda: [
            _("exchange id"),
            _("status"),
            _("what"),
            _("listing id"),
            _("provider id"),
            _("provider"),
            _("provider's organisation"),
            _("receiver id"),
            _("receiver"),
            _("receiver's organisation"),
            _("improvement area"),
            _("proposed minutes"),
            _("minutes given"),
            _("recorded by coordinator id"),
            _("proposed"),
            _("accepted"),
            _("hours logged"),
            _("completed"),
            _("cancelled"),
            _("reversed"),
        ],
        records=_exchanges,
        rows=_exchange_rows,
    ),
    Kind.TRANSFERS: Sheet(
        header=lambda: [
            _("transfer id"),
            _("when"),
            _("kind"),
            _("state"),
            _("debit account"),
            _("debit account name"),
            _("credit account"),
            _("credit account name"),
            _("minutes"),
            _("hours"),
            _("hold resolved"),
            _("reverses"),
            _("initiated by member id"),
            _("memo"),
        ],
        records=lambda: _transfers().order_by("pk"),
        rows=_transfer_rows,
    ),
    Kind.JOURNAL: Sheet(
        header=lambda: [
            _("date"),
            _("entry"),
            _("reference"),
            _("description"),
            _("account"),
            _("account name"),
            _("debit (h:mm)"),
            _("credit (h:mm)"),
            _("debit (minutes)"),
            _("credit (minutes)"),
        ],
        records=_posted,
        rows=_journal_rows,
        totals=_journal_totals,
        closing=_journal_closing,
    ),
    Kind.TRIAL_BALANCE: Sheet(
        header=lambda: [
            _("account"),
            _("account name"),
            _("kind"),
            _("member id"),
            _("debits (h:mm)"),
            _("credits (h:mm)"),
            _("debit balance (h:mm)"),
            _("credit balance (h:mm)"),
            _("debits (minutes)"),
            _("credits (minutes)"),
            _("balance (minutes)"),
            _("held (minutes)"),
        ],
        records=_accounts_with_totals,
        rows=_trial_rows,
        totals=_trial_totals,
        closing=_trial_closing,
    ),
}


def sheet_records(kind: str, *, cutoff: int) -> QuerySet[Any]:
    """The records of ``kind`` as they stood when the export began: ids up to
    ``cutoff``; for the trial balance, the transfers up to it."""
    if kind == Kind.TRIAL_BALANCE:
        return _accounts_with_totals(cutoff)
    return SHEETS[kind].records().filter(pk__lte=cutoff)


def sheet_cutoff(kind: str) -> int:
    """The highest id the export reads: of the ledger's transfers for the
    ledger's sheets (immutable rows, appended in order), else of its records."""
    if kind in (Kind.JOURNAL, Kind.TRIAL_BALANCE):
        model: Any = Transfer
    else:
        model = SHEETS[kind].records().model
    highest = model.objects.aggregate(highest=Max("pk"))["highest"]
    return int(highest or 0)

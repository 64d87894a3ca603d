"""Reads of the ledger."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict

from django.db.models import BooleanField, ExpressionWrapper, Prefetch, Q, QuerySet, Sum

from equitime.ledger.models import Account, Transfer

if TYPE_CHECKING:
    # settings.AUTH_USER_MODEL, as django-stubs reads it: no members import.
    from django.contrib.auth.models import _User as Owner
    from django_stubs_ext import WithAnnotations


class _Direction(TypedDict):
    incoming: bool  # the member's account is credited


if TYPE_CHECKING:
    # A transfer as transfers_for_member gives it: annotated with ``incoming``.
    MemberTransfer = WithAnnotations[Transfer, _Direction]


def account_for_member(*, member: Owner) -> Account | None:
    return Account.objects.filter(member=member).first()


def transfers_for_member(
    *, member: Owner, account: Account | None = None
) -> QuerySet[MemberTransfer]:
    """Every transfer in or out of the member's account, newest first;
    ``incoming`` is true where the member's account is credited.

    Filtered by the account's id (pass ``account`` if it is at hand), which
    each side of the OR finds in its own index; going through the member
    joined every transfer to its accounts first. The hold's resolution and the
    reversal are prefetched by key, reading only their unique index: both
    columns are almost always empty, so SQLite's statistics call those indexes
    useless and it scanned the whole table for them (200 ms at 340,000 rows).
    """
    account_id = account.pk if account is not None else _account_id(member)
    return _history(account_id, Q(debit_account_id=account_id) | Q(credit_account_id=account_id))


def _history(account_id: int | None, mine: Q) -> QuerySet[MemberTransfer]:
    return (
        Transfer.objects.filter(mine)
        .annotate(
            incoming=ExpressionWrapper(Q(credit_account_id=account_id), output_field=BooleanField())
        )
        .select_related("debit_account__member", "credit_account__member")
        .prefetch_related(
            # Pages only ask whether there is one: the key and the column alone
            # are read from the unique index, never from the table.
            Prefetch("resolution", queryset=Transfer.objects.only("id", "pending_id")),
            Prefetch("reversal", queryset=Transfer.objects.only("id", "reverses_id")),
        )
        .order_by("-created_at", "-id")
    )


def statement_for_member(
    *, member: Owner, account: Account | None = None
) -> QuerySet[MemberTransfer]:
    """The member's statement: what moved or held *their own* credits, newest first.

    Every transfer out of their account (payments, gifts, their holds and
    those holds' releases) and every posted transfer into it. A hold that
    another member placed in their favour, and its release, stays off: those
    credits are still the other member's, who sees the hold on their own
    statement (the exchange page shows it to both). ``transfers_for_member``
    keeps every row, for the API and the data export, which say each one's
    state themselves."""
    account_id = account.pk if account is not None else _account_id(member)
    return _history(
        account_id,
        Q(debit_account_id=account_id)
        | Q(credit_account_id=account_id, state=Transfer.State.POSTED),
    )


def _account_id(member: Owner) -> int | None:
    return Account.objects.filter(member=member).values_list("pk", flat=True).first()


# The kinds of transfer that pay a member for time they gave.
EARNING_KINDS = (Transfer.Kind.EXCHANGE, Transfer.Kind.GROUP_SESSION)


def account_donatable(*, account: Account | None) -> int:
    """Minutes the account's member may give away now.

    Only credits earned by giving time may be given on: the welcome gift, and
    credits given to the member, pay for receiving time but are not passed on,
    so a second account cannot hand its gift to the first. Derived from the
    ledger, no balance of its own:

        donatable = max(0, min(available, earned - given))

    ``earned`` is what posted exchanges and group sessions (the time given to
    a group, paid by the attendees' shares or by the pool) credited to the
    account (less their reversals), ``given`` what its posted donations took out (less theirs).
    The donation service reads it under the account's row lock.
    """
    if account is None:
        return 0
    mine = Q(debit_account_id=account.pk) | Q(credit_account_id=account.pk)
    totals = Transfer.objects.filter(mine).aggregate(
        earned=Sum(
            "amount",
            filter=Q(credit_account_id=account.pk, kind__in=EARNING_KINDS)
            & Q(state=Transfer.State.POSTED),
            default=0,
        ),
        earned_reversed=Sum(
            "amount",
            filter=Q(debit_account_id=account.pk, kind=Transfer.Kind.REVERSAL)
            & Q(reverses__kind__in=EARNING_KINDS),
            default=0,
        ),
        given=Sum(
            "amount",
            filter=Q(debit_account_id=account.pk, kind=Transfer.Kind.DONATION)
            & Q(state=Transfer.State.POSTED),
            default=0,
        ),
        given_reversed=Sum(
            "amount",
            filter=Q(credit_account_id=account.pk, kind=Transfer.Kind.REVERSAL)
            & Q(reverses__kind=Transfer.Kind.DONATION),
            default=0,
        ),
    )
    earned: int = totals["earned"] - totals["earned_reversed"]
    given: int = totals["given"] - totals["given_reversed"]
    return max(0, min(account.available, earned - given))

"""Reads of the ledger."""

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet

from equitime.ledger.models import Account, Transfer
from equitime.members.models import Member


def account_for_member(*, member: Member) -> Account | None:
    return Account.objects.filter(member=member).first()


def transfers_for_member(*, member: Member, account: Account | None = None) -> QuerySet[Transfer]:
    """Every transfer in or out of the member's account, newest first;
    ``incoming`` is true where the member's account is credited.

    Filtered by the account's id (pass ``account`` if it is at hand), which
    each side of the OR finds in its own index; going through the member
    joined every transfer to its accounts first. The hold's resolution and the
    reversal are prefetched by key rather than joined: both columns are almost
    always empty, and with statistics SQLite scanned for them row by row.
    """
    account_id = account.pk if account is not None else _account_id(member)
    return (
        Transfer.objects.filter(Q(debit_account_id=account_id) | Q(credit_account_id=account_id))
        .annotate(
            incoming=ExpressionWrapper(Q(credit_account_id=account_id), output_field=BooleanField())
        )
        .select_related("debit_account__member", "credit_account__member")
        .prefetch_related("resolution", "reversal")
        .order_by("-created_at", "-id")
    )


def _account_id(member: Member) -> int | None:
    return Account.objects.filter(member=member).values_list("pk", flat=True).first()

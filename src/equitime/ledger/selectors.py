"""Reads of the ledger."""

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet

from equitime.ledger.models import Account, Transfer
from equitime.members.models import Member


def account_for_member(*, member: Member) -> Account | None:
    return Account.objects.filter(member=member).first()


def transfers_for_member(*, member: Member) -> QuerySet[Transfer]:
    """Every transfer in or out of the member's account, newest first;
    ``incoming`` is true where the member's account is credited."""
    return (
        Transfer.objects.filter(Q(debit_account__member=member) | Q(credit_account__member=member))
        .annotate(
            incoming=ExpressionWrapper(
                Q(credit_account__member=member), output_field=BooleanField()
            )
        )
        .select_related("debit_account__member", "credit_account__member", "resolution", "reversal")
        .order_by("-created_at", "-id")
    )

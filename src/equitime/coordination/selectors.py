"""Reads for the coordination pages and API."""

from django.db.models import Q, QuerySet

from equitime.coordination.models import Consent
from equitime.exchanges.models import OPEN_STATUSES, Exchange
from equitime.members.models import Member


def consents_held(*, coordinator: Member) -> QuerySet[Consent]:
    """Everyone the coordinator acts (or acted) for, standing consents first."""
    return (
        Consent.objects.filter(coordinator=coordinator)
        .select_related("member", "withdrawn_by")
        .order_by("withdrawn_at", "member__sort_name", "-recorded_at", "-id")
    )


def consents_given(*, member: Member) -> QuerySet[Consent]:
    """The coordinators a member agreed to, standing ones first."""
    return (
        Consent.objects.filter(member=member)
        .select_related("coordinator", "withdrawn_by")
        .order_by("withdrawn_at", "-recorded_at", "-id")
    )


def member_exchanges_for_coordinator(*, member: Member) -> QuerySet[Exchange]:
    """The member's open exchanges, and their recent finished ones."""
    return (
        Exchange.objects.filter(Q(provider=member) | Q(receiver=member))
        .filter(status__in=OPEN_STATUSES)
        .select_related("provider", "receiver", "recorded_by")
        .order_by("-created_at", "-id")
    )

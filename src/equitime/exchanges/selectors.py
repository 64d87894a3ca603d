from django.db.models import Q, QuerySet

from equitime.exchanges.models import OPEN_STATUSES, Exchange, ExchangeEvent, Thanks
from equitime.exchanges.services import exchange_moves_for
from equitime.members.models import Member

Verb = ExchangeEvent.Verb


def exchanges_for_member(*, member: Member) -> QuerySet[Exchange]:
    return (
        Exchange.objects.filter(Q(provider=member) | Q(receiver=member))
        .select_related("provider", "receiver", "listing", "improvement_area")
        .order_by("-updated_at", "-id")
    )


def exchanges_open_for_member(*, member: Member) -> list[Exchange]:
    """Open exchanges, those waiting for this member first. Each carries
    ``moves`` (what the member may do now) and ``waiting`` (whether the next
    step is theirs: cancelling is always possible, so it does not count)."""
    exchanges = list(exchanges_for_member(member=member).filter(status__in=OPEN_STATUSES))
    for exchange in exchanges:
        exchange.moves = exchange_moves_for(exchange=exchange, member=member)
        exchange.waiting = bool(exchange.moves - {Verb.CANCEL})
    return sorted(exchanges, key=lambda ex: not ex.waiting)


def thanks_shown_on_profile(*, member: Member) -> QuerySet[Thanks]:
    return (
        Thanks.objects.filter(recipient=member, show_on_profile=True)
        .select_related("author", "exchange")
        .order_by("-created_at", "-id")
    )

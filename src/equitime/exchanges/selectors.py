from dataclasses import dataclass

from django.db.models import Q, QuerySet

from equitime.exchanges.models import OPEN_STATUSES, Exchange, ExchangeEvent, Thanks
from equitime.exchanges.services import exchange_moves_for
from equitime.members.models import Member

Verb = ExchangeEvent.Verb


def exchanges_for_member(*, member: Member) -> QuerySet[Exchange]:
    return (
        Exchange.objects.filter(Q(provider=member) | Q(receiver=member))
        .select_related(
            "provider", "receiver", "listing", "improvement_area", "payment", "recorded_by"
        )
        .order_by("-updated_at", "-id")
    )


@dataclass(frozen=True)
class OpenExchange:
    """An open exchange as one member sees it: ``moves``, what they may do
    now, and ``waiting``, whether the next step is theirs (cancelling is
    always possible, so it does not count)."""

    exchange: Exchange
    moves: frozenset[str]

    @property
    def waiting(self) -> bool:
        return bool(self.moves - {Verb.CANCEL})

    @property
    def pk(self) -> int:
        """The exchange's: a row is found by it."""
        return self.exchange.pk


def exchanges_open_for_member(*, member: Member) -> list[OpenExchange]:
    """Open exchanges with the member's moves, those waiting for them first."""
    exchanges = exchanges_for_member(member=member).filter(status__in=OPEN_STATUSES)
    rows = [
        OpenExchange(exchange, frozenset(exchange_moves_for(exchange=exchange, member=member)))
        for exchange in exchanges
    ]
    return sorted(rows, key=lambda row: not row.waiting)


def thanks_shown_on_profile(*, member: Member) -> QuerySet[Thanks]:
    return (
        Thanks.objects.filter(recipient=member, show_on_profile=True)
        .select_related("author", "exchange")
        .order_by("-created_at", "-id")
    )

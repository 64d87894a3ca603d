"""What scheduling does when the apps below it announce something."""

from typing import Any

from equitime.exchanges.models import Exchange
from equitime.members.models import Member
from equitime.scheduling.services import session_cancel_with_exchange


def exchange_closed(
    sender: type[Exchange], *, exchange: Exchange, actor: Member | None, reason: str, **_: Any
) -> None:
    """An exchange declined, cancelled or voided takes its session with it."""
    session_cancel_with_exchange(exchange=exchange, actor=actor, reason=reason)

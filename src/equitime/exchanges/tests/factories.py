"""Exchange test data: one helper, ``exchange_at``, that brings an exchange to
any status through the services, as members and moderators would.

Each app keeps its own ``tests/factories.py`` with one helper for its thing,
importing only the factories below it (see ``equitime.listings.tests.factories``
for why): this one builds on ``listing`` and ``make_member``.
"""

from equitime.exchanges import services
from equitime.exchanges.models import Exchange, Status
from equitime.listings.tests.factories import listing as make_listing
from equitime.members.tests.factories import make_member

# The road from a proposal to each status; ``exchange_at`` walks it from
# wherever the exchange stands.
ROUTES: dict[str, tuple[str, ...]] = {
    Status.PROPOSED: (),
    Status.DECLINED: (Status.DECLINED,),
    Status.ACCEPTED: (Status.ACCEPTED,),
    Status.CANCELLED: (Status.ACCEPTED, Status.CANCELLED),
    Status.DELIVERED: (Status.ACCEPTED, Status.DELIVERED),
    Status.COMPLETED: (Status.ACCEPTED, Status.DELIVERED, Status.COMPLETED),
    Status.DISPUTED: (Status.ACCEPTED, Status.DELIVERED, Status.DISPUTED),
    Status.VOIDED: (Status.ACCEPTED, Status.DELIVERED, Status.DISPUTED, Status.VOIDED),
    Status.REVERSED: (Status.ACCEPTED, Status.DELIVERED, Status.COMPLETED, Status.REVERSED),
}


def moderator_for_tests():
    """A member who may settle disputes and reverse exchanges."""
    from django.contrib.auth.models import Permission

    member = make_member(display_name="Mo Moderator")
    member.user_permissions.add(Permission.objects.get(codename="resolve_dispute"))
    return type(member).objects.get(pk=member.pk)


def exchange_at(
    status: str = Status.PROPOSED,
    *,
    exchange: Exchange | None = None,
    listing=None,
    receiver=None,
    minutes: int = 60,
    logged: int | None = None,
    message: str = "",
    reason: str = "Shorter than agreed",
    moderator=None,
) -> Exchange:
    """An exchange at ``status``, moved there by the services.

    Without ``exchange``, ``receiver`` (a new member if not given) takes up
    ``listing`` (a new offer if not given) for ``minutes``; with it, the
    exchange is moved on from where it stands. The provider logs ``logged``
    minutes (``minutes`` if not given); ``reason`` is the decline, cancel,
    dispute or reversal reason; a moderator is made when one is needed.
    """
    if exchange is None:
        if listing is None:
            listing = make_listing(make_member(display_name="Priya Provider"))
        if receiver is None:
            receiver = make_member(display_name="Rob Receiver")
        exchange = services.exchange_propose_from_listing(
            listing=listing, member=receiver, minutes=minutes, message=message
        )
    route = ROUTES[status]
    done = ROUTES[exchange.status]
    if route[: len(done)] != done:
        raise AssertionError(f"no road from {exchange.status} to {status}")
    provider, receiver = exchange.provider, exchange.receiver
    answerer = provider if exchange.proposed_by_id == receiver.pk else receiver
    for step in route[len(done) :]:
        if step == Status.ACCEPTED:
            exchange = services.exchange_accept(exchange=exchange, member=answerer)
        elif step == Status.DECLINED:
            exchange = services.exchange_decline(exchange=exchange, member=answerer, reason=reason)
        elif step == Status.CANCELLED:
            exchange = services.exchange_cancel(exchange=exchange, member=provider)
        elif step == Status.DELIVERED:
            exchange = services.exchange_deliver(
                exchange=exchange, member=provider, minutes=logged or minutes
            )
        elif step == Status.COMPLETED:
            exchange = services.exchange_confirm(exchange=exchange, member=receiver)
        elif step == Status.DISPUTED:
            exchange = services.exchange_dispute(exchange=exchange, member=receiver, reason=reason)
        elif step == Status.VOIDED:
            exchange = services.exchange_resolve(
                exchange=exchange,
                moderator=moderator or moderator_for_tests(),
                minutes=None,
                note=reason,
            )
        elif step == Status.REVERSED:
            exchange = services.exchange_reverse(
                exchange=exchange, moderator=moderator or moderator_for_tests(), reason=reason
            )
    return exchange

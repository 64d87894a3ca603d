"""Exchanges move credits, so their transitions are raced from many threads:
nothing is held, posted or released twice, and the ledger stays whole."""

import pytest

from equitime.core.errors import DomainError
from equitime.core.testing import race
from equitime.exchanges import services
from equitime.exchanges.models import Exchange, Status
from equitime.ledger.models import Account, Transfer
from equitime.ledger.verify import verify_ledger

THREADS = 8

# Transactional tests empty every table afterwards; serialized rollback puts the
# migration-made data (taxonomy, community pool) back before each one.
pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.slow]


def fresh(exchange):
    return Exchange.objects.get(pk=exchange.pk)


def test_racing_accepts_and_confirms_move_credits_once(offer, provider, receiver):
    exchange = services.exchange_propose_from_listing(listing=offer, member=receiver, minutes=60)

    race(lambda n: services.exchange_accept(exchange=exchange, member=provider), THREADS)
    assert Transfer.objects.filter(state=Transfer.State.PENDING).count() == 1
    services.exchange_deliver(exchange=exchange, member=provider, minutes=60)
    race(lambda n: services.exchange_confirm(exchange=exchange, member=receiver), THREADS)

    exchange = fresh(exchange)
    assert exchange.status == Status.COMPLETED
    assert Transfer.objects.filter(kind="exchange", state=Transfer.State.POSTED).count() == 1
    assert exchange.events.filter(verb="confirm").count() == 1
    assert Account.objects.get(member=receiver).balance == 60
    assert Account.objects.get(member=provider).balance == 180
    report = verify_ledger()
    assert report.ok, report.problems


def test_many_providers_accepting_at_once_never_overcommit_the_receiver(
    make_listing, make_member, receiver
):
    """The receiver has 120 minutes; eight providers accept 30-minute proposals."""
    exchanges = []
    for n in range(THREADS):
        provider = make_member(display_name=f"Provider {n}")
        offer = make_listing(provider, title=f"Offer {n}")
        exchanges.append(
            services.exchange_propose_from_listing(listing=offer, member=receiver, minutes=30)
        )

    outcomes = race(
        lambda n: services.exchange_accept(exchange=exchanges[n], member=exchanges[n].provider),
        THREADS,
    )

    accepted = [o for o in outcomes if isinstance(o, Exchange)]
    refused = [o for o in outcomes if isinstance(o, DomainError)]
    assert len(accepted) == 4
    assert len(refused) == 4
    assert all("not enough" in str(refusal) for refusal in refused)
    account = Account.objects.get(member=receiver)
    assert (account.available, account.held) == (0, 120)
    assert Exchange.objects.filter(status=Status.ACCEPTED).count() == 4
    assert Exchange.objects.filter(status=Status.PROPOSED).count() == 4
    report = verify_ledger()
    assert report.ok, report.problems


def test_cancel_racing_deliver_ends_in_one_consistent_state(offer, provider, receiver):
    exchange = services.exchange_propose_from_listing(listing=offer, member=receiver, minutes=60)
    services.exchange_accept(exchange=exchange, member=provider)

    def act(n):
        if n % 2:
            return services.exchange_cancel(exchange=exchange, member=receiver)
        return services.exchange_deliver(exchange=exchange, member=provider, minutes=60)

    race(act, THREADS)

    exchange = fresh(exchange)
    hold = exchange.hold
    if exchange.status == Status.CANCELLED:
        assert hold.resolution.state == Transfer.State.VOIDED
        assert Account.objects.get(member=receiver).held == 0
    else:
        assert exchange.status == Status.DELIVERED
        assert not Transfer.objects.filter(pending=hold).exists()
        assert Account.objects.get(member=receiver).held == 60
    report = verify_ledger()
    assert report.ok, report.problems


def test_a_replayed_proposal_raced_from_many_threads_makes_one_exchange(offer, receiver):
    outcomes = race(
        lambda n: services.exchange_propose_from_listing(
            listing=offer, member=receiver, minutes=45, request_key="same-form"
        ),
        THREADS,
    )
    assert len({o.pk for o in outcomes}) == 1
    assert Exchange.objects.count() == 1

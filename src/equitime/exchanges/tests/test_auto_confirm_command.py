"""``equitime auto_confirm_exchanges``: due exchanges complete once, the rest wait."""

import io
import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command, load_command_class
from django.utils import timezone

from equitime.exchanges import services
from equitime.exchanges.models import Exchange, ExchangeEvent, Status
from equitime.ledger import services as ledger  # what the exchanges' services call
from equitime.ledger.errors import LedgerError
from equitime.ledger.models import Account, Transfer
from equitime.ledger.verify import verify_ledger
from equitime.notifications.models import Notification

pytestmark = pytest.mark.django_db


def run_command() -> tuple[int, str]:
    out = io.StringIO()
    call_command("auto_confirm_exchanges", stdout=out)
    text = out.getvalue()
    match = re.search(r"Confirmed (\d+) exchange", text)
    assert match, text
    return int(match.group(1)), text


def delivered_exchange(offer, provider, receiver, *, proposed=60, logged=60):
    exchange = services.exchange_propose_from_listing(
        listing=offer, member=receiver, minutes=proposed
    )
    services.exchange_accept(exchange=exchange, member=provider)
    return services.exchange_deliver(exchange=exchange, member=provider, minutes=logged)


def age(exchange, days):
    Exchange.objects.filter(pk=exchange.pk).update(
        delivered_at=timezone.now() - timedelta(days=days)
    )


def balance(member):
    account = Account.objects.get(member=member)
    return account.available, account.held, account.balance


def test_help_says_it_is_safe_for_cron():
    command = load_command_class("equitime.exchanges", "auto_confirm_exchanges")
    assert "Safe to run from cron" in command.help


def test_confirms_exchanges_past_the_waiting_period_once(
    offer, provider, receiver, django_capture_on_commit_callbacks
):
    exchange = delivered_exchange(offer, provider, receiver, logged=45)
    age(exchange, settings.EQUITIME_AUTO_CONFIRM_DAYS + 1)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        confirmed, text = run_command()

    assert confirmed == 1
    assert "could not" not in text
    exchange.refresh_from_db()
    assert exchange.status == Status.COMPLETED
    assert exchange.completed_by is None
    assert exchange.payment.state == Transfer.State.POSTED
    assert exchange.payment.amount == 45
    assert exchange.events.last().verb == ExchangeEvent.Verb.AUTO_CONFIRM
    assert balance(provider) == (165, 0, 165)
    assert balance(receiver) == (75, 0, 75)
    # Both are told; by default a confirmation waits for the weekly digest, not e-mail.
    told = Notification.objects.filter(exchange=exchange, kind="exchange_completed")
    assert sorted(told.values_list("recipient_id", flat=True)) == sorted([provider.pk, receiver.pk])
    assert mail.outbox == []
    assert verify_ledger().ok

    transfers = Transfer.objects.count()
    events = ExchangeEvent.objects.count()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        again, _ = run_command()

    assert again == 0
    assert Transfer.objects.count() == transfers
    assert ExchangeEvent.objects.count() == events
    assert mail.outbox == []
    assert balance(provider) == (165, 0, 165)
    assert verify_ledger().ok


def test_leaves_exchanges_still_within_the_waiting_period(offer, provider, receiver):
    exchange = delivered_exchange(offer, provider, receiver)
    age(exchange, settings.EQUITIME_AUTO_CONFIRM_DAYS - 1)

    confirmed, _ = run_command()

    assert confirmed == 0
    exchange.refresh_from_db()
    assert exchange.status == Status.DELIVERED
    assert balance(receiver) == (60, 60, 120)  # still held
    assert verify_ledger().ok


def test_leaves_disputed_and_other_states_alone(offer, provider, receiver):
    disputed = delivered_exchange(offer, provider, receiver)
    services.exchange_dispute(exchange=disputed, member=receiver, reason="Not an hour")
    age(disputed, 60)
    accepted = services.exchange_propose_from_listing(listing=offer, member=receiver, minutes=15)
    services.exchange_accept(exchange=accepted, member=provider)

    confirmed, _ = run_command()

    assert confirmed == 0
    assert Exchange.objects.get(pk=disputed.pk).status == Status.DISPUTED
    assert Exchange.objects.get(pk=accepted.pk).status == Status.ACCEPTED
    assert verify_ledger().ok


def test_a_problem_is_printed_and_does_not_stop_the_others(
    offer, provider, receiver, make_member, monkeypatch
):
    short = delivered_exchange(offer, provider, receiver, proposed=60, logged=60)
    fine_receiver = make_member(display_name="Fay Fine")
    fine = delivered_exchange(offer, provider, fine_receiver)
    age(short, 30)
    age(fine, 30)
    # A refusal from the ledger for one exchange (once it was a receiver short
    # of credits for hours logged beyond the hold; now nothing beyond the hold
    # is posted automatically, so the refusal is made up here).
    hold_post = ledger.hold_post

    def refusing(*, key, **kwargs):
        if key == f"exchange:{short.pk}:payment":
            raise LedgerError("The ledger is busy; please try again.")
        return hold_post(key=key, **kwargs)

    monkeypatch.setattr(ledger, "hold_post", refusing)

    confirmed, text = run_command()

    assert confirmed == 1
    assert f"exchange {short.pk}:" in text
    assert "1 could not be confirmed" in text
    assert Exchange.objects.get(pk=short.pk).status == Status.DELIVERED
    assert Exchange.objects.get(pk=fine.pk).status == Status.COMPLETED
    assert balance(receiver) == (60, 60, 120)  # nothing moved for the refused one
    assert verify_ledger().ok

    # The problem is reported again on the next run, and still nothing moves.
    again, text = run_command()
    assert again == 0
    assert f"exchange {short.pk}:" in text
    assert verify_ledger().ok


def test_hours_logged_beyond_the_hold_are_not_confirmed_automatically(offer, provider, receiver):
    """Three hours logged against one held: one moves, the receiver never goes short."""
    exchange = services.exchange_propose_from_listing(listing=offer, member=receiver, minutes=60)
    services.exchange_accept(exchange=exchange, member=provider)
    services.exchange_deliver(
        exchange=exchange, member=provider, minutes=180, confirm_over_agreed=True
    )
    age(exchange, 30)
    confirmed, _text = run_command()
    assert confirmed == 1
    payment = Exchange.objects.get(pk=exchange.pk).payment
    assert payment is not None
    assert payment.amount == 60
    assert balance(receiver) == (60, 0, 60)
    assert verify_ledger().ok

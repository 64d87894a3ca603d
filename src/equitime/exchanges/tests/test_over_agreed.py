"""Issue 10, point 4: logged hours far beyond what was agreed.

The provider must say they mean it (a checkbox on the page, ``confirm_over_agreed``
in the API), and an automatic confirmation posts at most what was held: 40
hours logged against a 15-minute hold, unanswered for the waiting period,
moves 15 minutes.
"""

import json
import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from equitime.api.services import api_token_create
from equitime.core.errors import DomainError
from equitime.exchanges import services
from equitime.exchanges.models import Exchange, ExchangeEvent, Status
from equitime.ledger import services as ledger
from equitime.ledger.models import Account, Transfer
from equitime.ledger.verify import verify_ledger
from equitime.notifications.models import Notification

pytestmark = pytest.mark.django_db

FORTY_HOURS = 40 * 60
REFUSAL = "You are logging 40 h, far more than the 0.25 h agreed"


def accepted_exchange(offer, provider, receiver, minutes):
    exchange = services.exchange_propose_from_listing(
        listing=offer, member=receiver, minutes=minutes
    )
    return services.exchange_accept(exchange=exchange, member=provider)


@pytest.fixture
def quarter_hour(offer, provider, receiver):
    """An exchange agreed at 15 minutes, held on the receiver's account."""
    return accepted_exchange(offer, provider, receiver, 15)


def balances(member):
    account = Account.objects.get(member=member)
    return account.balance, account.held


# --- The rule ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("agreed", "logged", "far"),
    [
        (15, 30, False),  # double: fine
        (15, 45, True),  # more than double
        (60, 120, False),
        (60, 135, True),
        (240, 360, False),  # two hours over: fine
        (240, 375, True),  # more than two hours over
        (15, FORTY_HOURS, True),
    ],
)
def test_far_over_agreed_is_more_than_double_or_two_hours_over(agreed, logged, far):
    assert services.far_over_agreed(agreed=agreed, minutes=logged) is far


def test_logging_far_more_than_agreed_needs_the_providers_confirmation(quarter_hour, provider):
    with pytest.raises(DomainError, match=re.escape(REFUSAL)) as refusal:
        services.exchange_deliver(exchange=quarter_hour, member=provider, minutes=FORTY_HOURS)
    assert refusal.value.code == "over_agreed"
    assert Exchange.objects.get(pk=quarter_hour.pk).status == Status.ACCEPTED

    delivered = services.exchange_deliver(
        exchange=quarter_hour, member=provider, minutes=FORTY_HOURS, confirm_over_agreed=True
    )
    assert (delivered.status, delivered.logged_minutes) == (Status.DELIVERED, FORTY_HOURS)


def test_logging_close_to_the_agreement_needs_no_confirmation(quarter_hour, provider):
    delivered = services.exchange_deliver(exchange=quarter_hour, member=provider, minutes=30)
    assert delivered.status == Status.DELIVERED


# --- Automatic confirmation ------------------------------------------------------


def deliver_and_wait(exchange, provider, minutes):
    services.exchange_deliver(
        exchange=exchange, member=provider, minutes=minutes, confirm_over_agreed=True
    )
    Exchange.objects.filter(pk=exchange.pk).update(
        delivered_at=timezone.now() - timedelta(days=settings.EQUITIME_AUTO_CONFIRM_DAYS + 1)
    )


def test_auto_confirm_posts_only_the_held_amount(quarter_hour, provider, receiver):
    before_receiver, before_provider = balances(receiver), balances(provider)
    deliver_and_wait(quarter_hour, provider, FORTY_HOURS)

    assert services.exchanges_auto_confirm_due() == (1, [])

    exchange = Exchange.objects.select_related("payment").get(pk=quarter_hour.pk)
    assert exchange.status == Status.COMPLETED and exchange.completed_by is None
    assert exchange.payment is not None
    assert exchange.payment.amount == 15
    assert exchange.logged_minutes == FORTY_HOURS  # what was logged stays on the record
    assert balances(receiver) == (before_receiver[0] - 15, 0)
    assert balances(provider) == (before_provider[0] + 15, 0)
    event = exchange.events.get(verb=ExchangeEvent.Verb.AUTO_CONFIRM)
    assert event.minutes == 15
    assert "other 39.75 hours logged were not confirmed" in event.note
    told = Notification.objects.filter(exchange=exchange, kind="exchange_completed")
    assert {n.recipient_id for n in told} == {provider.pk, receiver.pk}
    assert all("not confirmed" in n.message for n in told)
    assert verify_ledger().ok, verify_ledger().problems


def test_auto_confirm_of_less_than_held_posts_what_was_logged(offer, provider, receiver):
    exchange = accepted_exchange(offer, provider, receiver, 120)
    deliver_and_wait(exchange, provider, 90)
    services.exchanges_auto_confirm_due()
    payment = Exchange.objects.get(pk=exchange.pk).payment
    assert payment is not None
    assert payment.amount == 90
    assert verify_ledger().ok


def test_the_receiver_may_still_confirm_everything_before_the_deadline(
    quarter_hour, provider, receiver
):
    services.exchange_deliver(
        exchange=quarter_hour, member=provider, minutes=60, confirm_over_agreed=True
    )
    confirmed = services.exchange_confirm(exchange=quarter_hour, member=receiver)
    assert confirmed.payment_id is not None
    assert Transfer.objects.get(pk=confirmed.payment_id).amount == 60
    assert verify_ledger().ok


def test_verify_reports_an_automatic_confirmation_beyond_the_hold(quarter_hour, provider, receiver):
    """What main's auto-confirm did: all 60 minutes logged, for a 15-minute hold."""
    deliver_and_wait(quarter_hour, provider, 60)
    hold = Transfer.objects.get(pk=quarter_hour.hold_id)
    payment = ledger.hold_post(key="as-main-did", hold=hold, amount=60, initiated_by=None)
    Exchange.objects.filter(pk=quarter_hour.pk).update(
        status=Status.COMPLETED, payment=payment, completed_at=timezone.now()
    )
    report = verify_ledger()
    assert any("automatic confirmation" in p for p in report.problems), report.problems


# --- The page --------------------------------------------------------------------


def act(client, exchange, data):
    return client.post(reverse("exchange_act", args=[exchange.pk, "deliver"]), data)


def test_the_page_asks_the_provider_to_confirm_far_more_than_agreed(client, quarter_hour, provider):
    client.force_login(provider)
    page = client.get(reverse("exchange_detail", args=[quarter_hour.pk]))
    assert 'name="deliver-confirm_over_agreed"' in page.content.decode()

    refused = act(client, quarter_hour, {"deliver-hours": "40"})
    assert refused.status_code == 422
    assert (
        escape("You are logging 40 h, far more than the 0.25 h agreed") in refused.content.decode()
    )
    assert Exchange.objects.get(pk=quarter_hour.pk).status == Status.ACCEPTED

    done = act(client, quarter_hour, {"deliver-hours": "40", "deliver-confirm_over_agreed": "on"})
    assert done.status_code == 302
    assert Exchange.objects.get(pk=quarter_hour.pk).logged_minutes == FORTY_HOURS


# --- The API ---------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _generous_rate_limits(settings):
    settings.EQUITIME_API_RATE_PER_TOKEN = "10000/m"
    settings.EQUITIME_API_WRITE_RATE_PER_TOKEN = "10000/m"


def api_deliver(member, exchange, body):
    _, secret = api_token_create(member=member, name="test")
    return Client().post(
        f"/api/v1/exchanges/{exchange.pk}/deliver",
        json.dumps(body),
        content_type="application/json",
        headers={"Authorization": f"Bearer {secret}"},
    )


def test_the_api_needs_confirm_over_agreed(quarter_hour, provider):
    refused = api_deliver(provider, quarter_hour, {"minutes": FORTY_HOURS})
    assert refused.status_code == 422, refused.content
    problem = refused.json()
    assert problem["code"] == "over_agreed"
    assert problem["errors"][0]["field"] == "confirm_over_agreed"
    assert "far more than the 0.25 h agreed" in problem["detail"]
    assert Exchange.objects.get(pk=quarter_hour.pk).status == Status.ACCEPTED

    done = api_deliver(
        provider, quarter_hour, {"minutes": FORTY_HOURS, "confirm_over_agreed": True}
    )
    assert done.status_code == 200, done.content
    assert done.json()["logged_minutes"] == FORTY_HOURS


def test_the_api_takes_close_to_the_agreement_without_the_field(quarter_hour, provider):
    done = api_deliver(provider, quarter_hour, {"minutes": 30})
    assert done.status_code == 200, done.content

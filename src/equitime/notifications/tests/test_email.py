"""E-mails: one to the other party for each exchange event, only after commit.

The services are driven the way views drive them; ``django_capture_on_commit_callbacks``
runs the after-commit callbacks that the test transaction would otherwise never
reach, and collects none from work that was rolled back.
"""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from equitime.core.errors import DomainError
from equitime.exchanges import services
from equitime.exchanges.models import Exchange, Status
from equitime.exchanges.tests.factories import exchange_at
from equitime.listings.expiry import listings_warn_expiring
from equitime.listings.models import Listing
from equitime.notifications.models import Notification
from equitime.notifications.services import notification_preferences_set

pytestmark = pytest.mark.django_db

SITE = "https://equitime.example"
TITLE = "Survival analysis in R"


class Rollback(Exception):
    pass


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.EQUITIME_SITE_URL = SITE


@pytest.fixture
def provider(make_member):
    return make_member(display_name="Priya Provider")


@pytest.fixture
def receiver(make_member):
    return make_member(display_name="Rob Receiver")


@pytest.fixture
def offer(make_listing, provider):
    return make_listing(provider, title=TITLE)


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Call a service as if in its own request: after-commit work runs, and
    the outbox holds only what this call sent."""

    def call(service, **kwargs):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            return service(**kwargs)

    return call


def assert_one_email_about(exchange, to):
    assert len(mail.outbox) == 1, [m.subject for m in mail.outbox]
    [email] = mail.outbox
    assert email.to == [to.email]
    assert exchange.title in email.subject
    assert exchange.title in email.body
    assert f"{SITE}{reverse('exchange_detail', args=[exchange.pk])}" in email.body
    assert f"Hello {to.display_name}," in email.body
    return email


@pytest.fixture
def proposed(run, offer, receiver):
    return run(exchange_at, status=Status.PROPOSED, listing=offer, receiver=receiver)


@pytest.fixture
def accepted(run, proposed):
    return run(exchange_at, status=Status.ACCEPTED, exchange=proposed)


@pytest.fixture
def delivered(run, accepted):
    return run(exchange_at, status=Status.DELIVERED, exchange=accepted)


# --- One e-mail per event, to the other party ------------------------------------


def test_proposing_emails_the_listing_owner(proposed, provider):
    email = assert_one_email_about(proposed, provider)
    assert "Rob Receiver proposed an exchange" in email.subject


def test_accepting_emails_the_proposer(accepted, receiver):
    email = assert_one_email_about(accepted, receiver)
    assert "Priya Provider accepted" in email.subject


def test_declining_emails_the_proposer(run, proposed, provider, receiver):
    exchange = run(
        services.exchange_decline, exchange=proposed, member=provider, reason="Away that week"
    )

    assert exchange.status == Status.DECLINED
    email = assert_one_email_about(exchange, receiver)
    assert "declined" in email.subject


def test_logging_hours_emails_the_receiver(delivered, receiver):
    email = assert_one_email_about(delivered, receiver)
    assert "logged 1 hour for" in email.subject
    assert "Please confirm or dispute" in email.body


def test_confirming_is_not_emailed_by_default_it_waits_for_the_digest(
    run, delivered, provider, receiver
):
    mail.outbox.clear()
    exchange = run(services.exchange_confirm, exchange=delivered, member=receiver)

    assert exchange.status == Status.COMPLETED
    assert mail.outbox == []
    assert Notification.objects.filter(recipient=provider, kind="exchange_completed").exists()


def test_confirming_emails_the_provider_who_chose_it(run, delivered, provider, receiver):
    notification_preferences_set(member=provider, emails={"exchange_completed": True})
    exchange = run(services.exchange_confirm, exchange=delivered, member=receiver)

    assert exchange.status == Status.COMPLETED
    email = assert_one_email_about(exchange, provider)
    assert "Rob Receiver confirmed" in email.subject


def test_disputing_emails_the_provider(run, delivered, provider, receiver):
    exchange = run(
        services.exchange_dispute, exchange=delivered, member=receiver, reason="It was shorter"
    )

    assert exchange.status == Status.DISPUTED
    email = assert_one_email_about(exchange, provider)
    assert "disputed" in email.subject


@pytest.mark.parametrize("who", ["provider", "receiver"])
def test_cancelling_emails_the_other_party(run, accepted, provider, receiver, who):
    canceller, other = (provider, receiver) if who == "provider" else (receiver, provider)

    exchange = run(services.exchange_cancel, exchange=accepted, member=canceller)

    assert exchange.status == Status.CANCELLED
    email = assert_one_email_about(exchange, other)
    assert f"{canceller.display_name} cancelled" in email.subject


def test_a_repeated_click_sends_nothing_more(run, accepted, provider):
    again = run(services.exchange_accept, exchange=accepted, member=provider)

    assert again.status == Status.ACCEPTED
    assert mail.outbox == []


def test_automatic_confirmation_emails_both_parties_who_chose_it(
    run, delivered, provider, receiver
):
    for member in (provider, receiver):
        notification_preferences_set(member=member, emails={"exchange_completed": True})
    Exchange.objects.filter(pk=delivered.pk).update(
        delivered_at=timezone.now() - timedelta(days=30)
    )

    run(services.exchanges_auto_confirm_due)

    assert sorted(m.to[0] for m in mail.outbox) == sorted([provider.email, receiver.email])
    assert all(delivered.title in m.subject for m in mail.outbox)


def test_an_inactive_member_is_notified_in_the_app_but_not_emailed(
    run, proposed, provider, receiver
):
    type(receiver).objects.filter(pk=receiver.pk).update(is_active=False)

    run(services.exchange_accept, exchange=proposed, member=provider)

    assert mail.outbox == []
    assert Notification.objects.filter(recipient=receiver, kind="exchange_accepted").exists()


# --- Nothing leaves when the change does not happen ------------------------------------


def test_no_email_when_the_transaction_rolls_back(
    django_capture_on_commit_callbacks, proposed, provider
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:  # noqa: SIM117
        with pytest.raises(Rollback), transaction.atomic():
            services.exchange_accept(exchange=proposed, member=provider)
            assert Notification.objects.filter(kind="exchange_accepted").count() == 1
            raise Rollback

    assert callbacks == []
    assert mail.outbox == []
    assert not Notification.objects.filter(kind="exchange_accepted").exists()
    proposed.refresh_from_db()
    assert proposed.status == Status.PROPOSED


def test_no_email_when_the_service_refuses(run, offer, provider, receiver):
    # Three hours proposed, two credits held by the receiver: accepting fails.
    exchange = run(
        services.exchange_propose_from_listing, listing=offer, member=receiver, minutes=180
    )
    mail.outbox.clear()

    with pytest.raises(DomainError):
        run(services.exchange_accept, exchange=exchange, member=provider)

    assert mail.outbox == []
    assert not Notification.objects.filter(kind="exchange_accepted").exists()


# --- Listing expiry warning --------------------------------------------------------


def test_listing_expiry_warning_emails_the_owner_once(run, offer, provider, receiver):
    Listing.objects.filter(pk=offer.pk).update(expires_at=timezone.now() + timedelta(days=3))

    warned = run(listings_warn_expiring)

    assert warned == 1
    [email] = mail.outbox
    assert email.to == [provider.email]
    assert TITLE in email.subject
    assert "Renew it" in email.body
    assert f"{SITE}{reverse('listing_detail', args=[offer.pk])}" in email.body

    assert run(listings_warn_expiring) == 0
    assert mail.outbox == []


def test_listing_expiry_warning_rolled_back_sends_nothing(
    django_capture_on_commit_callbacks, offer
):
    Listing.objects.filter(pk=offer.pk).update(expires_at=timezone.now() + timedelta(days=3))
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:  # noqa: SIM117
        with pytest.raises(Rollback), transaction.atomic():
            assert listings_warn_expiring() == 1
            raise Rollback

    assert callbacks == []
    assert mail.outbox == []
    offer.refresh_from_db()
    assert offer.expiry_warned_at is None

"""Every allowed and refused exchange transition, for each role."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from equitime.core.errors import DomainError
from equitime.exchanges import services
from equitime.exchanges.models import Exchange, ExchangeEvent, Status
from equitime.ledger.models import Account, Transfer
from equitime.ledger.verify import verify_ledger
from equitime.listings.models import Listing
from equitime.listings.services import listing_pause
from equitime.notifications.models import Notification

pytestmark = pytest.mark.django_db


def balance(member):
    account = Account.objects.get(member=member)
    return account.available, account.held, account.balance


def propose(offer, receiver, minutes=60, **kw):
    return services.exchange_propose_from_listing(
        listing=offer, member=receiver, minutes=minutes, message="Could we meet Tuesday?", **kw
    )


@pytest.fixture
def proposal_message():
    return "Could we meet Tuesday?"


@pytest.fixture
def logged_minutes():
    return 90


# --- Proposing ----------------------------------------------------------------


def test_taking_up_an_offer_makes_the_taker_the_receiver(proposed, provider, receiver, offer):
    assert (proposed.provider, proposed.receiver, proposed.proposed_by) == (
        provider,
        receiver,
        receiver,
    )
    assert proposed.status == Status.PROPOSED
    assert proposed.title == offer.title
    assert proposed.improvement_area == offer.improvement_area
    assert proposed.messages.get().body == "Could we meet Tuesday?"
    assert proposed.events.get().verb == ExchangeEvent.Verb.PROPOSE
    assert Notification.objects.get(recipient=provider).kind == "exchange_proposed"
    assert balance(receiver) == (120, 0, 120)  # nothing held until accepted


def test_answering_a_request_makes_the_responder_the_provider(make_listing, provider, receiver):
    request = make_listing(receiver, kind=Listing.Kind.REQUEST)
    exchange = services.exchange_propose_from_listing(listing=request, member=provider, minutes=45)
    assert (exchange.provider, exchange.receiver) == (provider, receiver)


def test_proposing_refusals(offer, provider, receiver):
    with pytest.raises(DomainError, match="your own listing"):
        propose(offer, provider)
    for minutes in (0, -15, 20, 41 * 60):
        with pytest.raises(DomainError):
            propose(offer, receiver, minutes=minutes)
    with pytest.raises(DomainError, match="No money"):
        services.exchange_propose_from_listing(
            listing=offer, member=receiver, minutes=60, message="I can pay £20 instead"
        )
    listing_pause(listing=offer, member=provider)
    offer.refresh_from_db()
    with pytest.raises(DomainError, match="no longer open"):
        propose(offer, receiver)
    assert not Exchange.objects.exists()


def test_a_replayed_proposal_makes_one_exchange(offer, receiver, stranger):
    first = propose(offer, receiver, request_key="form-1")
    again = propose(offer, receiver, request_key="form-1")
    assert again.pk == first.pk
    assert Exchange.objects.count() == 1
    with pytest.raises(DomainError):
        propose(offer, stranger, request_key="form-1")


def test_direct_exchange_follows_the_same_path(provider, receiver, area):
    exchange = services.exchange_propose_direct(
        member=provider,
        other=receiver,
        member_gives=True,
        title="Reviewed a QI poster",
        improvement_area=area,
        benefit="A clearer poster for the sepsis project.",
        minutes=30,
    )
    assert exchange.listing is None
    assert (exchange.provider, exchange.receiver) == (provider, receiver)
    with pytest.raises(DomainError, match="other party"):
        services.exchange_accept(exchange=exchange, member=provider)
    services.exchange_accept(exchange=exchange, member=receiver)
    services.exchange_deliver(exchange=exchange, member=provider, minutes=30)
    services.exchange_confirm(exchange=exchange, member=receiver)
    assert balance(provider) == (150, 0, 150)
    assert balance(receiver) == (90, 0, 90)
    with pytest.raises(DomainError, match="two members"):
        services.exchange_propose_direct(
            member=provider,
            other=provider,
            member_gives=True,
            title="x",
            improvement_area=area,
            benefit="y",
            minutes=15,
        )


# --- Accept and decline -------------------------------------------------------


def test_accept_holds_the_receivers_credits(accepted, provider, receiver):
    assert accepted.status == Status.ACCEPTED
    assert accepted.hold.state == Transfer.State.PENDING
    assert accepted.hold.amount == 60
    assert balance(receiver) == (60, 60, 120)
    assert balance(provider) == (120, 0, 120)
    assert Notification.objects.filter(recipient=receiver, kind="exchange_accepted").exists()
    assert verify_ledger().ok


def test_only_the_other_party_accepts_or_declines(proposed, receiver, stranger, moderator):
    for member in (receiver, stranger, moderator):
        with pytest.raises(DomainError):
            services.exchange_accept(exchange=proposed, member=member)
        with pytest.raises(DomainError):
            services.exchange_decline(exchange=proposed, member=member, reason="no")
    assert Exchange.objects.get(pk=proposed.pk).status == Status.PROPOSED


def test_accept_is_refused_when_the_receiver_is_short(offer, provider, receiver):
    exchange = propose(offer, receiver, minutes=180)
    with pytest.raises(DomainError, match="Rob Receiver has 2 credits available"):
        services.exchange_accept(exchange=exchange, member=provider)
    assert Exchange.objects.get(pk=exchange.pk).status == Status.PROPOSED
    assert balance(receiver) == (120, 0, 120)


def test_double_accept_holds_once(proposed, provider, receiver):
    services.exchange_accept(exchange=proposed, member=provider)
    services.exchange_accept(exchange=proposed, member=provider)
    assert balance(receiver) == (60, 60, 120)
    assert Transfer.objects.filter(state=Transfer.State.PENDING).count() == 1
    assert ExchangeEvent.objects.filter(verb="accept").count() == 1


def test_decline_needs_a_reason_and_ends_the_exchange(proposed, provider, receiver):
    with pytest.raises(DomainError, match="reason"):
        services.exchange_decline(exchange=proposed, member=provider, reason="  ")
    declined = services.exchange_decline(exchange=proposed, member=provider, reason="Too busy")
    assert (declined.status, declined.decline_reason) == (Status.DECLINED, "Too busy")
    assert declined.declined_at is not None
    with pytest.raises(DomainError, match="now “Declined”, so it cannot be accepted"):
        services.exchange_accept(exchange=proposed, member=provider)
    assert Notification.objects.filter(recipient=receiver, kind="exchange_declined").exists()


# --- Cancel -------------------------------------------------------------------


@pytest.mark.parametrize("who", ["provider", "receiver"])
def test_either_party_cancels_before_delivery_and_the_hold_is_voided(accepted, who, request):
    member = request.getfixturevalue(who)
    cancelled = services.exchange_cancel(exchange=accepted, member=member, reason="Clash")
    assert cancelled.status == Status.CANCELLED
    assert cancelled.cancelled_by == member
    assert accepted.hold.resolution.state == Transfer.State.VOIDED
    assert balance(request.getfixturevalue("receiver")) == (120, 0, 120)
    assert verify_ledger().ok


def test_proposer_can_withdraw_a_proposal(proposed, receiver):
    assert services.exchange_cancel(exchange=proposed, member=receiver).status == Status.CANCELLED


def test_cancel_refusals(delivered, stranger, moderator, provider):
    for member in (stranger, moderator):
        with pytest.raises(DomainError, match="two members"):
            services.exchange_cancel(exchange=delivered, member=member)
    with pytest.raises(DomainError, match="cannot be cancelled"):
        services.exchange_cancel(exchange=delivered, member=provider)


# --- Deliver ------------------------------------------------------------------


def test_provider_logs_hours_in_quarter_hours(delivered, receiver):
    assert (delivered.status, delivered.logged_minutes) == (Status.DELIVERED, 90)
    assert Notification.objects.filter(recipient=receiver, kind="exchange_delivered").exists()
    assert len(mail.outbox) >= 0  # e-mails leave on commit; see test_notifications


def test_deliver_refusals(accepted, receiver, stranger, provider, proposed):
    for member in (receiver, stranger):
        with pytest.raises(DomainError, match="gave the time"):
            services.exchange_deliver(exchange=accepted, member=member, minutes=60)
    for minutes in (0, 10, -15):
        with pytest.raises(DomainError, match=r"hours|quarter"):
            services.exchange_deliver(exchange=accepted, member=provider, minutes=minutes)
    assert Exchange.objects.get(pk=accepted.pk).status == Status.ACCEPTED


def test_cannot_log_hours_before_acceptance(proposed, provider):
    with pytest.raises(DomainError, match="now “Proposed”, so it cannot be marked as given"):
        services.exchange_deliver(exchange=proposed, member=provider, minutes=60)


# --- Confirm and dispute ------------------------------------------------------


def test_confirm_posts_the_logged_hours_and_releases_the_hold(delivered, provider, receiver):
    completed = services.exchange_confirm(exchange=delivered, member=receiver)
    assert completed.status == Status.COMPLETED
    assert completed.payment is not None
    assert completed.payment.amount == 90
    assert completed.payment.pending == completed.hold
    assert completed.completed_by == receiver
    assert balance(receiver) == (30, 0, 30)
    assert balance(provider) == (210, 0, 210)
    report = verify_ledger()
    assert report.ok, report.problems


def test_confirming_twice_posts_once(delivered, receiver, provider):
    services.exchange_confirm(exchange=delivered, member=receiver)
    services.exchange_confirm(exchange=delivered, member=receiver)
    assert Transfer.objects.filter(kind="exchange", state="posted").count() == 1
    assert balance(provider) == (210, 0, 210)


def test_confirm_needs_the_extra_hours_available(offer, provider, receiver, make_member):
    exchange = propose(offer, receiver, minutes=60)
    services.exchange_accept(exchange=exchange, member=provider)
    services.exchange_deliver(
        exchange=exchange, member=provider, minutes=180, confirm_over_agreed=True
    )
    with pytest.raises(DomainError, match="3 hours were logged but 1 were held"):
        services.exchange_confirm(exchange=exchange, member=receiver)
    assert Exchange.objects.get(pk=exchange.pk).status == Status.DELIVERED
    assert balance(receiver) == (60, 60, 120)


def test_only_the_receiver_confirms_or_disputes(delivered, provider, stranger, moderator):
    for member in (provider, stranger, moderator):
        with pytest.raises(DomainError, match="received the time"):
            services.exchange_confirm(exchange=delivered, member=member)
        with pytest.raises(DomainError, match="received the time"):
            services.exchange_dispute(exchange=delivered, member=member, reason="x")


def test_dispute_needs_a_reason(delivered, receiver, provider):
    with pytest.raises(DomainError, match="what is wrong"):
        services.exchange_dispute(exchange=delivered, member=receiver, reason="")
    disputed = services.exchange_dispute(exchange=delivered, member=receiver, reason="1h only")
    assert (disputed.status, disputed.dispute_reason) == (Status.DISPUTED, "1h only")
    assert Notification.objects.filter(recipient=provider, kind="exchange_disputed").exists()
    with pytest.raises(DomainError, match="now “Disputed”, so it cannot be completed"):
        services.exchange_confirm(exchange=delivered, member=receiver)


# --- Moderation ---------------------------------------------------------------


def test_moderator_resolves_by_posting_an_amount(disputed, moderator, provider, receiver):
    resolved = services.exchange_resolve(
        exchange=disputed, moderator=moderator, minutes=60, note="Both agree 1 hour."
    )
    assert resolved.status == Status.COMPLETED
    assert resolved.payment is not None
    assert resolved.payment.amount == 60
    assert resolved.resolved_by == moderator
    assert balance(receiver) == (60, 0, 60)
    assert balance(provider) == (180, 0, 180)
    assert verify_ledger().ok


def test_moderator_resolves_by_voiding(disputed, moderator, receiver):
    resolved = services.exchange_resolve(
        exchange=disputed, moderator=moderator, minutes=None, note="No session took place."
    )
    assert resolved.status == Status.VOIDED
    assert resolved.payment is None
    assert balance(receiver) == (120, 0, 120)
    assert verify_ledger().ok


def test_resolution_refusals(disputed, provider, receiver, stranger, moderator, delivered):
    for member in (provider, receiver, stranger):
        with pytest.raises(DomainError, match="moderator"):
            services.exchange_resolve(exchange=disputed, moderator=member, minutes=60, note="x")
    with pytest.raises(DomainError, match="Explain"):
        services.exchange_resolve(exchange=disputed, moderator=moderator, minutes=60, note="")
    with pytest.raises(DomainError, match="quarter"):
        services.exchange_resolve(exchange=disputed, moderator=moderator, minutes=50, note="x")


def test_a_moderator_cannot_resolve_their_own_exchange(offer, moderator, provider):
    exchange = propose(offer, moderator)
    services.exchange_accept(exchange=exchange, member=provider)
    services.exchange_deliver(exchange=exchange, member=provider, minutes=60)
    services.exchange_dispute(exchange=exchange, member=moderator, reason="too long")
    with pytest.raises(DomainError, match="not part of this exchange"):
        services.exchange_resolve(exchange=exchange, moderator=moderator, minutes=15, note="x")


# --- Auto-confirm -------------------------------------------------------------


def test_auto_confirm_completes_only_exchanges_left_unanswered(delivered, offer, receiver):
    fresh = propose(offer, receiver, minutes=15)
    services.exchange_accept(exchange=fresh, member=offer.owner)
    services.exchange_deliver(exchange=fresh, member=offer.owner, minutes=15)
    Exchange.objects.filter(pk=delivered.pk).update(
        delivered_at=timezone.now() - timedelta(days=15)
    )
    done, problems = services.exchanges_auto_confirm_due()
    assert (done, problems) == (1, [])
    completed = Exchange.objects.get(pk=delivered.pk)
    assert completed.status == Status.COMPLETED
    assert completed.completed_by is None
    last = completed.events.last()
    assert last is not None
    assert last.verb == "auto_confirm"
    assert Exchange.objects.get(pk=fresh.pk).status == Status.DELIVERED
    assert services.exchanges_auto_confirm_due() == (0, [])
    assert verify_ledger().ok


def test_auto_confirm_of_an_exchange_not_due_is_refused(delivered):
    with pytest.raises(DomainError, match="not due"):
        services.exchange_auto_confirm(exchange=delivered)


# --- Messages, thanks, reflections -------------------------------------------


def test_messages_between_the_parties_only(proposed, provider, stranger):
    message = services.exchange_message_post(exchange=proposed, member=provider, body="Yes!")
    assert message.author == provider
    with pytest.raises(DomainError):
        services.exchange_message_post(exchange=proposed, member=stranger, body="Hi")
    with pytest.raises(DomainError, match="Write a message"):
        services.exchange_message_post(exchange=proposed, member=provider, body=" ")
    with pytest.raises(DomainError, match="No money"):
        services.exchange_message_post(exchange=proposed, member=provider, body="Invoice me")


def test_thanks_after_completion_once_per_party(delivered, provider, receiver, stranger):
    with pytest.raises(DomainError, match="once the exchange is completed"):
        services.thanks_give(exchange=delivered, member=receiver, message="Thanks")
    services.exchange_confirm(exchange=delivered, member=receiver)
    thanks = services.thanks_give(
        exchange=delivered, member=receiver, message="Thank you!", impact="Chart in use on ward 7"
    )
    assert thanks.recipient == provider
    with pytest.raises(DomainError, match="already thanked"):
        services.thanks_give(exchange=delivered, member=receiver, message="Again")
    with pytest.raises(DomainError):
        services.thanks_give(exchange=delivered, member=stranger, message="Me too")


def test_reflection_is_private_and_replaceable(proposed, provider, stranger):
    services.reflection_save(exchange=proposed, member=provider, text="First thoughts")
    reflection = services.reflection_save(exchange=proposed, member=provider, text="Revised")
    assert reflection.text == "Revised"
    assert proposed.reflections.count() == 1
    with pytest.raises(DomainError):
        services.reflection_save(exchange=proposed, member=stranger, text="Nosy")

"""The exchange pages: proposing, the exchange page and every action on it.

Each action is posted as the party who may make it (it works and the ledger
moves exactly as it should), as the party who may not (refused with a message
a person can read, nothing changes), as a member outside the exchange (404),
as an anonymous visitor (sign-in) and with GET (405).
"""

import uuid
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils.html import escape

from equitime.exchanges import services
from equitime.exchanges.models import Exchange, ExchangeEvent, Reflection, Status, Thanks
from equitime.ledger.models import Account, Transfer
from equitime.ledger.verify import verify_ledger
from equitime.listings.models import Listing
from equitime.listings.services import listing_pause
from equitime.notifications.models import Notification

pytestmark = pytest.mark.django_db

Verb = ExchangeEvent.Verb

# --- Helpers ---------------------------------------------------------------------------


def login_url(next_url: str) -> str:
    return f"{reverse('account_login')}?next={next_url}"


def act_url(exchange: Exchange, action: str) -> str:
    return reverse("exchange_act", args=[exchange.pk, action])


def detail_url(exchange: Exchange) -> str:
    return reverse("exchange_detail", args=[exchange.pk])


def act(client, exchange, action, data=None, **kwargs):
    return client.post(act_url(exchange, action), data or {}, **kwargs)


def shows(response, text: str) -> bool:
    return escape(text) in response.content.decode()


def flash(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def credits(member) -> tuple[int, int, int]:
    """(available, held, balance) in minutes."""
    account = Account.objects.get(member=member)
    return account.available, account.held, account.balance


def assert_ledger_whole():
    report = verify_ledger()
    assert report.ok, report.problems


def world(exchange: Exchange) -> dict:
    """Everything a refused request must leave as it was."""
    ex = Exchange.objects.get(pk=exchange.pk)
    return {
        "exchange": {
            name: getattr(ex, name)
            for name in (
                "status",
                "hold_id",
                "payment_id",
                "logged_minutes",
                "updated_at",
                "decline_reason",
                "dispute_reason",
                "resolution_note",
                "cancelled_by_id",
                "resolved_by_id",
            )
        },
        "events": list(ex.events.values_list("verb", flat=True)),
        "messages": list(ex.messages.values_list("body", flat=True)),
        "thanks": list(ex.thanks.values_list("message", flat=True)),
        "reflections": list(ex.reflections.values_list("text", flat=True)),
        "transfers": list(Transfer.objects.order_by("pk").values_list("pk", "state")),
        "accounts": list(
            Account.objects.order_by("pk").values_list(
                "pk", "posted_debits", "posted_credits", "pending_debits", "pending_credits"
            )
        ),
        "notifications": Notification.objects.count(),
    }


def exchange_transfers(exchange: Exchange):
    return Transfer.objects.filter(key__startswith=f"exchange:{exchange.pk}:")


@pytest.fixture
def make_exchange(offer, provider, receiver, moderator):
    """An exchange on ``offer`` (the receiver took it up) brought to ``status``
    through the services; the pages under test are then tried on it."""

    def make(status=Status.PROPOSED, minutes=60, logged=60):
        ex = services.exchange_propose_from_listing(
            listing=offer, member=receiver, minutes=minutes, message="Could we meet on Tuesday?"
        )
        if status == Status.PROPOSED:
            return ex
        if status == Status.DECLINED:
            return services.exchange_decline(exchange=ex, member=provider, reason="On leave")
        ex = services.exchange_accept(exchange=ex, member=provider)
        if status == Status.ACCEPTED:
            return ex
        if status == Status.CANCELLED:
            return services.exchange_cancel(exchange=ex, member=receiver, reason="Postponed")
        ex = services.exchange_deliver(exchange=ex, member=provider, minutes=logged)
        if status == Status.DELIVERED:
            return ex
        if status == Status.COMPLETED:
            return services.exchange_confirm(exchange=ex, member=receiver)
        ex = services.exchange_dispute(exchange=ex, member=receiver, reason="It was shorter")
        if status == Status.DISPUTED:
            return ex
        if status == Status.VOIDED:
            return services.exchange_resolve(
                exchange=ex, moderator=moderator, minutes=None, note="No session took place."
            )
        if status == "resolved":
            return services.exchange_resolve(
                exchange=ex, moderator=moderator, minutes=logged, note="Both agree."
            )
        raise AssertionError(status)

    return make


# action -> (status it can start from, who may make it, valid form data)
RIGHT = {
    "accept": (Status.PROPOSED, "provider", {}),
    "decline": (Status.PROPOSED, "provider", {"decline-reason": "I am on leave that week."}),
    "cancel": (Status.ACCEPTED, "receiver", {"cancel-reason": "The audit was postponed."}),
    "deliver": (Status.ACCEPTED, "provider", {"deliver-hours": "1.5"}),
    "confirm": (Status.DELIVERED, "receiver", {}),
    "dispute": (Status.DELIVERED, "receiver", {"dispute-reason": "We met for half an hour."}),
    "resolve": (
        Status.DISPUTED,
        "moderator",
        {"resolve-outcome": "post", "resolve-hours": "0.5", "resolve-note": "Half an hour."},
    ),
    "message": (Status.ACCEPTED, "provider", {"message-body": "Shall we use Teams?"}),
    "thanks": (
        Status.COMPLETED,
        "receiver",
        {
            "thanks-message": "Thank you, the run chart is on the ward wall.",
            "thanks-impact": "Falls are reviewed weekly now.",
            "thanks-show_on_profile": "on",
        },
    ),
    "reflect": (Status.COMPLETED, "provider", {"reflect-text": "I explain hazards too fast."}),
}

# action -> (status, who tries it though they may not, the refusal they read)
WRONG = {
    "accept": (Status.PROPOSED, "receiver", "Only the other party can accept this exchange."),
    "decline": (Status.PROPOSED, "receiver", "Only the other party can decline this exchange."),
    "cancel": (
        Status.DISPUTED,
        "moderator",
        "Only the two members in this exchange can cancel it.",
    ),
    "deliver": (Status.ACCEPTED, "receiver", "Only the member who gave the time can log it."),
    "confirm": (
        Status.DELIVERED,
        "provider",
        "Only the member who received the time can confirm it.",
    ),
    "dispute": (
        Status.DELIVERED,
        "provider",
        "Only the member who received the time can dispute it.",
    ),
    "resolve": (
        Status.DISPUTED,
        "receiver",
        "Only a moderator who is not part of this exchange can resolve it.",
    ),
    "message": (
        Status.DISPUTED,
        "moderator",
        "Only the two members in this exchange can write here.",
    ),
    "thanks": (
        "resolved",
        "moderator",
        "Only the two members in this exchange can leave thanks.",
    ),
    "reflect": (
        Status.DISPUTED,
        "moderator",
        "Only the two members in this exchange can reflect on it.",
    ),
}

# The actions without a form answer a refusal with a message and a redirect;
# the others show the form again with the refusal in its error summary.


# --- Proposing from a listing ----------------------------------------------------------


def test_taking_up_an_offer_through_the_listing_page(client, offer, provider, receiver):
    client.force_login(receiver)
    page = client.get(reverse("listing_detail", args=[offer.pk]))
    key = page.context["propose_form"]["request_key"].value()
    assert key  # made when the form is shown

    response = client.post(
        reverse("exchange_propose", args=[offer.pk]),
        {"hours": "1.5", "message": "Could we meet on Tuesday?", "request_key": key},
    )

    exchange = Exchange.objects.get()
    assert response.status_code == 302
    assert response.url == detail_url(exchange)
    assert (exchange.provider, exchange.receiver, exchange.proposed_by) == (
        provider,
        receiver,
        receiver,
    )
    assert exchange.listing == offer
    assert exchange.status == Status.PROPOSED
    assert exchange.proposed_minutes == 90
    assert exchange.request_key == str(key)
    assert exchange.messages.get().body == "Could we meet on Tuesday?"
    assert flash(response) == ["Your proposal is sent. You will be told when it is accepted."]
    assert Notification.objects.get(recipient=provider).exchange == exchange
    assert credits(receiver) == (120, 0, 120)  # nothing held before it is accepted


def test_answering_a_request_makes_the_responder_the_provider(
    client, make_listing, provider, receiver
):
    request = make_listing(receiver, kind=Listing.Kind.REQUEST, minutes=45)
    client.force_login(provider)

    client.post(
        reverse("exchange_propose", args=[request.pk]),
        {"hours": "0.75", "message": "", "request_key": str(uuid.uuid4())},
    )

    exchange = Exchange.objects.get()
    assert (exchange.provider, exchange.receiver, exchange.proposed_by) == (
        provider,
        receiver,
        provider,
    )
    assert not exchange.messages.exists()
    # The request's owner accepts, and their own credits are held.
    client.force_login(receiver)
    act(client, exchange, "accept")
    assert credits(receiver) == (75, 45, 120)
    assert credits(provider) == (120, 0, 120)
    assert_ledger_whole()


def test_the_propose_page_shows_the_form_with_the_listing_estimate(client, offer, receiver):
    client.force_login(receiver)

    response = client.get(reverse("exchange_propose", args=[offer.pk]))

    assert response.status_code == 200
    assert response.context["form"]["hours"].value() == 1
    assert shows(response, "Priya Provider")
    assert "NHS numbers" in response.content.decode()


def test_replaying_the_same_proposal_makes_one_exchange(client, offer, receiver):
    client.force_login(receiver)
    data = {"hours": "1", "message": "Tuesday?", "request_key": str(uuid.uuid4())}
    url = reverse("exchange_propose", args=[offer.pk])

    first = client.post(url, data)
    second = client.post(url, data)

    exchange = Exchange.objects.get()
    assert first.url == second.url == detail_url(exchange)
    assert exchange.messages.count() == 1
    assert exchange.events.count() == 1


def test_two_proposals_with_different_keys_make_two_exchanges(client, offer, receiver):
    client.force_login(receiver)
    url = reverse("exchange_propose", args=[offer.pk])

    client.post(url, {"hours": "1", "request_key": str(uuid.uuid4())})
    client.post(url, {"hours": "1", "request_key": str(uuid.uuid4())})

    assert Exchange.objects.count() == 2


def test_another_member_cannot_reuse_someone_elses_request_key(client, offer, receiver, stranger):
    key = str(uuid.uuid4())
    url = reverse("exchange_propose", args=[offer.pk])
    client.force_login(receiver)
    client.post(url, {"hours": "1", "request_key": key})

    client.force_login(stranger)
    response = client.post(url, {"hours": "1", "request_key": key})

    assert response.status_code == 200
    assert shows(response, "This form was already used.")
    assert Exchange.objects.get().receiver == receiver


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"hours": "0.3"}, "Use quarter-hours"),
        ({"hours": "0"}, "greater than or equal to 0.25"),
        ({"hours": "41"}, "less than or equal to 40"),
        ({"hours": ""}, "This field is required."),
        ({"hours": "1", "message": "I usually charge £40 for this."}, "No money changes hands"),
        ({"hours": "1", "message": "Happy to invoice your team."}, "No money changes hands"),
    ],
)
def test_a_bad_proposal_is_shown_with_its_error_and_makes_nothing(
    client, offer, receiver, data, error
):
    client.force_login(receiver)

    response = client.post(reverse("exchange_propose", args=[offer.pk]), data)

    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert error in response.content.decode()
    assert not Exchange.objects.exists()
    assert not Notification.objects.exists()


def test_the_owner_cannot_take_up_their_own_listing(client, offer, provider):
    client.force_login(provider)

    response = client.post(
        reverse("exchange_propose", args=[offer.pk]),
        {"hours": "1", "request_key": str(uuid.uuid4())},
    )

    assert response.status_code == 200
    assert shows(response, "This is your own listing.")
    assert not Exchange.objects.exists()


def test_a_paused_listing_cannot_be_taken_up(client, offer, provider, receiver):
    listing_pause(listing=offer, member=provider)
    client.force_login(receiver)

    response = client.post(
        reverse("exchange_propose", args=[offer.pk]),
        {"hours": "1", "request_key": str(uuid.uuid4())},
    )

    assert response.status_code == 404
    assert not Exchange.objects.exists()


def test_anonymous_visitor_cannot_propose(client, offer):
    url = reverse("exchange_propose", args=[offer.pk])

    response = client.post(url, {"hours": "1", "request_key": str(uuid.uuid4())})

    assert (response.status_code, response.url) == (302, login_url(url))
    assert not Exchange.objects.exists()


# --- The whole lifecycle through the pages ---------------------------------------------


def test_the_whole_lifecycle_through_the_pages(client, offer, provider, receiver):
    propose_url = reverse("exchange_propose", args=[offer.pk])
    client.force_login(receiver)
    client.post(
        propose_url,
        {"hours": "1", "message": "Could we meet on Tuesday?", "request_key": str(uuid.uuid4())},
    )
    exchange = Exchange.objects.get()

    client.force_login(provider)
    assert act(client, exchange, "accept").status_code == 302
    assert credits(receiver) == (60, 60, 120)
    act(client, exchange, "message", {"message-body": "Tuesday at 10 on Teams."})
    act(client, exchange, "deliver", {"deliver-hours": "1.25"})
    exchange.refresh_from_db()
    assert (exchange.status, exchange.logged_minutes) == (Status.DELIVERED, 75)

    client.force_login(receiver)
    act(client, exchange, "confirm")
    exchange.refresh_from_db()
    assert exchange.status == Status.COMPLETED
    assert exchange.completed_by == receiver
    # 75 minutes move: the 60 held and 15 more from what was available.
    assert credits(receiver) == (45, 0, 45)
    assert credits(provider) == (195, 0, 195)
    act(
        client,
        exchange,
        "thanks",
        {"thanks-message": "Brilliant session.", "thanks-show_on_profile": "on"},
    )
    act(client, exchange, "reflect", {"reflect-text": "I now read Kaplan-Meier curves."})

    page = client.get(detail_url(exchange))
    assert [event.verb for event in page.context["events"]] == [
        Verb.PROPOSE,
        Verb.ACCEPT,
        Verb.DELIVER,
        Verb.CONFIRM,
    ]
    assert [m.body for m in page.context["thread"]] == [
        "Could we meet on Tuesday?",
        "Tuesday at 10 on Teams.",
    ]
    assert Thanks.objects.get().recipient == provider
    assert Reflection.objects.get().author == receiver
    [payment] = exchange_transfers(exchange).filter(state=Transfer.State.POSTED)
    assert payment.amount == 75
    assert_ledger_whole()


# --- Each action, as the party who may make it -----------------------------------------


def test_provider_accepts_and_the_receivers_credits_are_held(client, make_exchange, provider):
    exchange = make_exchange(Status.PROPOSED, minutes=90)
    client.force_login(provider)

    response = act(client, exchange, "accept")

    exchange.refresh_from_db()
    assert response.url == detail_url(exchange)
    assert flash(response) == ["Accepted. The hours are held until the exchange is confirmed."]
    assert exchange.status == Status.ACCEPTED
    assert exchange.hold.state == Transfer.State.PENDING
    assert exchange.hold.amount == 90
    assert credits(exchange.receiver) == (30, 90, 120)
    assert credits(provider) == (120, 0, 120)
    assert_ledger_whole()


def test_provider_declines_with_a_reason_and_nothing_is_held(client, make_exchange, provider):
    exchange = make_exchange(Status.PROPOSED)
    client.force_login(provider)

    response = act(client, exchange, "decline", RIGHT["decline"][2])

    exchange.refresh_from_db()
    assert response.status_code == 302
    assert exchange.status == Status.DECLINED
    assert exchange.decline_reason == "I am on leave that week."
    assert exchange.hold is None
    assert credits(exchange.receiver) == (120, 0, 120)
    page = client.get(detail_url(exchange))
    assert shows(page, "I am on leave that week.")
    assert_ledger_whole()


@pytest.mark.parametrize("who", ["provider", "receiver"])
def test_either_party_cancels_an_accepted_exchange_and_the_hold_is_released(
    client, make_exchange, request, who
):
    exchange = make_exchange(Status.ACCEPTED)
    member = request.getfixturevalue(who)
    client.force_login(member)

    response = act(client, exchange, "cancel", {"cancel-reason": "The audit was postponed."})

    exchange.refresh_from_db()
    assert response.status_code == 302
    assert flash(response) == ["Cancelled. Any held credits are released."]
    assert exchange.status == Status.CANCELLED
    assert exchange.cancelled_by == member
    assert exchange.events.last().note == "The audit was postponed."
    assert exchange_transfers(exchange).get(state=Transfer.State.VOIDED).pending == exchange.hold
    assert credits(exchange.receiver) == (120, 0, 120)
    assert credits(exchange.provider) == (120, 0, 120)
    assert_ledger_whole()


def test_the_proposer_cancels_a_proposal_without_a_reason(client, make_exchange, receiver):
    exchange = make_exchange(Status.PROPOSED)
    client.force_login(receiver)

    act(client, exchange, "cancel", {"cancel-reason": ""})

    exchange.refresh_from_db()
    assert exchange.status == Status.CANCELLED
    assert not exchange_transfers(exchange).exists()


def test_provider_logs_the_hours_given(client, make_exchange, provider):
    exchange = make_exchange(Status.ACCEPTED)
    client.force_login(provider)

    response = act(client, exchange, "deliver", {"deliver-hours": "1.5"})

    exchange.refresh_from_db()
    assert flash(response) == ["Hours logged. Your colleague will confirm them."]
    assert (exchange.status, exchange.logged_minutes) == (Status.DELIVERED, 90)
    # Nothing moves until the receiver confirms.
    assert credits(exchange.receiver) == (60, 60, 120)
    assert credits(provider) == (120, 0, 120)
    assert_ledger_whole()


def test_receiver_confirms_and_the_credits_move(client, make_exchange, receiver):
    exchange = make_exchange(Status.DELIVERED, logged=45)
    client.force_login(receiver)

    response = act(client, exchange, "confirm")

    exchange.refresh_from_db()
    assert flash(response) == ["Confirmed. The credits have moved. You can now leave thanks."]
    assert exchange.status == Status.COMPLETED
    assert exchange.payment.amount == 45
    assert exchange.payment.state == Transfer.State.POSTED
    assert credits(receiver) == (75, 0, 75)
    assert credits(exchange.provider) == (165, 0, 165)
    assert_ledger_whole()


def test_confirming_twice_posts_one_transfer(client, make_exchange, receiver):
    exchange = make_exchange(Status.DELIVERED)
    client.force_login(receiver)

    first = act(client, exchange, "confirm")
    transfers_after_first = Transfer.objects.count()
    second = act(client, exchange, "confirm")

    assert first.status_code == second.status_code == 302
    assert Transfer.objects.count() == transfers_after_first
    assert exchange_transfers(exchange).filter(state=Transfer.State.POSTED).count() == 1
    assert credits(receiver) == (60, 0, 60)
    assert credits(exchange.provider) == (180, 0, 180)
    assert list(Exchange.objects.get(pk=exchange.pk).events.values_list("verb", flat=True)) == [
        Verb.PROPOSE,
        Verb.ACCEPT,
        Verb.DELIVER,
        Verb.CONFIRM,
    ]
    assert_ledger_whole()


def test_accepting_twice_holds_once(client, make_exchange, provider):
    exchange = make_exchange(Status.PROPOSED)
    client.force_login(provider)

    act(client, exchange, "accept")
    act(client, exchange, "accept")

    assert exchange_transfers(exchange).count() == 1
    assert credits(exchange.receiver) == (60, 60, 120)
    assert_ledger_whole()


def test_receiver_disputes_and_the_credits_stay_held(client, make_exchange, receiver):
    exchange = make_exchange(Status.DELIVERED)
    client.force_login(receiver)

    response = act(client, exchange, "dispute", {"dispute-reason": "We met for half an hour."})

    exchange.refresh_from_db()
    assert flash(response) == [
        "Disputed. A moderator will review it; the credits stay held meanwhile."
    ]
    assert exchange.status == Status.DISPUTED
    assert exchange.dispute_reason == "We met for half an hour."
    assert exchange.payment is None
    assert credits(receiver) == (60, 60, 120)
    assert_ledger_whole()


def test_moderator_resolves_by_moving_the_hours_they_decide(client, make_exchange, moderator):
    exchange = make_exchange(Status.DISPUTED, logged=90)
    client.force_login(moderator)

    response = act(
        client,
        exchange,
        "resolve",
        {"resolve-outcome": "post", "resolve-hours": "0.5", "resolve-note": "Half an hour."},
    )

    exchange.refresh_from_db()
    assert flash(response) == ["The dispute is resolved and both members have been told."]
    assert exchange.status == Status.COMPLETED
    assert exchange.resolved_by == moderator
    assert exchange.resolution_note == "Half an hour."
    assert exchange.payment.amount == 30
    assert credits(exchange.receiver) == (90, 0, 90)
    assert credits(exchange.provider) == (150, 0, 150)
    assert credits(moderator) == (120, 0, 120)
    assert {n.recipient for n in Notification.objects.filter(kind="exchange_resolved")} == {
        exchange.provider,
        exchange.receiver,
    }
    assert_ledger_whole()


def test_moderator_resolves_by_closing_without_credits(client, make_exchange, moderator):
    exchange = make_exchange(Status.DISPUTED)
    client.force_login(moderator)

    act(
        client,
        exchange,
        "resolve",
        {"resolve-outcome": "void", "resolve-hours": "", "resolve-note": "No session held."},
    )

    exchange.refresh_from_db()
    assert exchange.status == Status.VOIDED
    assert exchange.payment is None
    assert exchange_transfers(exchange).filter(state=Transfer.State.VOIDED).count() == 1
    assert credits(exchange.receiver) == (120, 0, 120)
    assert credits(exchange.provider) == (120, 0, 120)
    assert_ledger_whole()


def test_a_party_writes_a_message_and_the_other_reads_it(client, make_exchange, provider, receiver):
    exchange = make_exchange(Status.ACCEPTED)
    client.force_login(provider)

    response = act(client, exchange, "message", {"message-body": "Shall we use <b>Teams</b>?"})

    assert flash(response) == ["Message sent."]
    assert exchange.messages.last().author == provider
    assert Notification.objects.filter(recipient=receiver, kind="exchange_message").exists()
    client.force_login(receiver)
    page = client.get(detail_url(exchange))
    assert "Shall we use &lt;b&gt;Teams&lt;/b&gt;?" in page.content.decode()
    assert "<b>Teams</b>" not in page.content.decode()


def test_a_party_leaves_thanks_once(client, make_exchange, receiver, provider):
    exchange = make_exchange(Status.COMPLETED)
    client.force_login(receiver)

    first = act(client, exchange, "thanks", RIGHT["thanks"][2])
    second = act(client, exchange, "thanks", RIGHT["thanks"][2])

    thanks = Thanks.objects.get()
    assert flash(first) == ["Your thanks are sent. They mean a lot to your colleague."]
    assert (thanks.author, thanks.recipient) == (receiver, provider)
    assert thanks.impact == "Falls are reviewed weekly now."
    assert thanks.show_on_profile is True
    assert second.status_code == 422
    assert shows(second, "You have already thanked your colleague for this exchange.")
    page = client.get(detail_url(exchange))
    assert page.context["forms"]["thanks"] is None  # the form is gone once thanked


def test_thanks_are_refused_before_the_exchange_is_completed(client, make_exchange, receiver):
    exchange = make_exchange(Status.DELIVERED)
    before = world(exchange)
    client.force_login(receiver)

    response = act(client, exchange, "thanks", RIGHT["thanks"][2])

    assert response.status_code == 422
    assert shows(response, "Thanks can be left once the exchange is completed.")
    assert world(exchange) == before


def test_a_party_saves_and_replaces_a_private_reflection(client, make_exchange, provider):
    exchange = make_exchange(Status.COMPLETED)
    client.force_login(provider)

    act(client, exchange, "reflect", {"reflect-text": "First thoughts."})
    response = act(client, exchange, "reflect", {"reflect-text": "I explain hazards too fast."})

    assert flash(response)[-1] == "Your reflection is saved. Only you can see it."
    assert Reflection.objects.get().text == "I explain hazards too fast."
    page = client.get(detail_url(exchange))
    assert page.context["forms"]["reflect"]["text"].value() == "I explain hazards too fast."


# --- Each action, as everyone else -----------------------------------------------------


@pytest.mark.parametrize("action", sorted(WRONG))
def test_the_wrong_party_is_refused_and_nothing_changes(client, make_exchange, request, action):
    status, who, _refusal = WRONG[action]
    exchange = make_exchange(status)
    before = world(exchange)
    client.force_login(request.getfixturevalue(who))

    response = act(client, exchange, action, RIGHT[action][2])

    # A refusal sends the member back to the exchange page, which says why.
    assert (response.status_code, response.url) == (302, detail_url(exchange))
    assert world(exchange) == before


@pytest.mark.parametrize(
    "action",
    sorted(WRONG),
)
def test_the_wrong_party_reads_why_they_were_refused(client, make_exchange, request, action):
    status, who, refusal = WRONG[action]
    exchange = make_exchange(status)
    client.force_login(request.getfixturevalue(who))

    response = act(client, exchange, action, RIGHT[action][2], follow=True)

    assert response.redirect_chain == [(detail_url(exchange), 302)]
    assert shows(response, refusal)


@pytest.mark.parametrize("action", sorted(RIGHT))
def test_a_member_outside_the_exchange_gets_not_found(client, make_exchange, stranger, action):
    status, _who, data = RIGHT[action]
    exchange = make_exchange(status)
    before = world(exchange)
    client.force_login(stranger)

    assert act(client, exchange, action, data).status_code == 404
    assert client.get(detail_url(exchange)).status_code == 404
    assert world(exchange) == before


@pytest.mark.parametrize("action", sorted(RIGHT))
def test_anonymous_visitor_is_sent_to_sign_in_and_nothing_changes(client, make_exchange, action):
    status, _who, data = RIGHT[action]
    exchange = make_exchange(status)
    before = world(exchange)
    url = act_url(exchange, action)

    response = client.post(url, data)

    assert (response.status_code, response.url) == (302, login_url(url))
    assert world(exchange) == before


@pytest.mark.parametrize("action", sorted(RIGHT))
def test_get_is_not_allowed_on_an_action(client, make_exchange, request, action):
    status, who, _data = RIGHT[action]
    exchange = make_exchange(status)
    before = world(exchange)
    client.force_login(request.getfixturevalue(who))

    assert client.get(act_url(exchange, action)).status_code == 405
    assert world(exchange) == before


def test_an_unknown_action_is_not_found(client, make_exchange, provider):
    exchange = make_exchange(Status.PROPOSED)
    before = world(exchange)
    client.force_login(provider)

    assert act(client, exchange, "delete").status_code == 404
    assert world(exchange) == before


# (status, who, action, data, refusal, whether the page hides the refusal)
OUT_OF_TURN = [
    (
        Status.DELIVERED,
        "provider",
        "cancel",
        {"cancel-reason": ""},
        "This exchange is now \u201cHours logged\u201d, so it cannot be cancelled.",
        True,
    ),
    (
        Status.COMPLETED,
        "provider",
        "deliver",
        {"deliver-hours": "1"},
        "This exchange is now \u201cCompleted\u201d, so it cannot be marked as given.",
        True,
    ),
    (
        Status.CANCELLED,
        "provider",
        "deliver",
        {"deliver-hours": "1"},
        "This exchange is now \u201cCancelled\u201d, so it cannot be marked as given.",
        True,
    ),
    (
        Status.DECLINED,
        "provider",
        "accept",
        {},
        "This exchange is now \u201cDeclined\u201d, so it cannot be accepted.",
        False,
    ),
    (
        Status.VOIDED,
        "receiver",
        "confirm",
        {},
        "This exchange is now \u201cClosed without credits\u201d, so it cannot be completed.",
        False,
    ),
]


@pytest.mark.parametrize(("status", "who", "action", "data"), [c[:4] for c in OUT_OF_TURN])
def test_a_move_out_of_turn_is_refused_and_changes_nothing(
    client, make_exchange, request, status, who, action, data
):
    exchange = make_exchange(status)
    before = world(exchange)
    client.force_login(request.getfixturevalue(who))

    response = act(client, exchange, action, data)

    assert response.status_code == 302
    assert world(exchange) == before


@pytest.mark.parametrize(
    ("status", "who", "action", "data", "refusal"),
    [c[:5] for c in OUT_OF_TURN],
)
def test_a_move_out_of_turn_is_explained(
    client, make_exchange, request, status, who, action, data, refusal
):
    exchange = make_exchange(status)
    client.force_login(request.getfixturevalue(who))

    response = act(client, exchange, action, data, follow=True)

    assert shows(response, refusal)


@pytest.mark.parametrize(
    ("status", "who", "action", "data", "error"),
    [
        (Status.PROPOSED, "provider", "decline", {"decline-reason": ""}, "required"),
        (Status.PROPOSED, "provider", "decline", {"decline-reason": "   "}, "required"),
        (Status.DELIVERED, "receiver", "dispute", {"dispute-reason": ""}, "required"),
        (
            Status.DELIVERED,
            "receiver",
            "dispute",
            {"dispute-reason": "I want my £20 back"},
            "No money changes hands",
        ),
        (Status.ACCEPTED, "provider", "deliver", {"deliver-hours": "0.3"}, "Use quarter-hours"),
        (Status.ACCEPTED, "provider", "deliver", {"deliver-hours": "0"}, "greater than or equal"),
        (Status.ACCEPTED, "provider", "deliver", {"deliver-hours": "41"}, "less than or equal"),
        (Status.ACCEPTED, "provider", "deliver", {"deliver-hours": ""}, "required"),
        (Status.ACCEPTED, "provider", "message", {"message-body": ""}, "required"),
        (
            Status.ACCEPTED,
            "provider",
            "message",
            {"message-body": "Send the fee by PayPal please"},
            "No money changes hands",
        ),
        (
            Status.ACCEPTED,
            "receiver",
            "message",
            {"message-body": "I can give you 30 pounds instead"},
            "No money changes hands",
        ),
        (
            Status.DISPUTED,
            "moderator",
            "resolve",
            {"resolve-outcome": "post", "resolve-hours": "", "resolve-note": "Half."},
            "Enter the hours to move.",
        ),
        (
            Status.DISPUTED,
            "moderator",
            "resolve",
            {"resolve-outcome": "post", "resolve-hours": "0.3", "resolve-note": "Half."},
            "Use quarter-hours",
        ),
        (
            Status.DISPUTED,
            "moderator",
            "resolve",
            {"resolve-outcome": "void", "resolve-note": ""},
            "required",
        ),
        (
            Status.DISPUTED,
            "moderator",
            "resolve",
            {"resolve-outcome": "refund", "resolve-note": "Done."},
            "Select a valid choice",
        ),
        (Status.COMPLETED, "receiver", "thanks", {"thanks-message": ""}, "required"),
        (
            Status.COMPLETED,
            "receiver",
            "thanks",
            {"thanks-message": "Thanks!", "thanks-impact": "Saved us a £500 invoice"},
            "No money changes hands",
        ),
        (Status.COMPLETED, "provider", "reflect", {"reflect-text": ""}, "required"),
    ],
)
def test_invalid_input_is_answered_with_422_and_an_error_summary(
    client, make_exchange, request, status, who, action, data, error
):
    exchange = make_exchange(status)
    before = world(exchange)
    client.force_login(request.getfixturevalue(who))

    response = act(client, exchange, action, data)

    assert response.status_code == 422
    content = response.content.decode()
    assert "There is a problem" in content
    assert error in content
    # The submitted form is the one shown again, with its errors in place.
    assert response.context["forms"][action].is_bound
    assert world(exchange) == before


def test_resolving_for_more_than_the_receiver_holds_is_refused_in_the_form(
    client, make_exchange, moderator
):
    exchange = make_exchange(Status.DISPUTED, logged=60)
    before = world(exchange)
    client.force_login(moderator)

    response = act(
        client,
        exchange,
        "resolve",
        {"resolve-outcome": "post", "resolve-hours": "10", "resolve-note": "Ten hours."},
    )

    assert response.status_code == 422
    assert shows(response, "Rob Receiver has only 1 more credit available")
    assert world(exchange) == before


@pytest.mark.parametrize(
    ("status", "who", "action", "data"),
    [
        (Status.PROPOSED, "provider", "decline", {"decline-reason": "Only for £30 cash"}),
        (Status.ACCEPTED, "provider", "cancel", {"cancel-reason": "Pay me 20 pounds first"}),
    ],
)
def test_money_talk_in_a_reason_shown_to_the_other_party_is_refused(
    client, make_exchange, request, status, who, action, data
):
    exchange = make_exchange(status)
    before = world(exchange)
    client.force_login(request.getfixturevalue(who))

    response = act(client, exchange, action, data)

    assert response.status_code == 422
    assert "No money changes hands" in response.content.decode()
    assert world(exchange) == before


# --- Accepting without enough credits --------------------------------------------------


def test_accepting_when_the_receiver_is_short_explains_and_holds_nothing(
    client, make_exchange, provider, receiver
):
    exchange = make_exchange(Status.PROPOSED, minutes=180)  # receiver has 2 credits
    before = world(exchange)
    client.force_login(provider)

    response = act(client, exchange, "accept", follow=True)

    assert response.redirect_chain == [(detail_url(exchange), 302)]
    assert shows(
        response,
        "Rob Receiver has 2 credits available, not enough to hold 3 for this exchange. "
        "Ask them to propose fewer hours.",
    )
    assert world(exchange) == before
    assert Exchange.objects.get(pk=exchange.pk).status == Status.PROPOSED
    assert credits(receiver) == (120, 0, 120)
    assert_ledger_whole()


def test_a_receiver_accepting_with_too_few_credits_is_told_in_the_first_person(
    client, provider, receiver, area
):
    exchange = services.exchange_propose_direct(
        member=provider,
        other=receiver,
        member_gives=True,
        title="Coaching for a new ward manager",
        improvement_area=area,
        benefit="A steadier ward team.",
        minutes=150,
    )
    before = world(exchange)
    client.force_login(receiver)

    response = act(client, exchange, "accept", follow=True)

    assert shows(
        response,
        "You have 2 credits available, not enough to hold 2.5 for this exchange. "
        "Propose fewer hours, or earn credits by offering your time.",
    )
    assert world(exchange) == before


# --- The exchange page -----------------------------------------------------------------


def action_urls(response, exchange) -> set[str]:
    """The actions whose forms the page offers."""
    content = response.content.decode()
    return {action for action in RIGHT if f'action="{act_url(exchange, action)}"' in content}


@pytest.mark.parametrize(
    ("status", "who", "offered"),
    [
        (Status.PROPOSED, "provider", {"accept", "decline", "cancel", "message", "reflect"}),
        (Status.PROPOSED, "receiver", {"cancel", "message", "reflect"}),
        (Status.ACCEPTED, "provider", {"deliver", "cancel", "message", "reflect"}),
        (Status.ACCEPTED, "receiver", {"cancel", "message", "reflect"}),
        (Status.DELIVERED, "provider", {"message", "reflect"}),
        (Status.DELIVERED, "receiver", {"confirm", "dispute", "message", "reflect"}),
        (Status.DISPUTED, "provider", {"message", "reflect"}),
        (Status.DISPUTED, "receiver", {"message", "reflect"}),
        (Status.DISPUTED, "moderator", {"resolve"}),
        (Status.COMPLETED, "provider", {"thanks", "message", "reflect"}),
        (Status.COMPLETED, "receiver", {"thanks", "message", "reflect"}),
        (Status.VOIDED, "receiver", {"message", "reflect"}),
    ],
)
def test_the_page_offers_only_the_actions_the_viewer_may_take(
    client, make_exchange, request, status, who, offered
):
    exchange = make_exchange(status)
    client.force_login(request.getfixturevalue(who))

    response = client.get(detail_url(exchange))

    assert response.status_code == 200
    assert action_urls(response, exchange) == offered


def test_the_receiver_is_not_offered_to_log_the_hours(client, make_exchange, receiver, provider):
    exchange = make_exchange(Status.ACCEPTED)

    client.force_login(receiver)
    assert "Log the hours given" not in client.get(detail_url(exchange)).content.decode()
    client.force_login(provider)
    assert "Log the hours given" in client.get(detail_url(exchange)).content.decode()


def test_the_provider_waits_while_the_receiver_confirms(client, make_exchange, provider):
    exchange = make_exchange(Status.DELIVERED, logged=90)
    client.force_login(provider)

    response = client.get(detail_url(exchange))

    content = response.content.decode()
    assert "Waiting for your colleague" in content
    assert response.context["moves"] == set()
    assert "1.5 hours" in content


def test_the_page_shows_the_timeline_and_the_thread(client, make_exchange, provider, receiver):
    exchange = make_exchange(Status.DISPUTED, logged=90)
    services.exchange_message_post(exchange=exchange, member=provider, body="It was 90 minutes.")
    client.force_login(receiver)

    response = client.get(detail_url(exchange))

    content = response.content.decode()
    for line in (
        "Rob Receiver proposed the exchange",
        "Priya Provider accepted; the credits are held (1 hour)",
        "Priya Provider logged the time given (1.5 hours)",
        "Rob Receiver disputed the time logged",
    ):
        assert line in content
    assert shows(response, "“It was shorter”")
    assert "Could we meet on Tuesday?" in content
    assert "It was 90 minutes." in content
    assert response.context["role"] == "receiver"
    assert response.context["exchange"].status == Status.DISPUTED


def test_a_moderator_can_open_a_disputed_exchange(client, make_exchange, moderator):
    exchange = make_exchange(Status.DISPUTED)
    client.force_login(moderator)

    response = client.get(detail_url(exchange))

    assert response.status_code == 200
    assert response.context["role"] is None
    assert response.context["forms"]["message"] is None
    assert response.context["forms"]["reflect"] is None
    assert shows(response, "It was shorter")


@pytest.mark.parametrize(
    "status",
    [
        Status.PROPOSED,
        Status.ACCEPTED,
        Status.DELIVERED,
        Status.COMPLETED,
        Status.CANCELLED,
        Status.DECLINED,
    ],
)
def test_a_moderator_cannot_open_an_exchange_that_is_not_disputed(
    client, make_exchange, moderator, status
):
    exchange = make_exchange(status)
    before = world(exchange)
    client.force_login(moderator)

    assert client.get(detail_url(exchange)).status_code == 404
    assert act(client, exchange, "cancel", {"cancel-reason": "x"}).status_code == 404
    assert world(exchange) == before


def test_the_moderator_who_resolved_still_sees_it_and_another_does_not(
    client, make_exchange, make_member, moderator
):
    from django.contrib.auth.models import Permission

    exchange = make_exchange("resolved")
    other_moderator = make_member(display_name="Olu Other-Moderator")
    other_moderator.user_permissions.add(Permission.objects.get(codename="resolve_dispute"))

    client.force_login(moderator)
    assert client.get(detail_url(exchange)).status_code == 200
    client.force_login(other_moderator)
    assert client.get(detail_url(exchange)).status_code == 404


def test_a_moderator_who_is_a_party_cannot_resolve_their_own_dispute(
    client, make_listing, moderator, provider
):
    offer = make_listing(provider)
    exchange = services.exchange_propose_from_listing(listing=offer, member=moderator, minutes=60)
    services.exchange_accept(exchange=exchange, member=provider)
    services.exchange_deliver(exchange=exchange, member=provider, minutes=60)
    services.exchange_dispute(exchange=exchange, member=moderator, reason="Too long")
    before = world(exchange)
    client.force_login(moderator)

    page = client.get(detail_url(exchange))
    response = act(client, exchange, "resolve", RIGHT["resolve"][2])

    assert "resolve" not in action_urls(page, exchange)
    assert (response.status_code, response.url) == (302, detail_url(exchange))
    assert world(exchange) == before


def test_anonymous_visitor_is_sent_to_sign_in_from_the_exchange_page(client, make_exchange):
    exchange = make_exchange(Status.PROPOSED)

    response = client.get(detail_url(exchange))

    assert (response.status_code, response.url) == (302, login_url(detail_url(exchange)))


# --- Private reflection and public thanks ----------------------------------------------


def test_a_private_reflection_is_never_shown_to_anyone_else(
    client, make_exchange, provider, receiver, moderator
):
    exchange = make_exchange(Status.DISPUTED)
    services.reflection_save(
        exchange=exchange, member=provider, text="Secret: I was late and flustered."
    )

    client.force_login(provider)
    assert "Secret: I was late and flustered." in client.get(detail_url(exchange)).content.decode()
    for viewer in (receiver, moderator):
        client.force_login(viewer)
        response = client.get(detail_url(exchange))
        assert response.status_code == 200
        assert "I was late and flustered" not in response.content.decode()
        assert response.context.get("reflection") is None


def profile_thanks(client, viewer, member) -> str:
    client.force_login(viewer)
    response = client.get(reverse("profile_detail", args=[member.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_thanks_shown_on_profile_appear_on_the_recipients_profile(
    client, make_exchange, receiver, provider, stranger
):
    exchange = make_exchange(Status.COMPLETED)
    client.force_login(receiver)

    act(
        client,
        exchange,
        "thanks",
        {
            "thanks-message": "Priya made survival curves make sense.",
            "thanks-impact": "Our readmissions paper is submitted.",
            "thanks-show_on_profile": "on",
        },
    )

    content = profile_thanks(client, stranger, provider)
    assert "Priya made survival curves make sense." in content
    assert "Our readmissions paper is submitted." in content
    assert "Rob Receiver" in content
    # Thanks appear on the recipient's profile, not the author's.
    assert "Priya made survival curves" not in profile_thanks(client, stranger, receiver)


def test_thanks_kept_off_the_profile_are_not_shown_there(
    client, make_exchange, receiver, provider, stranger
):
    exchange = make_exchange(Status.COMPLETED)
    client.force_login(receiver)

    act(client, exchange, "thanks", {"thanks-message": "Quietly grateful, thank you."})

    thanks = Thanks.objects.get()
    assert thanks.show_on_profile is False
    assert "Quietly grateful" not in profile_thanks(client, stranger, provider)
    assert "Quietly grateful" not in profile_thanks(client, provider, provider)
    # The two parties still see it on the exchange page.
    client.force_login(provider)
    assert "Quietly grateful" in client.get(detail_url(exchange)).content.decode()


# --- Recording an exchange without a listing -------------------------------------------


DIRECT_URL = reverse("exchange_direct")


def direct_data(area, **overrides):
    data = {
        "colleague": "rob@example.nhs.uk",
        "direction": "gave",
        "title": "Coaching on a QI project charter",
        "improvement_area": area.pk,
        "benefit": "A clearer aim for the sepsis project.",
        "hours": "1",
        "message": "Thanks for Tuesday!",
        "request_key": str(uuid.uuid4()),
    }
    data.update(overrides)
    return data


@pytest.fixture
def colleague(make_member):
    return make_member(email="rob@example.nhs.uk", display_name="Rob Colleague")


def test_the_direct_form_is_shown(client, provider):
    client.force_login(provider)

    response = client.get(DIRECT_URL)

    assert response.status_code == 200
    form = response.context["form"]
    assert not form.is_bound
    assert form["request_key"].value()
    assert "Record an exchange" in response.content.decode()


def test_anonymous_visitor_cannot_record_an_exchange(client, area, colleague):
    response = client.post(DIRECT_URL, direct_data(area))

    assert (response.status_code, response.url) == (302, login_url(DIRECT_URL))
    assert not Exchange.objects.exists()


@pytest.mark.parametrize(
    ("email", "error"),
    [
        ("nobody@example.nhs.uk", "No member has this e-mail address."),
        (
            "not-an-email",
            "No member is called “not-an-email”. Check the spelling, "
            "or find them on the members page.",
        ),
        ("", "Enter your colleague's name."),
    ],
)
def test_unknown_or_bad_email_is_a_form_error(client, provider, area, colleague, email, error):
    client.force_login(provider)

    response = client.post(DIRECT_URL, direct_data(area, colleague=email))

    assert response.status_code == 200
    assert response.context["form"].errors["colleague"] == [error]
    assert not Exchange.objects.exists()


def test_own_email_is_a_form_error(client, provider, area):
    client.force_login(provider)

    response = client.post(DIRECT_URL, direct_data(area, colleague=provider.email.upper()))

    assert response.status_code == 200
    assert response.context["form"].errors["colleague"] == ["Choose a colleague, not yourself."]
    assert not Exchange.objects.exists()


def test_an_inactive_colleague_cannot_be_chosen(client, provider, area, colleague):
    type(colleague).objects.filter(pk=colleague.pk).update(is_active=False)
    client.force_login(provider)

    response = client.post(DIRECT_URL, direct_data(area))

    assert response.context["form"].errors["colleague"] == ["No member has this e-mail address."]
    assert not Exchange.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"hours": "0.3"}, "Use quarter-hours"),
        ({"benefit": ""}, "This field is required."),
        ({"title": "Coaching, £25"}, "No money changes hands"),
        ({"message": "I'll send an invoice"}, "No money changes hands"),
        ({"direction": "both"}, "Select a valid choice"),
    ],
)
def test_bad_direct_exchange_input_is_a_form_error(
    client, provider, area, colleague, overrides, error
):
    client.force_login(provider)

    response = client.post(DIRECT_URL, direct_data(area, **overrides))

    assert response.status_code == 200
    assert error in response.content.decode()
    assert not Exchange.objects.exists()


def test_recording_time_given_makes_a_proposal_the_colleague_accepts(
    client, provider, area, colleague
):
    client.force_login(provider)

    response = client.post(DIRECT_URL, direct_data(area, colleague="ROB@example.nhs.uk"))

    exchange = Exchange.objects.get()
    assert response.url == detail_url(exchange)
    assert flash(response) == ["Sent to your colleague to accept."]
    assert (exchange.provider, exchange.receiver, exchange.proposed_by) == (
        provider,
        colleague,
        provider,
    )
    assert exchange.listing is None
    assert exchange.status == Status.PROPOSED
    assert exchange.proposed_minutes == 60
    assert exchange.improvement_area == area

    client.force_login(colleague)
    page = client.get(detail_url(exchange))
    assert "accept" in action_urls(page, exchange)
    act(client, exchange, "accept")
    exchange.refresh_from_db()
    assert exchange.status == Status.ACCEPTED
    assert credits(colleague) == (60, 60, 120)
    assert_ledger_whole()


def test_recording_time_received_makes_the_colleague_the_provider(
    client, receiver, area, colleague
):
    client.force_login(receiver)

    client.post(DIRECT_URL, direct_data(area, direction="received", hours="0.5"))

    exchange = Exchange.objects.get()
    assert (exchange.provider, exchange.receiver) == (colleague, receiver)
    client.force_login(colleague)
    act(client, exchange, "accept")
    assert credits(receiver) == (90, 30, 120)


def test_replaying_a_direct_exchange_makes_one(client, provider, area, colleague):
    client.force_login(provider)
    data = direct_data(area)

    first = client.post(DIRECT_URL, data)
    second = client.post(DIRECT_URL, data)

    assert Exchange.objects.count() == 1
    assert first.url == second.url


def test_hours_are_shown_as_decimal_credits_not_floats(client, make_exchange, provider):
    exchange = make_exchange(Status.PROPOSED, minutes=45)
    client.force_login(provider)

    response = client.get(detail_url(exchange))

    assert "0.75 hours" in response.content.decode()
    assert response.context["forms"]["deliver"]["hours"].value() == Decimal("0.75")


def test_the_optional_cancel_reason_says_optional_once(client, make_exchange, receiver):
    exchange = make_exchange(Status.ACCEPTED)
    client.force_login(receiver)

    response = client.get(detail_url(exchange))

    # The session panel below has optional fields of its own.
    exchange_part = response.content.decode().split('data-testid="session-panel"')[0]
    assert exchange_part.count("(optional)") == 1


@pytest.mark.parametrize(
    ("action", "status", "data", "field_id"),
    [
        ("message", Status.ACCEPTED, {"message-body": "Pay me in cash, please"}, "id_message-body"),
        (
            "thanks",
            Status.COMPLETED,
            {"thanks-message": "Here is an Amazon voucher", "thanks-impact": ""},
            "id_thanks-message",
        ),
    ],
)
def test_a_refusal_by_a_rule_is_shown_next_to_its_field(
    client, make_exchange, receiver, action, status, data, field_id
):
    """Issue 12 §5: the money rule's refusal is a field error like any other."""
    exchange = make_exchange(status)
    client.force_login(receiver)

    response = act(client, exchange, action, data)

    assert response.status_code == 422
    form = response.context["forms"][action]
    field = field_id.removeprefix(f"id_{action}-")
    assert "No money changes hands" in " ".join(form.errors[field])
    assert not form.non_field_errors()
    page = response.content.decode()
    assert f'href="#{field_id}"' in page
    assert 'aria-invalid="true"' in page

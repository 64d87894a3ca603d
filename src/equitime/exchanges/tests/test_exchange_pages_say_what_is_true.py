"""The exchange pages tell each member what is true for them (issue 12).

What waits for whom after a dispute, what moved in the lists, which
notifications are still to see, and words written to the reader.
"""

import uuid

import pytest
from django.conf import settings
from django.urls import reverse

from equitime.core.pagecache import HIT_HEADER
from equitime.exchanges import services
from equitime.exchanges.models import Exchange, Status
from equitime.exchanges.tests.factories import exchange_at
from equitime.notifications.models import Notification

pytestmark = pytest.mark.django_db


def detail_url(exchange) -> str:
    return reverse("exchange_detail", args=[exchange.pk])


# --- After a dispute, both parties see it waits for a moderator -------------------


@pytest.mark.parametrize("party", ["provider", "receiver"])
def test_a_disputed_exchange_says_it_waits_for_a_moderator(client, disputed, party):
    client.force_login(getattr(disputed, party))

    page = client.get(detail_url(disputed)).content.decode()

    assert "Waiting for a moderator" in page
    assert "Waiting for your colleague" not in page


def test_a_moderator_on_a_disputed_exchange_is_offered_the_decision(client, disputed, moderator):
    client.force_login(moderator)

    page = client.get(detail_url(disputed)).content.decode()

    assert "Resolve the dispute" in page
    assert "Waiting for a moderator" not in page


# --- Lists show what moved ---------------------------------------------------------


def _row(page: str, exchange) -> str:
    start = page.index(detail_url(exchange))
    return page[start : page.index("</li>", start)]


def test_the_list_shows_the_credits_a_resolved_dispute_moved(client, disputed, moderator):
    """Three hours were logged and disputed; the moderator moved one."""
    services.exchange_resolve(exchange=disputed, moderator=moderator, minutes=30, note="Half.")
    for member in (disputed.provider, disputed.receiver):
        client.force_login(member)

        row = _row(client.get(reverse("exchange_list")).content.decode(), disputed)

        assert "0.5 credits moved" in row
        assert "1 hour" not in row


def test_the_list_says_no_credits_moved_when_a_dispute_ends_without_them(
    client, disputed, moderator
):
    services.exchange_resolve(exchange=disputed, moderator=moderator, minutes=None, note="None.")
    client.force_login(disputed.receiver)

    row = _row(client.get(reverse("exchange_list")).content.decode(), disputed)

    assert "No credits moved" in row
    assert "1 hour" not in row


def test_the_list_shows_one_credit_moved_in_the_singular(client, completed):
    client.force_login(completed.provider)

    row = _row(client.get(reverse("exchange_list")).content.decode(), completed)

    assert "1 credit moved" in row


def test_an_open_exchange_in_the_list_still_shows_its_hours(client, make_member):
    exchange = exchange_at(Status.ACCEPTED, minutes=90)
    client.force_login(exchange.receiver)

    row = _row(client.get(reverse("exchange_list")).content.decode(), exchange)

    assert "1.5 hours" in row


# --- Opening or acting on an exchange marks what was told about it read ------------
# With the page cache on (the default here): a copy served whole must never
# leave a notification unread.


def _sign_in(client, member):
    """Signed in with the CSRF cookie a browser holds after its first page, so
    pages are kept and served by the page cache."""
    client.force_login(member)
    client.get(reverse("profile_edit"))
    assert settings.CSRF_COOKIE_NAME in client.cookies


def _unread(member, exchange=None) -> int:
    found = Notification.objects.filter(recipient=member, read_at__isnull=True)
    if exchange is not None:
        found = found.filter(exchange=exchange)
    return found.count()


def _badge(response) -> str:
    page = response.content.decode()
    start = page.index('id="unread-count"')
    return page[start : page.index("</span>", start)]


def test_opening_an_exchange_marks_its_notifications_read(client, accepted):
    receiver = accepted.receiver
    assert _unread(receiver, accepted) == 1  # "accepted"
    _sign_in(client, receiver)

    response = client.get(detail_url(accepted))

    assert _unread(receiver, accepted) == 0
    assert 'class="count"' not in _badge(response)


def test_a_cached_exchange_page_still_marks_new_notifications_read(client, accepted):
    assert settings.EQUITIME_PAGE_CACHE_SECONDS > 0
    receiver, provider = accepted.receiver, accepted.provider
    _sign_in(client, receiver)
    client.get(detail_url(accepted))  # marks "accepted" read: this copy is never served
    client.get(detail_url(accepted))  # nothing to mark: this copy is kept
    assert client.get(detail_url(accepted)).get(HIT_HEADER) == "hit"

    services.exchange_message_post(exchange=accepted, member=provider, body="Tuesday at 10?")
    assert _unread(receiver, accepted) == 1
    response = client.get(detail_url(accepted))

    assert response.get(HIT_HEADER) != "hit"
    assert _unread(receiver, accepted) == 0
    assert "Tuesday at 10?" in response.content.decode()
    assert 'class="count"' not in _badge(response)
    # Nothing left to mark: the next copy is kept and served whole again.
    client.get(detail_url(accepted))
    assert client.get(detail_url(accepted)).get(HIT_HEADER) == "hit"


def test_opening_an_exchange_leaves_other_notifications_unread(client, accepted, make_listing):
    receiver = accepted.receiver
    other = exchange_at(Status.ACCEPTED, receiver=receiver)
    _sign_in(client, receiver)

    response = client.get(detail_url(accepted))

    assert _unread(receiver, other) == 1
    assert 'class="count">1' in _badge(response)


def test_acting_on_an_exchange_marks_its_notifications_read(client, accepted):
    receiver = accepted.receiver
    _sign_in(client, receiver)

    client.post(
        reverse("exchange_act", args=[accepted.pk, "message"]), {"message-body": "Tuesday works."}
    )

    assert _unread(receiver, accepted) == 0
    assert _unread(accepted.provider, accepted) == 2  # the proposal and the message, unseen


def test_another_member_or_a_visitor_marks_nothing(client, accepted, stranger):
    receiver = accepted.receiver
    client.force_login(stranger)
    assert client.get(detail_url(accepted)).status_code == 404
    assert (
        client.post(
            reverse("exchange_act", args=[accepted.pk, "message"]), {"message-body": "Hi"}
        ).status_code
        == 404
    )
    client.logout()
    assert client.get(detail_url(accepted)).status_code == 302

    assert _unread(receiver, accepted) == 1


# --- A proposal beyond the receiver's means is warned of at once -------------------


def _propose(client, listing, hours: str):
    return client.post(
        reverse("exchange_propose", args=[listing.pk]),
        {"hours": hours, "message": "", "request_key": str(uuid.uuid4())},
    )


def test_proposing_more_hours_than_you_have_warns_at_once(client, offer, receiver):
    """The welcome gift is 2 credits; one is held by another exchange."""
    exchange_at(Status.ACCEPTED, receiver=receiver, minutes=60)
    client.force_login(receiver)

    response = _propose(client, offer, "3")

    page = response.content.decode()
    assert response.status_code == 200
    assert (
        "You have 1 credit available, so Priya Provider cannot accept 3 hours until you have more."
    ) in page
    assert "Your proposal is sent" not in page
    assert not Exchange.objects.filter(listing=offer).exists()


def test_proposing_what_you_have_is_sent(client, offer, receiver):
    client.force_login(receiver)

    response = _propose(client, offer, "2")

    exchange = Exchange.objects.get(listing=offer)
    assert response.status_code == 302
    assert exchange.proposed_minutes == 120


def test_a_direct_exchange_received_beyond_your_means_warns_at_once(
    client, provider, receiver, area
):
    client.force_login(receiver)

    response = client.post(
        reverse("exchange_direct"),
        {
            "colleague": provider.email,
            "direction": "received",
            "title": "Run chart coaching",
            "improvement_area": area.pk,
            "benefit": "Ward audits show change over time.",
            "hours": "2.5",
            "message": "",
            "request_key": str(uuid.uuid4()),
        },
    )

    assert "You have 2 credits available, so Priya Provider cannot accept 2.5 hours" in (
        response.content.decode()
    )
    assert not Exchange.objects.filter(title="Run chart coaching").exists()


def test_answering_a_request_is_not_limited_by_your_own_credits(
    client, make_listing, provider, receiver
):
    """The provider earns; whether the receiver can pay is theirs to settle."""
    request = make_listing(receiver, kind="request", minutes=60)
    client.force_login(provider)

    response = _propose(client, request, "3")

    assert response.status_code == 302
    assert Exchange.objects.filter(listing=request, proposed_minutes=180).exists()


# --- Words written to the reader ----------------------------------------------------


def test_the_receiver_asked_to_accept_reads_of_their_own_credits(
    client, make_listing, provider, receiver
):
    request = make_listing(receiver, kind="request", minutes=60)
    exchange = services.exchange_propose_from_listing(listing=request, member=provider, minutes=60)
    client.force_login(receiver)

    page = client.get(detail_url(exchange)).content.decode()

    assert "Accepting holds 1 credit of yours until the exchange is confirmed." in page
    assert "from Rob Receiver" not in page


def test_the_provider_asked_to_accept_reads_whose_credits_are_held(client, proposed):
    client.force_login(proposed.provider)

    page = client.get(detail_url(proposed)).content.decode()

    assert "Accepting holds 1 credit from Rob Receiver until the exchange is confirmed." in page


def test_a_member_refused_for_their_own_credits_is_told_in_the_second_person(receiver):
    from equitime.ledger import services as ledger
    from equitime.ledger.errors import InsufficientCredit
    from equitime.ledger.models import Transfer

    with pytest.raises(InsufficientCredit) as refused:
        ledger.hold_place(
            key="test:own-refusal",
            kind=Transfer.Kind.EXCHANGE,
            debit_account=ledger.account_open(member=receiver),
            credit_account=ledger.pool_account(),
            amount=180,
            initiated_by=receiver,
        )

    assert refused.value.message == (
        "You have 2 credits available, which is not enough for 3 credits."
    )


def test_another_reader_is_told_whose_credits_fall_short(receiver, provider):
    from equitime.ledger import services as ledger
    from equitime.ledger.errors import InsufficientCredit
    from equitime.ledger.models import Transfer

    with pytest.raises(InsufficientCredit) as refused:
        ledger.hold_place(
            key="test:other-refusal",
            kind=Transfer.Kind.EXCHANGE,
            debit_account=ledger.account_open(member=receiver),
            credit_account=ledger.account_open(member=provider),
            amount=60 * 2 + 15,
            initiated_by=provider,
        )

    assert refused.value.message.startswith("Rob Receiver has 2 credits available")


def test_thanks_are_acknowledged_without_thanking_for_thanks(client, completed):
    client.force_login(completed.receiver)

    response = client.post(
        reverse("exchange_act", args=[completed.pk, "thanks"]),
        {"thanks-message": "The run chart is on the ward wall."},
        follow=True,
    )

    page = response.content.decode()
    assert "Your thanks are sent." in page
    assert "Thank you for saying thanks" not in page

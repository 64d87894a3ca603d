"""The exchange pages tell each member what is true for them (issue 12).

What waits for whom after a dispute, what moved in the lists, which
notifications are still to see, and words written to the reader.
"""

import pytest
from django.urls import reverse

from equitime.exchanges import services
from equitime.exchanges.models import Status
from equitime.exchanges.tests.factories import exchange_at

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

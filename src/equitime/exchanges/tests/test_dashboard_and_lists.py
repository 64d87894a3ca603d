"""Where a member finds their exchanges: the dashboard and ``/exchanges/``.

What each shows (figures, what waits for the member, open listings and
exchanges, finished ones), that nobody sees another member's exchanges, and
that neither page makes more queries as the exchanges grow.
"""

import re
from typing import TYPE_CHECKING

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from equitime.exchanges import services
from equitime.exchanges.models import Exchange, Status
from equitime.exchanges.tests.factories import exchange_at
from equitime.listings.models import Listing
from equitime.listings.services import listing_close, listing_pause

if TYPE_CHECKING:  # the test client's response, as django-stubs name it
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("dashboard")
EXCHANGES = reverse("exchange_list")


def text_of(response, testid: str) -> str:
    """The visible text of the figure carrying ``data-testid``."""
    match = re.search(
        rf'data-testid="{testid}"[^>]*>(.*?)</dd>', response.content.decode(), flags=re.S
    )
    assert match, f"no element with data-testid={testid!r}"
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())


def section(response, title_id: str) -> str:
    """The HTML of the ``<section>`` labelled by the heading with ``title_id``."""
    html = response.content.decode()
    start = html.index(f'aria-labelledby="{title_id}"')
    return html[start : html.index("</section>", start)]


def link(exchange: Exchange) -> str:
    return f'href="{reverse("exchange_detail", args=[exchange.pk])}"'


def pks(exchanges) -> set[int]:
    return {exchange.pk for exchange in exchanges}


# --- Permissions ----------------------------------------------------------------------


@pytest.mark.parametrize("url", [DASHBOARD, EXCHANGES])
def test_anonymous_visitor_is_sent_to_sign_in(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response.url == f"{reverse('account_login')}?next={url}"


@pytest.mark.parametrize("url", [DASHBOARD, EXCHANGES])
def test_a_member_never_sees_other_members_exchanges(client, proposed, stranger, url):
    exchange_at(Status.ACCEPTED, exchange=proposed)
    client.force_login(stranger)

    response = client.get(url)

    assert response.status_code == 200
    assert link(proposed) not in response.content.decode()
    assert "Priya Provider" not in response.content.decode()
    assert response.context["open_exchanges"] == []


# --- The dashboard --------------------------------------------------------------------


def test_dashboard_shows_available_and_held_credits_after_an_accept(
    client, proposed, provider, receiver
):
    exchange_at(Status.ACCEPTED, exchange=proposed)

    client.force_login(receiver)
    response = client.get(DASHBOARD)
    assert text_of(response, "available") == "1 credits"
    assert text_of(response, "held") == "1 credits"
    assert text_of(response, "balance") == "2 credits"

    client.force_login(provider)
    response = client.get(DASHBOARD)
    assert text_of(response, "available") == "2 credits"
    assert text_of(response, "held") == "0 credits"


def test_dashboard_figures_after_the_exchange_completes(client, proposed, provider, receiver):
    exchange_at(Status.COMPLETED, exchange=proposed, logged=90)

    client.force_login(receiver)
    response = client.get(DASHBOARD)
    assert text_of(response, "available") == "0.5 credits"
    assert text_of(response, "held") == "0 credits"

    client.force_login(provider)
    response = client.get(DASHBOARD)
    assert text_of(response, "available") == "3.5 credits"
    assert text_of(response, "balance") == "3.5 credits"


def test_a_new_proposal_waits_for_the_listing_owner(client, proposed, provider):
    client.force_login(provider)

    response = client.get(DASHBOARD)

    assert pks(response.context["waiting"]) == {proposed.pk}
    waiting = section(response, "waiting-title")
    assert link(proposed) in waiting
    assert "Your turn" in waiting
    assert "Rob Receiver" in waiting


def test_hours_logged_wait_for_the_receiver_not_the_provider(client, proposed, provider, receiver):
    exchange = exchange_at(Status.DELIVERED, exchange=proposed)

    client.force_login(receiver)
    assert pks(client.get(DASHBOARD).context["waiting"]) == {exchange.pk}

    client.force_login(provider)
    response = client.get(DASHBOARD)
    assert response.context["waiting"] == []
    assert "Nothing needs your answer right now." in section(response, "waiting-title")
    # Still in progress, though, so it is listed there.
    assert link(exchange) in section(response, "exchanges-title")


def test_an_accepted_exchange_waits_for_the_provider_to_log_hours(client, proposed, provider):
    exchange = exchange_at(Status.ACCEPTED, exchange=proposed)
    client.force_login(provider)

    assert pks(client.get(DASHBOARD).context["waiting"]) == {exchange.pk}


def test_a_disputed_exchange_waits_for_neither_party(client, proposed, provider, receiver):
    exchange_at(Status.DISPUTED, exchange=proposed)

    for member in (provider, receiver):
        client.force_login(member)
        response = client.get(DASHBOARD)
        assert response.context["waiting"] == []
        assert pks(response.context["open_exchanges"]) == {proposed.pk}


def test_my_own_proposal_does_not_wait_for_me(client, proposed, receiver):
    client.force_login(receiver)

    response = client.get(DASHBOARD)

    assert response.context["waiting"] == []
    assert "Your turn" not in response.content.decode()


def test_an_accepted_exchange_does_not_wait_for_the_receiver(client, proposed, receiver):
    exchange_at(Status.ACCEPTED, exchange=proposed)
    client.force_login(receiver)

    response = client.get(DASHBOARD)

    assert response.context["waiting"] == []


def test_dashboard_lists_open_exchanges_and_not_finished_ones(client, offer, provider, make_member):
    by_status = {}
    for status in (Status.PROPOSED, Status.ACCEPTED, Status.COMPLETED, Status.CANCELLED):
        by_status[status] = exchange_at(status, listing=offer, receiver=make_member(), minutes=30)
    client.force_login(provider)

    response = client.get(DASHBOARD)

    in_progress = section(response, "exchanges-title")
    assert pks(response.context["open_exchanges"]) == {
        by_status[Status.PROPOSED].pk,
        by_status[Status.ACCEPTED].pk,
    }
    assert link(by_status[Status.PROPOSED]) in in_progress
    assert link(by_status[Status.ACCEPTED]) in in_progress
    assert link(by_status[Status.COMPLETED]) not in in_progress
    assert link(by_status[Status.CANCELLED]) not in in_progress
    # The provider has the next move on both: accept one, log hours on the other.
    assert pks(response.context["waiting"]) == pks(response.context["open_exchanges"])


def test_dashboard_lists_the_members_open_listings_not_closed_ones(
    client, make_listing, member, other_member
):
    open_offer = make_listing(member, title="Coaching for new ward managers")
    paused = make_listing(member, title="Help with a run chart", kind=Listing.Kind.REQUEST)
    closed = make_listing(member, title="Teaching SPC basics")
    theirs = make_listing(other_member, title="Someone else's offer")
    listing_pause(listing=paused, member=member)
    listing_close(listing=closed, member=member)
    client.force_login(member)

    response = client.get(DASHBOARD)

    listings = section(response, "listings-title")
    assert set(response.context["open_listings"]) == {open_offer, paused}
    assert "Coaching for new ward managers" in listings
    assert "Help with a run chart" in listings
    assert "Paused" in listings
    assert "Teaching SPC basics" not in listings
    assert theirs.title not in response.content.decode()


def test_dashboard_with_no_listings_or_exchanges_says_so(client, member):
    client.force_login(member)

    response = client.get(DASHBOARD)

    content = response.content.decode()
    assert "You have no open listings." in content
    assert "None in progress." in content
    assert "Nothing needs your answer right now." in content


# --- /exchanges/ ----------------------------------------------------------------------


def test_exchange_list_separates_in_progress_and_finished(client, offer, provider, make_member):
    made = {}
    for status in (
        Status.PROPOSED,
        Status.DELIVERED,
        Status.DISPUTED,
        Status.COMPLETED,
        Status.DECLINED,
        Status.CANCELLED,
    ):
        made[status] = exchange_at(status, listing=offer, receiver=make_member(), minutes=30)
    client.force_login(provider)

    response = client.get(EXCHANGES)

    in_progress = {Status.PROPOSED, Status.DELIVERED, Status.DISPUTED}
    assert pks(response.context["open_exchanges"]) == {made[s].pk for s in in_progress}
    assert pks(response.context["finished"]) == {made[s].pk for s in set(made) - in_progress}
    open_html = section(response, "open-title")
    done_html = section(response, "done-title")
    for status, exchange in made.items():
        assert (link(exchange) in open_html) is (status in in_progress)
        assert (link(exchange) in done_html) is (status not in in_progress)
    assert "Completed" in done_html
    assert "Declined" in done_html
    assert "Hours logged" in open_html


def test_exchange_list_says_who_gives_time_to_whom(client, proposed, provider, receiver):
    client.force_login(provider)
    assert "You give time to Rob Receiver" in client.get(EXCHANGES).content.decode()

    client.force_login(receiver)
    assert "Priya Provider gives you time" in client.get(EXCHANGES).content.decode()


def test_finished_exchanges_are_paginated_by_twenty(client, offer, provider, make_member):
    for _ in range(21):
        exchange = services.exchange_propose_from_listing(
            listing=offer, member=make_member(), minutes=15
        )
        services.exchange_decline(exchange=exchange, member=provider, reason="Fully booked")
    client.force_login(provider)

    first = client.get(EXCHANGES)
    second = client.get(EXCHANGES, {"page": 2})

    assert len(first.context["finished"]) == 20
    assert len(second.context["finished"]) == 1
    assert not pks(first.context["finished"]) & pks(second.context["finished"])


def test_an_empty_exchange_list_points_to_browsing(client, member):
    client.force_login(member)

    response = client.get(EXCHANGES)

    content = response.content.decode()
    assert "Nothing in progress." in content
    assert f'href="{reverse("listing_browse")}"' in content
    assert "No finished exchanges yet." in content


# --- Query counts ---------------------------------------------------------------------

# Every kind of row the pages draw; the two-exchange set has a disputed one
# (its moves ask for the member's permissions once) and a finished one.
MIX = [
    Status.DISPUTED,
    Status.COMPLETED,
    Status.PROPOSED,
    Status.ACCEPTED,
    Status.DELIVERED,
    Status.CANCELLED,
    Status.DECLINED,
]


def member_with_exchanges(make_member, make_listing, count: int):
    member = make_member()
    offer = make_listing(member)
    for n in range(count):
        other = make_member()
        if n % 4 == 3:
            # The member takes up the other's offer: they receive, nothing is held.
            their_offer = make_listing(other)
            services.exchange_propose_from_listing(listing=their_offer, member=member, minutes=15)
            continue
        exchange_at(MIX[n % len(MIX)], listing=offer, receiver=other, minutes=15)
    return member


def queries_for(client, member, url) -> tuple[int, "TestResponse"]:
    client.force_login(member)
    client.get(url)  # warm anything cached per process, such as content types
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response


@pytest.mark.usefixtures("no_page_cache")
@pytest.mark.parametrize("url", [DASHBOARD, EXCHANGES])
def test_query_count_does_not_grow_with_exchanges(client, make_member, make_listing, url):
    few = member_with_exchanges(make_member, make_listing, 2)
    many = member_with_exchanges(make_member, make_listing, 20)

    few_count, few_response = queries_for(client, few, url)
    many_count, many_response = queries_for(client, many, url)

    assert len(few_response.context["open_exchanges"]) == 1
    assert len(many_response.context["open_exchanges"]) >= 10
    assert many_count == few_count

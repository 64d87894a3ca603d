"""The home page shows the community as it is now (issue 12 point 21): its
members, organisations and hours exchanged, and a few open offers, from the
cache while nothing has changed."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from equitime.core.units import MINUTES_PER_CREDIT
from equitime.dashboard import home, selectors
from equitime.exchanges.models import Exchange, Status
from equitime.exchanges.tests.factories import exchange_at
from equitime.ledger.tests.factories import earn
from equitime.listings.models import Listing
from equitime.listings.services import listing_close, listing_pause
from equitime.members import roles
from equitime.members.services import member_role_grant
from equitime.members.tests.factories import OrganisationFactory
from equitime.moderation.services import member_suspend

pytestmark = pytest.mark.django_db

HOME = "/"


def figure(page: str, name: str) -> str:
    found = re.search(rf'<dd data-testid="{name}"[^>]*>([^<]*)</dd>', page)
    assert found, f"no {name} figure on the page"
    return found.group(1)


def offers_on(page: str) -> list[str]:
    section = page.split('data-testid="offers"', 1)[1].split("</section>", 1)[0]
    return re.findall(r'<li><a href="/listings/\d+/">([^<]*)</a></li>', section)


@pytest.fixture
def community(make_member, make_listing):
    """Two organisations' staff, one member unattached and one suspended;
    exchanges completed now and last month, and some that moved nothing."""
    trust = OrganisationFactory(name="Northfield NHS Trust")
    council = OrganisationFactory(name="Riverside Council")
    OrganisationFactory(name="Nobody here yet")
    amina = make_member(display_name="Amina Okafor", organisation=trust)
    ben = make_member(display_name="Ben Carter", organisation=council)
    make_member(display_name="Cleo Dunn", organisation=trust)
    make_member(display_name="Dara Unattached")
    moderator = make_member(display_name="Mo Moderator", organisation=trust)
    member_role_grant(member=moderator, role=roles.MODERATOR, by=None)
    member_suspend(
        member=make_member(display_name="Gus Gone", organisation=council),
        by=moderator,
        reason="Asked for money.",
    )
    earn(ben, 5 * MINUTES_PER_CREDIT)
    offer = make_listing(amina, title="Survival analysis in R")
    now = exchange_at(Status.COMPLETED, listing=offer, receiver=ben, minutes=90)
    last_month = exchange_at(Status.COMPLETED, listing=offer, receiver=ben, minutes=60)
    Exchange.objects.filter(pk=last_month.pk).update(
        completed_at=timezone.now() - timedelta(days=40)
    )
    exchange_at(Status.ACCEPTED, listing=offer, receiver=ben, minutes=120)  # held, not moved
    exchange_at(
        Status.REVERSED, listing=offer, receiver=ben, minutes=45, moderator=moderator
    )  # moved back
    return {"amina": amina, "ben": ben, "offer": offer, "now": now}


def test_the_figures_count_active_members_their_organisations_and_time_given(
    client, community, no_page_cache
):
    page = client.get(HOME).content.decode()

    # Six members, the suspended one left out; the empty organisation too.
    assert figure(page, "members") == "5"
    assert figure(page, "organisations") == "2"
    assert figure(page, "countries") == "1"
    # Two members exchanged: their hours are withheld (the small-number rule).
    assert figure(page, "hours") == "Withheld"
    assert figure(page, "hours-month") == "Withheld"
    assert figure(page, "across") == "Withheld"
    assert "A figure about fewer than 5 members is withheld" in page
    assert "The community today" in page


@pytest.mark.parametrize(
    ("minutes", "shown"),
    [
        (0, "0"),
        (15, "0.25"),
        (9 * MINUTES_PER_CREDIT + 45, "9.75"),
        (10 * MINUTES_PER_CREDIT + 45, "10"),
    ],
)
def test_small_hours_show_their_quarters_and_large_ones_whole_hours(minutes, shown):
    from equitime.dashboard.home import hours_figure

    assert hours_figure(minutes) == shown


@pytest.fixture
def no_small_number_rule(monkeypatch):
    """For the tests of caching, which count one or two members."""
    monkeypatch.setattr(home, "is_suppressed", lambda members: False)


def test_large_figures_are_grouped_by_thousands(monkeypatch, client, no_page_cache):
    big = selectors.Community(
        members=12345,
        organisations=1203,
        countries=14,
        minutes_across=54321 * MINUTES_PER_CREDIT * 87 // 100,
        minutes_exchanged=54321 * MINUTES_PER_CREDIT + MINUTES_PER_CREDIT // 2,
        minutes_this_month=1500 * MINUTES_PER_CREDIT,
    )
    monkeypatch.setattr(selectors, "community_compute", lambda: big)

    page = client.get(HOME).content.decode()

    assert figure(page, "members") == "12,345"
    assert figure(page, "organisations") == "1,203"
    assert figure(page, "hours") == "54,321"  # whole hours, never rounded up
    assert figure(page, "hours-month") == "1,500"
    assert figure(page, "countries") == "14"
    assert figure(page, "across") == "86%"  # rounded down
    assert "is withheld" not in page


def test_a_few_open_offers_newest_first_titles_only(
    client, make_member, make_listing, no_page_cache
):
    owner = make_member(display_name="Priya Private")
    titles = [f"Offer number {n}" for n in range(8)]
    for title in titles:
        make_listing(owner, title=title)
    make_listing(owner, kind=Listing.Kind.REQUEST, title="A request, not an offer")
    listing_pause(listing=make_listing(owner, title="Paused offer"), member=owner)
    listing_close(listing=make_listing(owner, title="Closed offer"), member=owner)
    make_listing(owner, title="Past its date", expires_in=timedelta(hours=-1))

    page = client.get(HOME).content.decode()

    assert offers_on(page) == titles[::-1][: selectors.HOME_OFFERS]
    assert "Priya Private" not in page
    first = Listing.objects.get(title=titles[-1])
    assert f'<a href="{reverse("listing_detail", args=[first.pk])}">' in page


def test_an_offers_link_asks_a_visitor_to_sign_in(client, make_listing, member):
    offer = make_listing(member)
    url = reverse("listing_detail", args=[offer.pk])

    response = client.get(url)

    assert response.status_code == 302
    assert response.url == f"{reverse('account_login')}?next={url}"


def test_an_empty_community_says_so(client, no_page_cache):
    page = client.get(HOME).content.decode()

    assert figure(page, "members") == "0"  # nobody: nothing to withhold
    assert figure(page, "hours") == "0"
    assert figure(page, "across") == "0%"
    assert "No offers are open right now." in page


def test_building_costs_three_queries_and_serving_from_the_cache_none(client, community):
    with CaptureQueriesContext(connection) as first:
        assert client.get(HOME).status_code == 200
    with CaptureQueriesContext(connection) as again:
        assert client.get(HOME).status_code == 200

    # The figures' three, and the running campaigns (none here: no progress to
    # read); and, for the small-number rule, the first providers and, only one
    # found, the first receivers (issue 15).
    assert len(first) == 6, [q["sql"] for q in first]
    assert len(again) == 0, [q["sql"] for q in again]


def test_after_a_change_the_figures_are_refreshed_in_the_background(
    client, make_member, no_page_cache, no_small_number_rule
):
    client.get(HOME)
    make_member()

    # The visitor who finds them stale is served them, and queues a refresh
    # (which runs at once under the tests' task backend); the next sees it.
    stale = figure(client.get(HOME).content.decode(), "members")
    fresh = figure(client.get(HOME).content.decode(), "members")

    assert (stale, fresh) == ("0", "1")


def test_a_stale_visit_costs_no_aggregate_in_the_request(
    client, make_member, no_page_cache, monkeypatch
):
    from types import SimpleNamespace

    from equitime.dashboard import tasks

    queued = []  # the task is queued, not run: a worker would run it later
    monkeypatch.setattr(
        tasks, "community_refresh", SimpleNamespace(enqueue=lambda: queued.append(1))
    )
    client.get(HOME)
    make_member()

    with CaptureQueriesContext(connection) as stale:
        client.get(HOME)
    client.get(HOME)  # a refresh is queued already: not again

    assert not [q for q in stale if "SUM(" in q["sql"] or "COUNT(" in q["sql"]]
    assert queued == [1]


def test_under_writes_the_figures_are_refreshed_at_most_once_a_page_cache_period(
    client, make_member, settings, monkeypatch, no_small_number_rule
):
    settings.EQUITIME_PAGE_CACHE_SECONDS = 60
    clock = [1_000_000.0]
    monkeypatch.setattr(selectors.time, "time", lambda: clock[0])
    client.get(HOME)
    make_member()  # the data generation moves on

    clock[0] += 30
    young = figure(client.get(HOME).content.decode(), "members")  # no refresh yet
    clock[0] += 31
    refreshing = figure(client.get(HOME).content.decode(), "members")
    fresh = figure(client.get(HOME).content.decode(), "members")

    assert (young, refreshing, fresh) == ("0", "0", "1")


def test_nothing_changed_nothing_recomputed_however_old(client, settings, monkeypatch, community):
    settings.EQUITIME_PAGE_CACHE_SECONDS = 60
    clock = [1_000_000.0]
    monkeypatch.setattr(selectors.time, "time", lambda: clock[0])
    client.get(HOME)
    clock[0] += 3600

    with CaptureQueriesContext(connection) as again:
        client.get(HOME)

    assert len(again) == 0


def test_members_are_sent_to_their_dashboard(client, member):
    client.force_login(member)
    assert client.get(HOME).url == reverse("dashboard")


def test_the_refresh_task_stores_the_figures_and_lets_the_next_refresh_be_queued(make_member):
    from django.core.cache import cache

    from equitime.dashboard.tasks import community_refresh

    selectors.community_now()
    make_member()
    cache.set(selectors.REFRESHING_KEY, True)

    community_refresh.enqueue()

    assert cache.get(selectors.REFRESHING_KEY) is None
    assert selectors.community_now().members == 1


def test_the_accounts_that_run_the_service_are_not_counted_as_members(
    client, make_member, no_page_cache, no_small_number_rule
):
    """The same members as the directory lists: the demo's administrator, staff
    without being a member of the community, is not one of them."""
    make_member(display_name="Amina Okafor")
    administrator = make_member(display_name="Site administrator")
    administrator.is_staff = administrator.is_superuser = True
    administrator.save(update_fields=["is_staff", "is_superuser"])

    assert figure(client.get(HOME).content.decode(), "members") == "1"


def test_the_page_is_drawn_once_for_the_same_figures(client, community, monkeypatch):
    """Every visitor reading the same figures gets the same page, kept: the
    second visit draws nothing."""
    first = client.get(HOME).content.decode()
    monkeypatch.setattr(home, "_draw", fail_if_drawn)

    assert client.get(HOME).content.decode() == first


def test_the_kept_page_holds_nothing_of_one_visitor(client, community):
    """Kept for every visitor, so no form token and no message of one."""
    page = client.get(HOME).content.decode()

    assert "csrfmiddlewaretoken" not in page
    assert 'role="alert"' not in page


def test_a_message_for_a_visitor_is_shown_to_them_alone(client, member, community):
    client.get(HOME)  # the page is kept
    client.force_login(member)
    signed_out = client.post(reverse("account_logout"), follow=True).content.decode()
    again = client.get(HOME).content.decode()

    assert "You have signed out." in signed_out
    assert "You have signed out." not in again


def fail_if_drawn(request, community):
    raise AssertionError("the kept page was drawn again")

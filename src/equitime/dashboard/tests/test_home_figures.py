"""The home page's countries and share of hours across organisations (issue 15),
checked against figures computed here from the ledger and the profiles, and
the small-number rule on a public page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from equitime.core.units import MINUTES_PER_CREDIT
from equitime.dashboard import selectors
from equitime.dashboard.tests.test_home_community import HOME, figure
from equitime.exchanges.models import Exchange, Status
from equitime.exchanges.tests.factories import exchange_at
from equitime.ledger.models import Transfer
from equitime.ledger.tests.factories import earn
from equitime.members.models import Profile
from equitime.members.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def spread(make_member, make_listing):
    """Six members in three organisations and three countries, one with no
    organisation; exchanges within one organisation, across two, and with
    the member of no organisation (which does not count as crossing)."""
    trust = OrganisationFactory(name="Northfield NHS Trust", country="GB")
    council = OrganisationFactory(name="Riverside Council", country="GB")
    partner = OrganisationFactory(name="Liffey Partnership", country="IE")
    a = make_member(organisation=trust, country="GB")
    b = make_member(organisation=trust, country="GB")
    c = make_member(organisation=council, country="GB")
    d = make_member(organisation=partner, country="IE")
    e = make_member(organisation=partner, country="NL")
    loner = make_member(country="IE")
    offer = make_listing(a, title="Run charts")
    exchange_at(Status.COMPLETED, listing=offer, receiver=b, minutes=60)  # within the trust
    exchange_at(Status.COMPLETED, listing=offer, receiver=c, minutes=90)  # across
    exchange_at(Status.COMPLETED, listing=offer, receiver=d, minutes=45)  # across
    exchange_at(Status.COMPLETED, listing=offer, receiver=loner, minutes=30)  # unknown: not across
    exchange_at(Status.ACCEPTED, listing=make_listing(e), receiver=c, minutes=30)  # moved nothing
    return [a, b, c, d, e, loner]


def independent_share() -> tuple[int, int]:
    """Across-organisation and all completed minutes, from the ledger's payments."""
    organisation = dict(Profile.objects.values_list("member_id", "organisation_id"))
    across = total = 0
    for exchange in Exchange.objects.filter(status=Status.COMPLETED):
        amount = Transfer.objects.get(pk=exchange.payment_id or 0).amount
        total += amount
        mine, theirs = organisation[exchange.provider_id], organisation[exchange.receiver_id]
        across += amount if mine and theirs and mine != theirs else 0
    return across, total


def test_countries_and_the_share_across_equal_those_computed_here(client, spread, no_page_cache):
    across, total = independent_share()
    countries = len(set(Profile.objects.values_list("country", flat=True)))

    page = client.get(HOME).content.decode()

    assert (across, total) == (135, 225)
    assert figure(page, "countries") == str(countries) == "3"
    assert figure(page, "across") == f"{across * 100 // total}%" == "60%"
    assert figure(page, "hours") == "3.75"
    assert "is withheld" not in page


def test_figures_about_fewer_than_five_members_are_withheld(
    client, make_member, make_listing, no_page_cache
):
    """Four members: who they are, where, and what they exchanged are withheld."""
    trust = OrganisationFactory(name="Small Trust")
    people = [make_member(organisation=trust) for _n in range(4)]
    exchange_at(Status.COMPLETED, listing=make_listing(people[0]), receiver=people[1])

    page = client.get(HOME).content.decode()

    for name in ("members", "organisations", "countries", "hours", "hours-month", "across"):
        assert figure(page, name) == "Withheld", name
    assert "A figure about fewer than 5 members is withheld" in page


def test_four_givers_and_four_receivers_are_eight_members_and_shown(make_member, make_listing):
    """Fewer than five on each side, but eight people: read in full, as the
    first providers and the first receivers, and counted exactly."""
    givers = [make_member() for _n in range(4)]
    takers = [make_member() for _n in range(4)]
    for giver, taker in zip(givers, takers, strict=True):
        exchange_at(Status.COMPLETED, listing=make_listing(giver), receiver=taker)

    community = selectors.community_compute()

    assert community.hours_withheld is False
    assert community.minutes_exchanged == 4 * 60


def test_two_people_exchanging_many_times_are_still_two(make_member, make_listing):
    giver, taker = make_member(), make_member()
    earn(taker, 6 * MINUTES_PER_CREDIT)
    offer = make_listing(giver)
    for _n in range(6):
        exchange_at(Status.COMPLETED, listing=offer, receiver=taker)

    assert selectors.community_compute().hours_withheld is True


def test_the_queries_a_handful_of_people_cost_and_a_cached_visit_none(client, spread):
    with CaptureQueriesContext(connection) as first:
        client.get(HOME)
    with CaptureQueriesContext(connection) as again:
        client.get(HOME)

    # The figures' three (countries and the share ride on the first two), the
    # running campaigns, and, since one giver and four receivers leave it open
    # whether they are five people, two small reads of ids for all time and
    # two for the month.
    assert len(first) == 8, [q["sql"] for q in first]
    assert len(again) == 0


def test_a_large_community_costs_one_read_more_than_before(client, make_member, make_listing):
    """Five providers found at once settle all time; the month's are counted in
    the hours' aggregate: the figures' three, the campaigns, and one read."""
    for _n in range(5):
        exchange_at(Status.COMPLETED, listing=make_listing(make_member()), receiver=make_member())

    with CaptureQueriesContext(connection) as first:
        client.get(HOME)

    assert len(first) == 5, [q["sql"] for q in first]

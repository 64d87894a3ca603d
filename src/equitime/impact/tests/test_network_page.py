"""The network page and its CSV downloads: who sees what (an administrator the
whole community, a lead their organisation's neighbourhood, a member nothing,
a visitor the sign-in page), what the page says, the files' cells, and a
query count that does not grow with the community."""

import csv
import io
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from equitime.impact.links import links_rebuild
from equitime.impact.network import network_of
from equitime.impact.tests.network_factories import (
    administrator,
    exchanged,
    lead_of,
    month,
    organisation,
    staff,
)
from equitime.members.models import Organisation

pytestmark = pytest.mark.django_db

PAGE = reverse("impact_network")
ORGANISATIONS_CSV = reverse("impact_network_organisations_csv")
LINKS_CSV = reverse("impact_network_links_csv")
PERIOD = {"first": "2026-01", "last": "2026-06"}


@pytest.fixture
def community():
    """A trust linked to a council (5 members: hours shown) and to a charity
    (2 members: withheld); a university with members and no link (isolated).
    The trust holds the council and the charity together: a bridge."""
    trust = organisation("Northshire Trust")
    council = organisation("Calder Council", Organisation.Kind.LOCAL_AUTHORITY)
    charity = organisation("=HYPERLINK(evil)", Organisation.Kind.CHARITY)
    university = organisation("University of Ashworth", Organisation.Kind.UNIVERSITY)
    nurses = staff(trust, 3, "Nurse")
    officers = staff(council, 2, "Officer")
    carers = staff(charity, 1, "Carer")
    staff(university, 1, "Lecturer")
    exchanged(nurses[0], officers[0], 60, at=month(2026, 2))
    exchanged(officers[1], nurses[1], 90, at=month(2026, 2))
    exchanged(nurses[2], officers[0], 30, at=month(2026, 2))
    exchanged(carers[0], nurses[0], 45, at=month(2026, 3))
    links_rebuild(now=timezone.now())
    admin = administrator()
    return {
        "trust": trust,
        "council": council,
        "charity": charity,
        "university": university,
        "admin": admin,
        "member": nurses[0],
    }


def test_an_administrator_sees_the_whole_community(client, community):
    client.force_login(community["admin"])
    response = client.get(PAGE, PERIOD)

    assert response.status_code == 200
    view = response.context["view"]
    names = [row.name for row in view.organisations]
    assert names[:2] == ["Calder Council", "Northshire Trust"]  # the most hours across, 3 each
    assert set(names) == {
        "Northshire Trust",
        "Calder Council",
        "=HYPERLINK(evil)",
        "University of Ashworth",
    }
    assert [row.name for row in view.bridges] == ["Northshire Trust"]
    assert [row.name for row in view.isolated] == ["University of Ashworth"]
    page = response.content.decode()
    assert 'role="img"' in page and '<desc id="network-desc">' in page
    assert "Northshire Trust is the strongest bridge" in page
    assert "3 hours" in page  # trust and council: 60 + 90 + 30 minutes, 5 members
    assert "withheld (fewer than 5 members)" in page  # trust and charity: 2 members
    assert "University of Ashworth" in page


def test_a_lead_sees_their_organisations_neighbourhood_only(client, community):
    lead = lead_of(community["council"], by=community["admin"])
    client.force_login(lead)
    response = client.get(PAGE, PERIOD)

    assert response.status_code == 200
    view = response.context["view"]
    assert view.scope.organisation_id == community["council"].pk
    assert view.focus.name == "Calder Council"
    assert {row.name for row in view.organisations} == {"Calder Council", "Northshire Trust"}
    # The partner's measures are the whole network's: the trust bridges it.
    trust = next(row for row in view.organisations if row.name == "Northshire Trust")
    assert trust.node.is_bridge and trust.node.partners == 2
    assert [{row.a_name, row.b_name} for row in view.links] == [
        {"Northshire Trust", "Calder Council"}
    ]
    page = response.content.decode()
    assert "University of Ashworth" not in page
    assert "HYPERLINK" not in page
    assert "Calder Council exchanged hours with 1 partner organisation" in page


def test_a_lead_cannot_choose_another_organisation(client, community):
    lead = lead_of(community["council"], by=community["admin"])
    client.force_login(lead)
    response = client.get(PAGE, {**PERIOD, "organisation": community["trust"].pk})

    assert response.status_code == 200
    assert response.context["view"] is None
    assert response.context["form"].errors["organisation"]
    assert "Northshire Trust" not in response.content.decode().split("</form>")[1]
    csv_response = client.get(ORGANISATIONS_CSV, {"organisation": community["trust"].pk})
    assert csv_response.status_code == 400


def test_an_administrator_may_look_at_any_organisations_neighbourhood(client, community):
    client.force_login(community["admin"])
    response = client.get(PAGE, {**PERIOD, "organisation": community["charity"].pk})

    view = response.context["view"]
    assert view.focus.name == "=HYPERLINK(evil)"
    assert {row.name for row in view.organisations} == {"=HYPERLINK(evil)", "Northshire Trust"}

    response = client.get(PAGE, {**PERIOD, "organisation": community["trust"].pk})
    assert len(response.context["view"].organisations) == 3
    assert response.context["summary"] == [
        "Northshire Trust exchanged hours with 2 partner organisations in this period.",
        "Hours across its boundary: 3 hours. The hours of 1 link are withheld "
        "(fewer than 5 members).",
        "In the whole community it ranks 1 of 1 organisations as a bridge between others. "
        "It links 2 organisations that have no other link; without it, its group of 3 "
        "organisations would fall into 2 parts.",
    ]


@pytest.mark.parametrize("url", [PAGE, ORGANISATIONS_CSV, LINKS_CSV], ids=["page", "orgs", "links"])
def test_a_member_without_a_role_is_refused(client, community, url):
    client.force_login(community["member"])
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("url", [PAGE, ORGANISATIONS_CSV, LINKS_CSV], ids=["page", "orgs", "links"])
def test_a_visitor_is_sent_to_sign_in(client, community, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"first": "2026-13"}, "first"),
        ({"first": "'; DROP TABLE"}, "first"),
        ({"first": "2026-06", "last": "2026-01"}, "first"),
        ({"last": "2999-01"}, "last"),
        ({"organisation": "999999"}, "organisation"),
        ({"organisation": "x"}, "organisation"),
    ],
    ids=["month-13", "text", "backwards", "future", "unknown-organisation", "not-a-number"],
)
def test_bad_filters_are_form_errors_never_a_500(client, community, query, field):
    client.force_login(community["admin"])
    response = client.get(PAGE, query)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert client.get(LINKS_CSV, query).status_code == 400


def read_csv(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_organisations_csv_lists_every_organisation_with_formulas_neutralised(
    client, community
):
    client.force_login(community["admin"])
    rows = read_csv(client.get(ORGANISATIONS_CSV, PERIOD))

    header, body = rows[0], rows[1:]
    assert header[:4] == [
        "Organisation",
        "Kind",
        "Partners",
        "Hours across its boundary (links shown)",
    ]
    by_name = {row[0]: row for row in body}
    assert set(by_name) == {
        "Northshire Trust",
        "Calder Council",
        "'=HYPERLINK(evil)",
        "University of Ashworth",
    }
    trust = by_name["Northshire Trust"]
    assert trust[1:5] == ["NHS trust", "2", "3", "1"]  # 3 hours shown, 1 link withheld
    assert trust[6:8] == ["1", "yes"]  # rank 1, a bridge
    assert by_name["University of Ashworth"][-1] == "yes"  # isolated
    assert by_name["'=HYPERLINK(evil)"][2:5] == ["1", "0", "1"]


def test_the_links_csv_withholds_a_small_links_hours(client, community):
    client.force_login(community["admin"])
    response = client.get(LINKS_CSV, PERIOD)
    rows = read_csv(response)

    assert "2026-01-to-2026-06" in response["Content-Disposition"]
    assert rows[0] == ["Organisation A", "Organisation B", "Hours", "Exchanges"]
    cells = {frozenset(row[:2]): row[2:] for row in rows[1:]}
    assert cells[frozenset({"Northshire Trust", "Calder Council"})] == ["3", "3"]
    assert cells[frozenset({"Northshire Trust", "'=HYPERLINK(evil)"})] == [
        "withheld (fewer than 5 members)",
        "withheld (fewer than 5 members)",
    ]


def test_a_period_with_no_exchanges_says_so(client, community):
    client.force_login(community["admin"])
    response = client.get(PAGE, {"first": "2025-01", "last": "2025-03"})

    view = response.context["view"]
    assert view.links == []
    assert len(view.isolated) == 4
    page = response.content.decode()
    assert "none exchanged hours with another organisation in this period" in page
    assert "No organisations exchanged hours with each other in this period." in page


def test_the_default_period_is_the_last_twelve_months(client, community):
    client.force_login(community["admin"])
    view = client.get(PAGE).context["view"]
    this_month = timezone.now().date().replace(day=1)
    assert view.scope.last == this_month
    assert (view.scope.last.year - view.scope.first.year) * 12 + (
        view.scope.last.month - view.scope.first.month
    ) == 11


def test_the_page_costs_the_same_queries_however_many_organisations(
    client, community, django_assert_max_num_queries
):
    client.force_login(community["admin"])
    client.get(PAGE, PERIOD)  # the session, the menu and the time zone's caches
    links_rebuild(now=timezone.now())  # new rows: the period is measured afresh
    with django_assert_max_num_queries(12) as few:
        client.get(PAGE, PERIOD)
    for n in range(6):
        more = organisation(f"Extra Trust {n}")
        staff(more, 1, f"Extra {n}")
    exchanged(
        staff(organisation("Late Trust"), 1, "Late")[0],
        staff(organisation("Late Council"), 1, "Council")[0],
        60,
        at=month(2026, 4),
    )
    links_rebuild(now=timezone.now())
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(PAGE, PERIOD)
    assert len(response.context["view"].organisations) == 12


def test_the_measures_are_cached_until_the_next_rebuild(community, django_assert_num_queries):
    first, last = date(2026, 1, 1), date(2026, 6, 1)
    with django_assert_num_queries(3):  # organisations with members, the version, the links
        network = network_of(first, last)
    with django_assert_num_queries(2):  # the links are not read again
        assert network_of(first, last) == network
    links_rebuild(now=timezone.now())
    with django_assert_num_queries(3):
        assert network_of(first, last) == network  # the same figures, measured anew

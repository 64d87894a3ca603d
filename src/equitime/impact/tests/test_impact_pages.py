"""The dashboard, its CSV and API, and the public impact page: who sees what,
and what a withheld figure looks like in each."""

import csv
import io

import pytest
from django.utils import timezone

from equitime.api.services import api_token_create
from equitime.campaigns.tests.factories import administrator
from equitime.impact.aggregates import aggregates_rebuild
from equitime.impact.models import OrganisationLead
from equitime.impact.tests.community import build
from equitime.members.tests.factories import make_member

pytestmark = pytest.mark.django_db

DASHBOARD = "/impact/dashboard/"
API = "/api/v1/impact"


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """One community for the module (made once: it takes seconds), rolled back at its end."""
    from django.db import transaction

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            community = build()
            aggregates_rebuild(now=timezone.now())
            admin = administrator(display_name="Ada Admin")
            # A lead works at the organisation they lead (impact.access.leads_standing).
            lead = make_member(display_name="Lee Lead", organisation=community.trust)
            OrganisationLead.objects.create(
                member=lead, organisation=community.trust, appointed_by=admin
            )
            yield {"community": community, "admin": admin, "lead": lead}
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def signed_in(client, member):
    client.force_login(member)
    return client


def test_an_administrator_sees_the_whole_community(client, world):
    response = signed_in(client, world["admin"]).get(DASHBOARD)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Impact dashboard" in page
    assert 'role="img"' in page and "<caption>" in page
    assert "withheld (fewer than 5 members)" in page
    assert "Tiny Charity" in page  # its row is there, its figures withheld
    assert 'data-testid="impact-notes"' in page
    assert "reach the council the same day" in page
    assert "keeps off their profile" not in page  # its author did not let it be shown
    assert "A3 Northside" not in page and "B2 Southside" not in page  # no names


def test_the_dashboard_reads_a_handful_of_queries(client, world, django_assert_max_num_queries):
    signed_in(client, world["admin"])
    with django_assert_max_num_queries(20):
        assert client.get(DASHBOARD).status_code == 200


def test_a_lead_sees_their_organisation_and_not_another(client, world):
    community = world["community"]
    signed_in(client, world["lead"])
    mine = client.get(DASHBOARD)
    assert mine.status_code == 200
    assert mine.context["figures"].scope.organisation_id == community.trust.pk
    other = client.get(DASHBOARD, {"organisation": community.council.pk})
    assert other.status_code == 400
    assert "figures" not in other.context
    assert other.context["form"].errors["organisation"]


def test_a_member_is_refused_and_a_visitor_asked_to_sign_in(client, world):
    assert client.get(DASHBOARD).status_code == 302
    assert signed_in(client, make_member()).get(DASHBOARD).status_code == 403


def test_bad_months_are_a_form_error(client, world):
    signed_in(client, world["admin"])
    for query in ({"first": "2026-13"}, {"first": "nonsense"}, {"last": "2999-01"}):
        response = client.get(DASHBOARD, query)
        assert response.status_code == 400
        assert response.context["form"].errors


def test_every_table_downloads_as_csv(client, world):
    signed_in(client, world["admin"])
    page = client.get(DASHBOARD)
    for name in page.context["figures"].all_tables:
        response = client.get(DASHBOARD, {"table": name, "format": "csv"})
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
        assert "attachment" in response["Content-Disposition"]
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(DASHBOARD, {"table": "organisation", "format": "csv"}).content.decode()
            )
        )
    )
    charity = next(r for r in rows if r[0] == "Tiny Charity")
    assert charity[1:] == ["withheld", "withheld", "withheld"]
    assert client.get(DASHBOARD, {"table": "nope", "format": "csv"}).status_code == 404


def test_the_api_gives_the_same_figures(client, world):
    _token, secret = api_token_create(member=world["admin"], name="tests")
    headers = {"Authorization": f"Bearer {secret}"}
    body = client.get(API, headers=headers).json()
    page = signed_in(client, world["admin"]).get(DASHBOARD).context["figures"]
    assert body["total"]["minutes"] == page.total.minutes == 750
    organisations = next(t for t in body["tables"] if t["name"] == "organisation")
    charity = next(c for c in organisations["cells"] if c["label"] == "Tiny Charity")
    assert charity == {
        "key": str(world["community"].charity.pk),
        "label": "Tiny Charity",
        "minutes": None,
        "exchanges": None,
        "members": None,
        "withheld": True,
    }
    assert body["across_organisations"]["percent"] == page.across_organisations.percent


def test_the_api_refuses_who_may_not_see(client, world):
    assert client.get(API).status_code == 401
    _token, secret = api_token_create(member=make_member(), name="tests")
    refused = client.get(API, headers={"Authorization": f"Bearer {secret}"})
    assert refused.status_code == 403
    assert refused["Content-Type"] == "application/problem+json"
    _token, secret = api_token_create(member=world["lead"], name="tests")
    lead = {"Authorization": f"Bearer {secret}"}
    assert client.get(API, headers=lead).json()["organisation"] == world["community"].trust.pk
    other = client.get(API, {"organisation": world["community"].council.pk}, headers=lead)
    assert other.status_code == 422
    assert other.json()["errors"][0]["field"] == "organisation"
    bad = client.get(API, {"first": "2026-99"}, headers=lead)
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "first"


def test_the_public_page_names_no_organisation(client, world):
    response = client.get("/impact/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Our impact" in page
    for organisation in ("Tiny Charity", "Northside Trust", "Southside Council"):
        assert organisation not in page
    assert "impact-notes" not in page
    assert 'href="/impact/"' in page  # the footer's link
    # Drawn once and kept for the next visitor.
    assert client.get("/impact/").content == response.content


def test_the_public_page_can_be_switched_off(client, world, settings):
    settings.EQUITIME_PUBLIC_IMPACT = False
    assert client.get("/impact/").status_code == 404
    assert 'href="/impact/"' not in client.get("/accessibility/").content.decode()

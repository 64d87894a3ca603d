"""The leads API: the pages' rules, refusals as problem documents, minutes."""

import json

import pytest
from django.test import Client

from equitime.api.services import api_token_create
from equitime.impact.models import OrganisationLead
from equitime.impact.tests.leads_factories import (
    admin,
    given,
    lead_of,
    lead_row,
    member_at,
    organisation,
)
from equitime.members.models import Member

pytestmark = pytest.mark.django_db
BASE = "/api/v1/impact"


@pytest.fixture(autouse=True)
def _generous_rate_limits(settings):
    settings.EQUITIME_API_RATE_PER_IP = "10000/m"
    settings.EQUITIME_API_RATE_PER_TOKEN = "10000/m"
    settings.EQUITIME_API_WRITE_RATE_PER_TOKEN = "10000/m"


class Api:
    def __init__(self, member=None):
        self.client = Client()
        self.headers = {}
        if member is not None:
            _, secret = api_token_create(member=member, name="test")
            self.headers["Authorization"] = f"Bearer {secret}"

    def get(self, path, params=None):
        return self.client.get(BASE + path, params or {}, headers=self.headers)

    def post(self, path, body):
        return self.client.post(
            BASE + path, json.dumps(body), content_type="application/json", headers=self.headers
        )

    def delete(self, path):
        return self.client.delete(BASE + path, headers=self.headers)


def test_an_administrator_appoints_lists_and_removes_a_lead():
    org, boss = organisation("Severn Vale ICB"), admin()
    member = member_at(org, "Tom Whitfield")
    api = Api(boss)

    made = api.post("/leads", {"member_id": member.pk, "organisation_id": org.pk})
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["member"] == {"id": member.pk, "display_name": "Tom Whitfield"}
    assert body["organisation"] == {"id": org.pk, "name": "Severn Vale ICB"}
    assert body["standing"] is True

    listed = api.get("/leads").json()
    assert [item["id"] for item in listed["items"]] == [body["id"]]

    removed = api.delete(f"/leads/{body['id']}")
    assert removed.status_code == 200 and removed.json()["member"]["id"] == member.pk
    assert not OrganisationLead.objects.exists()
    assert api.delete(f"/leads/{body['id']}").status_code == 404


@pytest.mark.parametrize(
    "case,status,code",
    [
        ("elsewhere", 422, "other_organisation"),
        ("duplicate", 409, "lead_exists"),
        ("suspended", 409, "suspended"),
        ("nobody", 404, "member_not_found"),
        ("no-such-organisation", 422, "invalid_fields"),
    ],
    ids=["elsewhere", "duplicate", "suspended", "nobody", "no-such-organisation"],
)
def test_refusals_are_problems(case, status, code):
    org, boss = organisation(), admin()
    member = member_at(org)
    body = {"member_id": member.pk}
    if case == "elsewhere":
        body["organisation_id"] = organisation().pk
    elif case == "duplicate":
        lead_of(org, by=boss)
        body["member_id"] = OrganisationLead.objects.get().member_id
    elif case == "suspended":
        Member.objects.filter(pk=member.pk).update(
            is_active=False, suspended_at="2026-01-01T00:00Z"
        )
    elif case == "nobody":
        body["member_id"] = 10**9
    else:
        body["organisation_id"] = 10**9
    before = OrganisationLead.objects.count()

    response = Api(boss).post("/leads", body)

    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == code
    assert OrganisationLead.objects.count() == before


def test_members_may_not_appoint_and_visitors_must_sign_in():
    org = organisation()
    member = member_at(org)
    assert Api(member_at(org)).post("/leads", {"member_id": member.pk}).status_code == 403
    assert Api().post("/leads", {"member_id": member.pk}).status_code == 401
    assert Api(lead_of(org)).get("/leads").status_code == 403
    assert not OrganisationLead.objects.filter(member=member).exists()


def test_a_lead_reads_their_organisations_members():
    org = organisation()
    amina = member_at(org, "Amina Okafor", named=True)
    outsider = member_at(organisation(), "Olu Outsider")
    for n in range(3):
        member_at(org, f"Quiet {n}")
    given(amina, outsider, 90)
    lead = lead_of(org)

    response = Api(lead).get(f"/organisations/{org.pk}/members")

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["named"] == [
        {
            "member": {"id": amina.pk, "display_name": "Amina Okafor"},
            "given_minutes": 90,
            "received_minutes": 0,
            "given_across_minutes": 90,
        }
    ]
    # Three quiet colleagues and the lead: four, withheld.
    assert body["others"] == {
        "withheld": True,
        "members": None,
        "given_minutes": None,
        "received_minutes": None,
        "given_across_minutes": None,
    }


def test_the_members_endpoint_refuses_anyone_else_and_bad_months():
    org, elsewhere = organisation(), organisation()
    lead = lead_of(org)
    assert Api(lead).get(f"/organisations/{elsewhere.pk}/members").status_code == 403
    assert Api(member_at(org)).get(f"/organisations/{org.pk}/members").status_code == 403
    assert Api().get(f"/organisations/{org.pk}/members").status_code == 401
    bad = Api(lead).get(f"/organisations/{org.pk}/members", {"first": "2026-13"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "first"
    assert Api(admin()).get("/organisations/999999/members").status_code == 404


def test_an_administrator_reads_any_organisation():
    org = organisation()
    member_at(org, "Amina Okafor", named=True)
    response = Api(admin()).get(f"/organisations/{org.pk}/members", {"first": "2026-01"})
    assert response.status_code == 200
    assert response.json()["first"] == "2026-01-01"


def test_the_lead_row_says_when_the_lead_works_elsewhere():
    from equitime.members.models import Profile

    boss = admin()
    lead = lead_row(lead_of(organisation(), by=boss))
    Profile.objects.filter(member=lead.member).update(organisation=organisation())
    listed = Api(boss).get("/leads").json()
    assert listed["items"][0]["standing"] is False

"""The members part of the API: /me, the directory, organisations, the
skills taxonomy and the improvement areas, called as a client would."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from equitime.api.services import api_token_create
from equitime.members import roles
from equitime.members.models import Member, Organisation
from equitime.members.services import member_role_grant
from equitime.members.tests.factories import OrganisationFactory
from equitime.moderation.services import member_suspend
from equitime.skills.models import ImprovementArea, Skill, SkillCategory

pytestmark = pytest.mark.django_db

ME = "/api/v1/me"


@pytest.fixture
def api(client, member):
    """A client that sends the member's token."""
    _, secret = api_token_create(member=member, name="tests")

    class Api:
        def get(self, path, params=None):
            return client.get(path, params or {}, headers={"Authorization": f"Bearer {secret}"})

        def patch(self, path, body):
            return client.patch(
                path,
                body,
                content_type="application/json",
                headers={"Authorization": f"Bearer {secret}"},
            )

    return Api()


def ok(response, status=200):
    assert response.status_code == status, response.content
    return response.json()


def with_skills(member, *slugs):
    member.profile.skills.set(Skill.objects.filter(slug__in=slugs))
    return member


@pytest.fixture
def people(make_member):
    charity = OrganisationFactory(name="Carers Together", kind=Organisation.Kind.CHARITY)
    trust = OrganisationFactory(name="Leeds Teaching Hospitals", kind=Organisation.Kind.NHS_TRUST)
    grace = with_skills(
        make_member(
            display_name="Grace Hopper",
            organisation=trust,
            profession="Statistician",
            division="Research office",
            skills_offered=["Kaplan-Meier curves"],
        ),
        "survival-analysis",
    )
    chidi = with_skills(
        make_member(
            display_name="Chidi Anagonye",
            organisation=charity,
            profession="Carer support lead",
            country="NG",
        ),
        "mentoring",
    )
    return {"grace": grace, "chidi": chidi, "trust": trust, "charity": charity}


# --- /me ----------------------------------------------------------------------------


def test_me_is_the_member_with_what_only_they_see(api, member):
    body = ok(api.get(ME))

    assert body["id"] == member.pk
    assert body["display_name"] == "Amina Okafor"
    assert body["email"] == member.email
    assert body["email_verified"] is True
    assert body["roles"] == []
    # The welcome gift: two credits, in minutes.
    assert body["balance"] == {
        "balance_minutes": 120,
        "held_minutes": 0,
        "available_minutes": 120,
    }
    assert "password" not in body


def test_me_shows_roles(api, member):
    member_role_grant(member=member, role=roles.MODERATOR, by=None)

    assert ok(api.get(ME))["roles"] == ["moderator"]


def test_patch_me_changes_only_the_fields_sent(api, member, people):
    member.profile.division = "Frailty unit"
    member.profile.save(update_fields=["division"])
    skill = Skill.objects.get(slug="run-charts")

    body = ok(
        api.patch(
            ME,
            {
                "display_name": "  Amina   O. ",
                "organisation_id": people["trust"].pk,
                "profession": "Nurse consultant",
                "languages": ["English", "Yoruba"],
                "skill_ids": [skill.pk],
                "skills_offered": ["Huddles"],
                "bio": "Quality improvement in older people's care.",
            },
        )
    )

    assert body["display_name"] == "Amina O."
    assert body["organisation"]["id"] == people["trust"].pk
    assert body["organisation"]["kind"] == "nhs_trust"
    assert body["profession"] == "Nurse consultant"
    assert body["division"] == "Frailty unit"  # not sent, not changed
    assert body["languages"] == ["English", "Yoruba"]
    assert body["skills"] == ["Run charts", "Huddles"]
    assert body["bio"] == "Quality improvement in older people's care."
    member.refresh_from_db()
    assert member.display_name == "Amina O."
    assert list(member.profile.skills.all()) == [skill]


def test_patch_me_can_clear_a_field(api, member, people):
    api.patch(ME, {"organisation_id": people["trust"].pk})

    body = ok(api.patch(ME, {"organisation_id": None, "bio": ""}))

    assert body["organisation"] is None
    assert body["bio"] == ""


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"display_name": "   "}, {"display_name"}),
        ({"display_name": "x" * 101}, {"display_name"}),
        ({"organisation_id": 424242}, {"organisation"}),
        ({"country": "ZZ"}, {"country"}),
        ({"time_zone": "Mars/Olympus_Mons"}, {"time_zone"}),
        ({"skill_ids": [424242]}, {"skills"}),
        ({"preference": "teleport"}, {"preference"}),
        ({"bio": "x" * 2001}, {"bio"}),
        ({"languages": "English"}, {"languages"}),
    ],
)
def test_patch_me_refuses_bad_fields_with_422(api, member, body, fields):
    before = ok(api.get(ME))

    response = api.patch(ME, body)

    assert response.status_code == 422, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert {error["field"] for error in response.json()["errors"]} == fields
    assert ok(api.get(ME)) == before


def test_patch_me_is_refused_to_a_suspended_member(client, member, make_member):
    moderator = member_role_grant(member=make_member(), role=roles.MODERATOR, by=None)
    _, secret = api_token_create(member=member, name="t")
    member_suspend(member=member, by=moderator, reason="Asked for money.")

    response = client.patch(
        ME,
        {"bio": "x"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {secret}"},
    )

    assert response.status_code == 401


# --- The directory -------------------------------------------------------------------


def names(body) -> list[str]:
    return [item["display_name"] for item in body["items"]]


def test_the_directory_lists_active_members_by_family_name(api, people, make_member):
    gone = make_member(display_name="Aaron Away")
    Member.objects.filter(pk=gone.pk).update(is_active=False)

    body = ok(api.get("/api/v1/members"))

    assert names(body) == ["Chidi Anagonye", "Grace Hopper", "Amina Okafor"]
    assert body["count"] == 3
    grace = next(item for item in body["items"] if item["display_name"] == "Grace Hopper")
    assert grace["organisation"]["name"] == "Leeds Teaching Hospitals"
    assert grace["skills"] == ["Survival analysis", "Kaplan-Meier curves"]
    assert "email" not in grace and "balance" not in grace


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "grace"}, ["Grace Hopper"]),
        ({"q": "statistic"}, ["Grace Hopper"]),
        ({"q": "kaplan"}, ["Grace Hopper"]),
        ({"q": "leeds survival"}, ["Grace Hopper"]),
        ({"q": "leeds mentoring"}, []),
        ({"organisation_kind": "charity"}, ["Chidi Anagonye"]),
        ({"organisation_kind": "university"}, []),
        ({"category": "data-and-statistics"}, ["Grace Hopper"]),
        ({"category": "wellbeing", "organisation_kind": "nhs_trust"}, []),
    ],
)
def test_the_directory_searches_and_filters(api, people, params, expected):
    assert names(ok(api.get("/api/v1/members", params))) == expected


def test_the_directory_pages(api, people, make_member):
    for given in ("Xavier", "Yara", "Zack"):
        make_member(display_name=f"{given} Zed")

    first = ok(api.get("/api/v1/members", {"page_size": 2}))
    third = ok(api.get("/api/v1/members", {"page_size": 2, "page": 3}))
    beyond = ok(api.get("/api/v1/members", {"page_size": 2, "page": 50}))

    assert first["count"] == third["count"] == 6
    assert names(first) == ["Chidi Anagonye", "Grace Hopper"]
    assert names(third) == ["Yara Zed", "Zack Zed"]
    assert beyond["items"] == []


def test_the_directory_page_size_is_at_most_100(api, people):
    assert ok(api.get("/api/v1/members", {"page_size": 1000}))["count"] == 3


@pytest.mark.parametrize(
    "params",
    [{"page": 0}, {"page": "x"}, {"page_size": 0}, {"page": 10**20}, {"q": "x" * 201}],
)
def test_bad_directory_parameters_are_422(api, params):
    response = api.get("/api/v1/members", params)

    assert response.status_code == 422, response.content


def test_the_directory_costs_the_same_queries_for_3_or_30_members(api, make_member):
    trust = OrganisationFactory()

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            ok(api.get("/api/v1/members", {"page_size": 100}))
        return len(captured)

    ok(api.get(ME))  # the token's first use is noted; later ones within a minute are not
    for n in range(2):
        with_skills(make_member(organisation=trust, skills_offered=[f"s{n}"]), "mentoring")
    few = queries()
    for n in range(27):
        with_skills(make_member(organisation=trust, skills_offered=[f"t{n}"]), "sql", "python")
    many = queries()

    assert ok(api.get("/api/v1/members", {"page_size": 100}))["count"] == 30
    assert few == many
    assert many <= 6


def test_a_member_profile_by_id(api, people):
    grace = people["grace"]

    body = ok(api.get(f"/api/v1/members/{grace.pk}"))

    assert body["display_name"] == "Grace Hopper"
    assert body["profession"] == "Statistician"
    assert "email" not in body


def test_a_closed_or_suspended_member_is_not_found(api, people, make_member):
    moderator = member_role_grant(member=make_member(), role=roles.MODERATOR, by=None)
    member_suspend(member=people["chidi"], by=moderator, reason="Spam.")

    assert api.get(f"/api/v1/members/{people['chidi'].pk}").status_code == 404
    assert api.get("/api/v1/members/424242").status_code == 404
    assert "Chidi Anagonye" not in names(ok(api.get("/api/v1/members")))


# --- Organisations -------------------------------------------------------------------


def test_organisations_are_listed_by_name_and_filtered(api, people):
    OrganisationFactory(name="Aston University", kind=Organisation.Kind.UNIVERSITY)

    everything = ok(api.get("/api/v1/organisations"))
    charities = ok(api.get("/api/v1/organisations", {"kind": "charity"}))
    leeds = ok(api.get("/api/v1/organisations", {"q": "leeds"}))

    listed = [item["name"] for item in everything["items"]]
    assert listed == sorted(listed, key=str.lower)
    assert {"Aston University", "Carers Together", "Leeds Teaching Hospitals"} <= set(listed)
    assert [item["name"] for item in charities["items"]] == ["Carers Together"]
    assert charities["items"][0]["kind_label"] == "Charity or voluntary organisation"
    assert [item["name"] for item in leeds["items"]] == ["Leeds Teaching Hospitals"]


def test_one_organisation(api, people):
    body = ok(api.get(f"/api/v1/organisations/{people['trust'].pk}"))

    assert body == {
        "id": people["trust"].pk,
        "name": "Leeds Teaching Hospitals",
        "kind": "nhs_trust",
        "kind_label": people["trust"].get_kind_display(),
        "country": "GB",
    }
    assert api.get("/api/v1/organisations/424242").status_code == 404


# --- Skills and improvement areas ----------------------------------------------------------


def test_the_skills_taxonomy(api):
    body = ok(api.get("/api/v1/skills"))

    assert len(body) == SkillCategory.objects.count() > 0
    data = next(category for category in body if category["slug"] == "data-and-statistics")
    assert "survival-analysis" in {skill["slug"] for skill in data["skills"]}
    assert sum(len(category["skills"]) for category in body) == Skill.objects.count()


def test_the_skills_taxonomy_costs_two_queries(api, django_assert_max_num_queries):
    ok(api.get("/api/v1/skills"))  # the token's last use is noted once

    with django_assert_max_num_queries(3):  # token, categories, skills
        ok(api.get("/api/v1/skills"))


def test_the_improvement_areas(api):
    body = ok(api.get("/api/v1/improvement-areas"))

    assert len(body) == ImprovementArea.objects.count() >= 10
    assert {"patient-safety", "staff-wellbeing"} <= {area["slug"] for area in body}
    assert all(area["name"] and area["description"] for area in body)


@pytest.mark.parametrize(
    "path",
    [ME, "/api/v1/members", "/api/v1/organisations", "/api/v1/skills", "/api/v1/improvement-areas"],
)
def test_every_members_endpoint_needs_credentials(client, path, db):
    response = client.get(path)

    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"

"""The listings API: browse and search, my listings, one listing, posting,
changing, and the owner's pause / resume / close / renew; who may do which."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from schemathesis.specs.openapi.definitions import OPENAPI_31_VALIDATOR

from equitime.api.services import api_token_create
from equitime.listings.freshness import listings_changed
from equitime.listings.models import Format, Listing
from equitime.listings.selectors import listing_browse_list
from equitime.listings.services import listing_close, listing_pause
from equitime.listings.tests.test_search import HOSTILE
from equitime.members import roles
from equitime.members.models import Organisation
from equitime.members.services import member_role_grant
from equitime.members.tests.factories import OrganisationFactory
from equitime.skills.models import ImprovementArea, Skill

pytestmark = pytest.mark.django_db

BASE = "/api/v1/listings"
NHS_NUMBER = "9434765919"  # passes the modulus-11 check


def url(listing_or_id, action: str = "") -> str:
    pk = getattr(listing_or_id, "pk", listing_or_id)
    return f"{BASE}/{pk}" + (f"/{action}" if action else "")


@pytest.fixture
def token_for():
    def make(member, *, read_only=False) -> dict:
        _, secret = api_token_create(member=member, name="test", read_only=read_only)
        return {"Authorization": f"Bearer {secret}"}

    return make


@pytest.fixture
def owner_auth(member, token_for):
    return token_for(member)


@pytest.fixture
def other_auth(other_member, token_for):
    return token_for(other_member)


@pytest.fixture
def moderator(make_member):
    moderator = make_member(display_name="Mo Moderator")
    return member_role_grant(member=moderator, role=roles.MODERATOR, by=None)


@pytest.fixture
def listing(make_listing, member):
    return make_listing(member)


@pytest.fixture
def others_listing(make_listing, other_member):
    return make_listing(other_member, title="Run charts for ward teams")


def new_listing(**changes) -> dict:
    body = {
        "kind": "offer",
        "title": "Teaching run charts",
        "description": "An hour on run charts and the rules for spotting a signal.",
        "improvement_area_id": ImprovementArea.objects.get(slug="patient-safety").pk,
        "benefit": "Ward teams see whether their changes are improvements.",
        "skill_ids": [Skill.objects.get(slug="survival-analysis").pk],
        "estimated_minutes": 90,
        "format": "remote",
        "place": "",
        "languages": ["English", "Welsh"],
    }
    body.update(changes)
    return {name: value for name, value in body.items() if value is not ...}


def post(client, path, body=None, headers=None):
    return client.post(path, body or {}, content_type="application/json", headers=headers or {})


def patch(client, path, body, headers):
    return client.patch(path, body, content_type="application/json", headers=headers)


def assert_problem(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status
    assert body["code"] == code
    return body


def error_fields(response) -> set[str]:
    body = assert_problem(response, 422, response.json().get("code", ""))
    return {error["field"] for error in body.get("errors", [])}


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


# --- Who may call ---------------------------------------------------------------------

ALL_OPERATIONS = [
    ("get", ""),
    ("get", "/mine"),
    ("get", "/{id}"),
    ("post", ""),
    ("patch", "/{id}"),
    ("post", "/{id}/pause"),
    ("post", "/{id}/resume"),
    ("post", "/{id}/close"),
    ("post", "/{id}/renew"),
]


@pytest.mark.parametrize(("method", "path"), ALL_OPERATIONS)
def test_anonymous_callers_are_asked_to_authenticate(client, listing, method, path):
    response = getattr(client, method)(
        BASE + path.format(id=listing.pk), {}, content_type="application/json"
    )

    assert_problem(response, 401, "unauthenticated")
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert Listing.objects.get(pk=listing.pk).status == Listing.Status.OPEN


def test_a_bad_token_is_refused(client, listing):
    response = client.get(BASE, headers={"Authorization": "Bearer eqt_not-a-token"})

    assert_problem(response, 401, "unauthenticated")


@pytest.mark.parametrize("path", ["", "/mine", "/{id}"])
def test_a_read_only_token_reads(client, member, listing, token_for, path):
    response = client.get(
        BASE + path.format(id=listing.pk), headers=token_for(member, read_only=True)
    )

    assert response.status_code == 200


@pytest.mark.parametrize(("method", "path"), [op for op in ALL_OPERATIONS if op[0] != "get"])
def test_a_read_only_token_cannot_write(client, member, listing, token_for, method, path):
    headers = token_for(member, read_only=True)
    response = getattr(client, method)(
        BASE + path.format(id=listing.pk),
        new_listing(),
        content_type="application/json",
        headers=headers,
    )

    assert_problem(response, 403, "read_only")
    listing.refresh_from_db()
    assert listing.status == Listing.Status.OPEN
    assert Listing.objects.count() == 1


def test_a_browser_session_reads_and_needs_csrf_to_write(member, listing):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(member)

    assert browser.get(url(listing)).status_code == 200
    response = post(browser, url(listing, "pause"))
    assert_problem(response, 403, "csrf_failed")
    listing.refresh_from_db()
    assert listing.status == Listing.Status.OPEN


# --- One listing ---------------------------------------------------------------------------


def test_a_listing_shows_everything_a_client_needs(client, owner_auth, member, make_listing):
    organisation = OrganisationFactory(name="Northern Care Alliance")
    member.profile.organisation = organisation
    member.profile.save(update_fields=["organisation"])
    listing = make_listing(
        member,
        skills=("survival-analysis", "r-programming"),
        languages=["English", "Urdu"],
        place="Salford",
        format=Format.EITHER,
        estimated_minutes=90,
    )

    response = client.get(url(listing), headers=owner_auth)

    assert response.status_code == 200
    body = response.json()
    area = listing.improvement_area
    assert body["id"] == listing.pk
    assert body["kind"] == "offer"
    assert body["status"] == "open"
    assert body["title"] == "Survival analysis in R"
    assert body["description"] == listing.description
    assert body["benefit"] == listing.benefit
    assert body["improvement_area"] == {"id": area.pk, "name": area.name, "slug": area.slug}
    assert body["skills"] == [
        {"id": skill.pk, "name": skill.name} for skill in listing.skills.order_by("name")
    ]
    assert len(body["skills"]) == 2
    assert body["estimated_minutes"] == 90
    assert body["format"] == "either"
    assert body["place"] == "Salford"
    assert body["languages"] == ["English", "Urdu"]
    assert body["owner"] == {
        "id": member.pk,
        "display_name": "Amina Okafor",
        "organisation": "Northern Care Alliance",
    }
    for stamp in ("created_at", "updated_at", "expires_at"):
        assert body[stamp]
    assert body["links"] == {"self": f"http://testserver{BASE}/{listing.pk}"}
    assert "price" not in body and "rate" not in body  # rules 2 and 3


def test_an_owner_without_organisation_shows_none(client, owner_auth, listing, member):
    member.profile.organisation = None
    member.profile.save(update_fields=["organisation"])

    assert client.get(url(listing), headers=owner_auth).json()["owner"]["organisation"] is None


def test_anyone_sees_an_open_listing(client, other_auth, listing):
    assert client.get(url(listing), headers=other_auth).status_code == 200


@pytest.mark.parametrize("change", [listing_pause, listing_close])
def test_the_owner_sees_their_listing_in_any_status(client, owner_auth, member, listing, change):
    change(listing=listing, member=member)

    response = client.get(url(listing), headers=owner_auth)

    assert response.status_code == 200
    assert response.json()["status"] == Listing.objects.get(pk=listing.pk).status


@pytest.mark.parametrize("change", [listing_pause, listing_close])
def test_others_do_not_see_a_listing_that_is_not_open(client, other_auth, member, listing, change):
    change(listing=listing, member=member)

    assert_problem(client.get(url(listing), headers=other_auth), 404, "not_found")


def test_a_moderator_sees_a_listing_that_is_not_open(client, token_for, moderator, member, listing):
    # As on the page (access.listing_get_visible): a reported listing may be
    # paused or closed by the time a moderator looks. Seeing is all they may do.
    listing_pause(listing=listing, member=member)

    response = client.get(url(listing), headers=token_for(moderator))

    assert response.status_code == 200
    assert response.json()["status"] == "paused"


def test_an_expired_listing_is_private_to_its_owner(client, owner_auth, other_auth, listing):
    Listing.objects.filter(pk=listing.pk).update(status=Listing.Status.EXPIRED)

    assert client.get(url(listing), headers=owner_auth).json()["status"] == "expired"
    assert_problem(client.get(url(listing), headers=other_auth), 404, "not_found")


@pytest.mark.parametrize("listing_id", ["0", "-1", "999999", str(2**63), str(10**30)])
def test_no_such_listing_is_404(client, owner_auth, listing_id):
    assert_problem(client.get(f"{BASE}/{listing_id}", headers=owner_auth), 404, "not_found")


@pytest.mark.parametrize("listing_id", ["abc", "1.5", "%00", "1e3"])
def test_a_listing_id_that_is_not_a_number_is_422(client, owner_auth, listing_id):
    response = client.get(f"{BASE}/{listing_id}", headers=owner_auth)

    assert response.status_code in (404, 422)
    assert response["Content-Type"] == "application/problem+json"


# --- Posting a listing ---------------------------------------------------------------------


def test_a_member_posts_an_offer(client, owner_auth, member):
    response = post(client, BASE, new_listing(), owner_auth)

    assert response.status_code == 201, response.content
    body = response.json()
    listing = Listing.objects.get()
    assert body["id"] == listing.pk
    assert response["Location"] == f"{BASE}/{listing.pk}"
    assert body["links"]["self"].endswith(f"{BASE}/{listing.pk}")
    assert listing.owner == member
    assert listing.kind == "offer"
    assert listing.status == Listing.Status.OPEN
    assert listing.estimated_minutes == 90
    assert listing.languages == ["English", "Welsh"]
    assert [skill.slug for skill in listing.skills.all()] == ["survival-analysis"]
    assert body["title"] == "Teaching run charts"
    assert body["expires_at"] > body["created_at"]
    # Searchable at once, through the same index as the browse page.
    assert ids(client.get(BASE, {"q": "run chart"}, headers=owner_auth)) == [listing.pk]


def test_a_member_posts_a_request_with_the_fewest_fields(client, owner_auth):
    body = new_listing(kind="request", skill_ids=..., format=..., place=..., languages=...)

    response = post(client, BASE, body, owner_auth)

    assert response.status_code == 201, response.content
    listing = Listing.objects.get()
    assert listing.kind == "request"
    assert listing.format == Format.EITHER  # the page's initial choice
    assert list(listing.skills.all()) == []


def test_text_is_trimmed_like_on_the_page(client, owner_auth):
    response = post(client, BASE, new_listing(title="  Run charts  "), owner_auth)

    assert response.json()["title"] == "Run charts"


def test_a_member_who_has_not_confirmed_their_address_cannot_post(client, make_member, token_for):
    unconfirmed = make_member(email_verified=False)

    response = post(client, BASE, new_listing(), token_for(unconfirmed))

    assert_problem(response, 403, "email_unverified")
    assert not Listing.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"benefit": ...}, "benefit", "invalid_fields"),
        ({"benefit": "   "}, "benefit", "invalid_fields"),
        ({"improvement_area_id": ...}, "improvement_area_id", "invalid_fields"),
        ({"title": ""}, "title", "invalid_fields"),
        ({"title": "x" * 121}, "title", "invalid_fields"),
        ({"description": "x" * 4001}, "description", "invalid_fields"),
        ({"benefit": "x" * 251}, "benefit", "invalid_fields"),
        ({"place": "x" * 121}, "place", "invalid_fields"),
        ({"estimated_minutes": 18}, "estimated_minutes", "invalid_fields"),  # 0.3 hours
        ({"estimated_minutes": 7}, "estimated_minutes", "invalid_fields"),
        ({"estimated_minutes": 0}, "estimated_minutes", "invalid_fields"),
        ({"estimated_minutes": -60}, "estimated_minutes", "invalid_fields"),
        ({"estimated_minutes": 40 * 60 + 15}, "estimated_minutes", "invalid_fields"),
        ({"estimated_minutes": 10**30}, "estimated_minutes", "invalid_fields"),
        ({"estimated_minutes": 60.5}, "estimated_minutes", "invalid_fields"),
        ({"estimated_minutes": "an hour"}, "estimated_minutes", "invalid_fields"),
        ({"improvement_area_id": 999999}, "improvement_area_id", "invalid_fields"),
        ({"improvement_area_id": -1}, "improvement_area_id", "invalid_fields"),
        ({"improvement_area_id": 10**30}, "improvement_area_id", "invalid_fields"),
        ({"improvement_area_id": "patient-safety"}, "improvement_area_id", "invalid_fields"),
        ({"skill_ids": [999999]}, "skill_ids", "invalid_fields"),
        ({"skill_ids": [10**30]}, "skill_ids", "invalid_fields"),
        ({"skill_ids": "survival-analysis"}, "skill_ids", "invalid_fields"),
        ({"skill_ids": list(range(51))}, "skill_ids", "invalid_fields"),
        ({"kind": "gift"}, "kind", "invalid_fields"),
        ({"kind": None}, "kind", "invalid_fields"),
        ({"format": "teleport"}, "format", "invalid_fields"),
        ({"title": 5}, "title", "invalid_fields"),
        ({"title": ["a"]}, "title", "invalid_fields"),
        ({"title": "Run\x00charts"}, "title", "invalid_fields"),
        ({"languages": "English"}, "languages", "invalid_fields"),
        ({"languages": [f"Language {n}" for n in range(21)]}, "languages", "invalid_fields"),
        # The rules, from the services: no money (rule 2), no patient data.
        ({"description": "I charge £50 per session."}, "description", "money"),
        ({"title": "Stats help, 20 dollars an hour"}, "title", "money"),
        ({"benefit": "Saves the trust paying invoices."}, "benefit", "money"),
        ({"place": "Cash only, Leeds"}, "place", "money"),
        (
            {"description": f"The patient's NHS number is {NHS_NUMBER}."},
            "description",
            "patient_data",
        ),
        ({"benefit": "Helps Mrs Smith, DOB 12/03/1950."}, "benefit", "patient_data"),
    ],
)
def test_what_is_written_is_checked(client, owner_auth, changes, field, code):
    response = post(client, BASE, new_listing(**changes), owner_auth)

    body = assert_problem(response, 422, code)
    assert field in {error["field"] for error in body["errors"]}, body
    assert all(error["message"] for error in body["errors"])
    assert not Listing.objects.exists()


def test_a_patient_data_refusal_never_repeats_the_identifier(client, owner_auth):
    response = post(client, BASE, new_listing(description=f"NHS {NHS_NUMBER}"), owner_auth)

    assert_problem(response, 422, "patient_data")
    assert NHS_NUMBER not in response.content.decode()


def test_the_estimate_error_speaks_in_minutes(client, owner_auth):
    response = post(client, BASE, new_listing(estimated_minutes=18), owner_auth)

    messages = [error["message"] for error in response.json()["errors"]]
    assert any("minutes" in message for message in messages)


@pytest.mark.parametrize(
    "body", [b"not json", b"{", b'{"kind": "offer",}', b"\xff\xfe", b"", b"null", b"[]", b'"x"']
)
def test_a_body_that_is_not_a_json_object_is_refused(client, owner_auth, body):
    response = client.post(BASE, body, content_type="application/json", headers=owner_auth)

    assert response.status_code in (400, 422)
    assert response["Content-Type"] == "application/problem+json"
    assert not Listing.objects.exists()


def test_a_body_that_is_not_json_is_400(client, owner_auth):
    response = client.post(BASE, b"kind=offer", content_type="application/json", headers=owner_auth)

    assert_problem(response, 400, "unreadable_body")


# --- Changing a listing --------------------------------------------------------------------


def test_the_owner_changes_only_what_they_send(client, owner_auth, listing):
    before = Listing.objects.get(pk=listing.pk)

    response = patch(client, url(listing), {"title": "Cox regression in R"}, owner_auth)

    assert response.status_code == 200, response.content
    assert response.json()["title"] == "Cox regression in R"
    listing.refresh_from_db()
    assert listing.title == "Cox regression in R"
    for unchanged in ("description", "benefit", "estimated_minutes", "format", "place"):
        assert getattr(listing, unchanged) == getattr(before, unchanged)
    assert listing.improvement_area_id == before.improvement_area_id
    assert [skill.slug for skill in listing.skills.all()] == ["survival-analysis"]
    assert listing.updated_at > before.updated_at
    # The search index follows.
    assert ids(client.get(BASE, {"q": "cox"}, headers=owner_auth)) == [listing.pk]


def test_the_owner_changes_the_area_skills_estimate_and_languages(client, owner_auth, listing):
    staff = ImprovementArea.objects.get(slug="staff-wellbeing")
    skill = Skill.objects.get(slug="r-programming")

    response = patch(
        client,
        url(listing),
        {
            "improvement_area_id": staff.pk,
            "skill_ids": [skill.pk],
            "estimated_minutes": 45,
            "languages": ["Cymraeg"],
            "format": "in_person",
            "place": "Cardiff",
        },
        owner_auth,
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["improvement_area"]["slug"] == "staff-wellbeing"
    assert body["skills"] == [{"id": skill.pk, "name": skill.name}]
    assert body["estimated_minutes"] == 45
    assert body["languages"] == ["Cymraeg"]
    assert (body["format"], body["place"]) == ("in_person", "Cardiff")


def test_an_empty_change_changes_nothing(client, owner_auth, listing):
    response = patch(client, url(listing), {}, owner_auth)

    assert response.status_code == 200
    assert response.json()["title"] == listing.title


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"title": None}, "title", "invalid_fields"),
        ({"benefit": ""}, "benefit", "invalid_fields"),
        ({"improvement_area_id": None}, "improvement_area_id", "invalid_fields"),
        ({"improvement_area_id": 999999}, "improvement_area_id", "invalid_fields"),
        ({"skill_ids": [999999]}, "skill_ids", "invalid_fields"),
        ({"estimated_minutes": 20}, "estimated_minutes", "invalid_fields"),
        ({"title": "x" * 121}, "title", "invalid_fields"),
        ({"format": "teleport"}, "format", "invalid_fields"),
        ({"benefit": "Worth £200 of consultancy."}, "benefit", "money"),
        ({"description": f"See NHS number {NHS_NUMBER}."}, "description", "patient_data"),
    ],
)
def test_a_change_is_checked_like_a_new_listing(client, owner_auth, listing, changes, field, code):
    response = patch(client, url(listing), changes, owner_auth)

    body = assert_problem(response, 422, code)
    assert field in {error["field"] for error in body["errors"]}
    assert Listing.objects.get(pk=listing.pk).title == listing.title


def test_kind_cannot_be_changed(client, owner_auth, listing):
    response = patch(client, url(listing), {"kind": "request"}, owner_auth)

    assert response.status_code == 200
    assert Listing.objects.get(pk=listing.pk).kind == "offer"


def test_the_owner_can_change_a_paused_listing(client, owner_auth, member, listing):
    listing_pause(listing=listing, member=member)

    response = patch(client, url(listing), {"title": "Later"}, owner_auth)

    assert response.status_code == 200
    assert response.json()["status"] == "paused"


@pytest.mark.parametrize("who", ["other", "moderator"])
def test_nobody_else_can_change_a_listing(client, token_for, other_member, moderator, listing, who):
    headers = token_for(other_member if who == "other" else moderator)

    response = patch(client, url(listing), {"title": "Mine now"}, headers)

    assert_problem(response, 404, "not_found")
    assert Listing.objects.get(pk=listing.pk).title == listing.title


def test_changing_a_listing_that_does_not_exist_is_404(client, owner_auth):
    assert_problem(patch(client, f"{BASE}/999999", {"title": "x"}, owner_auth), 404, "not_found")


# --- Pause, resume, close, renew -----------------------------------------------------------


def test_the_owner_pauses_resumes_and_closes(client, owner_auth, listing):
    paused = post(client, url(listing, "pause"), headers=owner_auth)
    assert paused.status_code == 200
    assert paused.json()["status"] == "paused"
    assert listing.pk not in ids(client.get(BASE, headers=owner_auth))

    resumed = post(client, url(listing, "resume"), headers=owner_auth)
    assert resumed.json()["status"] == "open"
    assert listing.pk in ids(client.get(BASE, headers=owner_auth))

    closed = post(client, url(listing, "close"), headers=owner_auth)
    assert closed.json()["status"] == "closed"
    assert Listing.objects.get(pk=listing.pk).closed_at is not None


def test_pausing_twice_changes_nothing(client, owner_auth, listing):
    post(client, url(listing, "pause"), headers=owner_auth)

    response = post(client, url(listing, "pause"), headers=owner_auth)

    assert response.status_code == 200
    assert response.json()["status"] == "paused"


def test_the_owner_renews_an_expired_listing(client, owner_auth, listing):
    past = timezone.now() - timedelta(days=1)
    Listing.objects.filter(pk=listing.pk).update(status=Listing.Status.EXPIRED, expires_at=past)

    response = post(client, url(listing, "renew"), headers=owner_auth)

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "open"
    listing.refresh_from_db()
    assert listing.expires_at > timezone.now() + timedelta(days=30)


@pytest.mark.parametrize("action", ["pause", "resume", "renew"])
def test_a_closed_listing_stays_closed(client, owner_auth, member, listing, action):
    listing_close(listing=listing, member=member)

    response = post(client, url(listing, action), headers=owner_auth)

    assert_problem(response, 409, response.json()["code"])
    assert Listing.objects.get(pk=listing.pk).status == Listing.Status.CLOSED


def test_resuming_an_open_listing_changes_nothing(client, owner_auth, listing):
    response = post(client, url(listing, "resume"), headers=owner_auth)

    assert response.status_code == 200
    assert response.json()["status"] == "open"
    assert (
        response.json()["expires_at"]
        == client.get(url(listing), headers=owner_auth).json()["expires_at"]
    )


def test_pausing_an_expired_listing_is_a_conflict(client, owner_auth, listing):
    Listing.objects.filter(pk=listing.pk).update(status=Listing.Status.EXPIRED)

    response = post(client, url(listing, "pause"), headers=owner_auth)

    assert_problem(response, 409, "invalid_transition")


@pytest.mark.parametrize("action", ["pause", "resume", "close", "renew"])
@pytest.mark.parametrize("who", ["other", "moderator"])
def test_nobody_else_can_act_on_a_listing(
    client, token_for, other_member, moderator, member, listing, action, who
):
    if action == "resume":
        listing_pause(listing=listing, member=member)
    status = Listing.objects.get(pk=listing.pk).status
    headers = token_for(other_member if who == "other" else moderator)

    response = post(client, url(listing, action), headers=headers)

    assert_problem(response, 404, "not_found")
    assert Listing.objects.get(pk=listing.pk).status == status


@pytest.mark.parametrize("action", ["pause", "resume", "close", "renew"])
def test_acting_on_a_listing_that_does_not_exist_is_404(client, owner_auth, action):
    assert_problem(post(client, f"{BASE}/999999/{action}", headers=owner_auth), 404, "not_found")


# --- My listings -----------------------------------------------------------------------------


def test_my_listings_in_every_status(client, owner_auth, member, make_listing, others_listing):
    open_ = make_listing(member, title="Open one")
    paused = make_listing(member, title="Paused one")
    listing_pause(listing=paused, member=member)
    closed = make_listing(member, title="Closed one")
    listing_close(listing=closed, member=member)
    expired = make_listing(member, title="Expired one")
    Listing.objects.filter(pk=expired.pk).update(status=Listing.Status.EXPIRED)

    response = client.get(f"{BASE}/mine", headers=owner_auth)

    assert response.json()["count"] == 4
    assert ids(response) == [expired.pk, closed.pk, paused.pk, open_.pk]  # newest first
    only_paused = client.get(f"{BASE}/mine", {"status": "paused"}, headers=owner_auth)
    assert ids(only_paused) == [paused.pk]


def test_my_listings_hold_nobody_elses(client, other_auth, listing):
    assert ids(client.get(f"{BASE}/mine", headers=other_auth)) == []


@pytest.mark.parametrize("status", ["gone", "OPEN", "", "x" * 500])
def test_my_listings_refuse_an_unknown_status(client, owner_auth, status):
    response = client.get(f"{BASE}/mine", {"status": status}, headers=owner_auth)

    assert_problem(response, 422, "invalid_fields")
    assert response.json()["errors"][0]["field"] == "status"


# --- Browse and search ----------------------------------------------------------------------


def test_only_what_the_browse_page_shows_is_listed(
    client, owner_auth, member, other_member, make_listing
):
    shown = make_listing(other_member, title="Open")
    mine = make_listing(member, title="Mine and open")
    paused = make_listing(other_member, title="Paused")
    listing_pause(listing=paused, member=other_member)
    closed = make_listing(other_member, title="Closed")
    listing_close(listing=closed, member=other_member)
    past_date = make_listing(other_member, title="Past its date")
    Listing.objects.filter(pk=past_date.pk).update(expires_at=timezone.now() - timedelta(hours=1))

    response = client.get(BASE, headers=owner_auth)

    assert ids(response) == [mine.pk, shown.pk]
    assert response.json()["count"] == 2


@pytest.fixture
def varied_listings(make_listing, make_member):
    """Listings that differ in every way the browse page filters on."""
    university = make_member(
        organisation=OrganisationFactory(kind=Organisation.Kind.UNIVERSITY), display_name="Uma Uni"
    )
    trust = make_member(organisation=OrganisationFactory(name="Leeds Teaching Hospitals"))
    made = [
        make_listing(trust, title="Survival analysis in R", estimated_minutes=120),
        make_listing(
            university,
            title="Help with a run chart",
            kind=Listing.Kind.REQUEST,
            skills=("run-charts",),
            area="staff-wellbeing",
            format=Format.IN_PERSON,
            estimated_minutes=30,
        ),
        make_listing(
            trust,
            title="Analysis of survey data",
            description="Survival of the fittest survey questions.",
            format=Format.EITHER,
            languages=["Welsh"],
            estimated_minutes=45,
        ),
        make_listing(university, title="Coaching for new leaders", skills=(), area="leadership"),
        make_listing(
            trust,
            title="Café conversations about statistics",
            languages=["Français"],
            estimated_minutes=15,
        ),
    ]
    return made


SEARCHES = [
    {},
    {"q": "survival"},
    {"q": "surv anal"},
    {"q": "analysis", "sort": "shortest"},
    {"q": "cafe"},
    {"q": "leeds"},
    {"kind": "request"},
    {"kind": "offer", "sort": "oldest"},
    {"format": "remote"},
    {"format": "in_person"},
    {"language": "welsh"},
    {"language": "FRANÇAIS"},
    {"organisation_kind": "university"},
    {"area": "staff-wellbeing"},
    {"skill": "run-charts"},
    {"category": "data-and-statistics"},
    {"sort": "shortest"},
    {"sort": "relevance"},
    {"q": "run chart", "kind": "request", "format": "in_person"},
    {"q": "nothing matches this"},
]


@pytest.mark.parametrize("params", SEARCHES, ids=[str(p) for p in SEARCHES])
def test_search_and_filters_match_the_browse_page(client, owner_auth, varied_listings, params):
    expected = [listing.pk for listing in listing_browse_list(**params)]

    response = client.get(BASE, params, headers=owner_auth)

    assert ids(response) == expected
    assert response.json()["count"] == len(expected)


def test_the_searches_above_find_something(varied_listings):
    # So the comparison above is not only between empty lists.
    assert sum(bool(listing_browse_list(**params)) for params in SEARCHES) >= len(SEARCHES) - 1


@pytest.mark.parametrize(
    "params",
    [
        {"kind": "gift"},
        {"kind": ""},
        {"format": "either"},
        {"format": "teleport"},
        {"sort": "price"},
        {"organisation_kind": "bank"},
        {"category": "no-such-category"},
        {"skill": "no-such-skill"},
        {"area": "no-such-area"},
        {"language": "x" * 51},
        {"language": "Wel\x00sh"},
        {"q": "x" * 1001},
        {"page": "0"},
        {"page": "-1"},
        {"page": "two"},
        {"page": str(10**20)},  # an offset past any database integer
        {"page_size": "0"},
        {"page_size": "many"},
    ],
    ids=repr,
)
def test_bad_filters_are_422(client, owner_auth, listing, params):
    response = client.get(BASE, params, headers=owner_auth)

    body = assert_problem(response, 422, "invalid_fields")
    assert body["errors"][0]["field"] in params


@pytest.mark.parametrize(
    "q",
    [
        *HOSTILE,
        '"survival',
        "survival*",
        "survival OR analysis",
        "NEAR(survival analysis)",
        "名前 ñandú 🙂 Ωmega",
        "survival " * 100,
        "s" * 500,
        "%" * 500,
        "' OR 1=1 --",
    ],
    ids=repr,
)
def test_hostile_searches_never_break(client, owner_auth, listing, q):
    response = client.get(BASE, {"q": q}, headers=owner_auth)

    assert response.status_code in (200, 422), response.content
    if response.status_code == 200:
        assert response.json()["count"] in (0, 1)
    assert Listing.objects.count() == 1


# --- Pages --------------------------------------------------------------------------------


def _many(owner, n: int) -> list[int]:
    """n open listings, made in bulk (no search rows: not needed to browse)."""
    area = ImprovementArea.objects.get(slug="patient-safety")
    now = timezone.now()
    made = Listing.objects.bulk_create(
        Listing(
            owner=owner,
            kind=Listing.Kind.OFFER,
            title=f"Listing {i}",
            description="Help.",
            improvement_area=area,
            benefit="Better care.",
            estimated_minutes=60,
            format=Format.REMOTE,
            created_at=now - timedelta(minutes=i),
            updated_at=now,
            expires_at=now + timedelta(days=90),
        )
        for i in range(n)
    )
    return [listing.pk for listing in made]


def test_pages(client, owner_auth, other_member):
    made = _many(other_member, 25)  # newest first: the order they were made

    first = client.get(BASE, headers=owner_auth).json()
    second = client.get(BASE, {"page": 2}, headers=owner_auth).json()
    small = client.get(BASE, {"page": 3, "page_size": 5}, headers=owner_auth).json()
    beyond = client.get(BASE, {"page": 9}, headers=owner_auth)
    past_numbers = client.get(BASE, {"page": 51}, headers=owner_auth)

    assert first["count"] == second["count"] == 25
    assert [item["id"] for item in first["items"]] == made[:20]
    assert [item["id"] for item in second["items"]] == made[20:]
    assert [item["id"] for item in small["items"]] == made[10:15]
    assert beyond.status_code == 200
    assert beyond.json() == {
        "items": [],
        "count": 25,
        "count_is_capped": False,
        "next": None,
        "previous": None,
    }
    # Page numbers reach the first 1,000 results (50 pages of 20); cursors go further.
    assert past_numbers.status_code == 422
    assert past_numbers.json()["code"] == "page_out_of_range"
    assert "next" in past_numbers.json()["detail"]


def test_cursors_read_on_and_back_without_repeating_or_skipping(client, owner_auth, other_member):
    made = _many(other_member, 25)

    first = client.get(BASE, {"page_size": 10}, headers=owner_auth).json()
    second = client.get(BASE, {"cursor": first["next"], "page_size": 10}, headers=owner_auth).json()
    newer = _many(other_member, 3)  # new listings do not shift the pages already being read
    listings_changed()  # as the services do; _many writes rows directly
    third = client.get(BASE, {"cursor": second["next"], "page_size": 10}, headers=owner_auth).json()
    back = client.get(BASE, {"cursor": third["previous"], "page_size": 10}, headers=owner_auth)

    assert [item["id"] for item in first["items"]] == made[:10]
    assert [item["id"] for item in second["items"]] == made[10:20]
    assert [item["id"] for item in third["items"]] == made[20:]
    assert third["next"] is None
    assert [item["id"] for item in back.json()["items"]] == made[10:20]
    assert first["count"] == 25 and third["count"] == 25 + len(newer)


def test_a_cursor_not_given_out_is_a_clear_422(client, owner_auth, other_member):
    _many(other_member, 3)

    for cursor in ["nonsense", "eyJ2IjpbMV19", "e30", "%%%"]:
        response = client.get(BASE, {"cursor": cursor}, headers=owner_auth)

        assert response.status_code == 422, cursor
        assert response.json()["code"] == "invalid_cursor"


def test_a_page_holds_at_most_100(client, owner_auth, other_member):
    _many(other_member, 105)

    response = client.get(BASE, {"page_size": 1000}, headers=owner_auth)

    assert response.json()["count"] == 105
    assert len(response.json()["items"]) == 100


def test_my_listings_are_paged_too(client, owner_auth, member):
    made = _many(member, 3)

    response = client.get(f"{BASE}/mine", {"page": 2, "page_size": 2}, headers=owner_auth)

    assert response.json()["count"] == 3
    assert response.json()["previous"] and response.json()["next"] is None
    assert ids(response) == made[2:]


# --- Queries ------------------------------------------------------------------------------


def _queries(client, path, params, headers) -> int:
    client.get(path, params, headers=headers)  # the token's first use notes the time
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, params, headers=headers)
    assert response.status_code == 200, response.content
    return len(captured)


@pytest.mark.parametrize(
    ("path", "params"),
    [
        (BASE, {}),
        (BASE, {"q": "survival", "kind": "offer", "area": "patient-safety"}),
        (BASE, {"organisation_kind": "nhs_trust", "language": "English", "sort": "shortest"}),
        (f"{BASE}/mine", {}),
    ],
)
def test_queries_do_not_grow_with_listings(
    client, member, token_for, make_member, make_listing, path, params
):
    headers = token_for(member)

    def add(n):
        for i in range(n):
            owner = (
                member
                if path.endswith("mine")
                else make_member(organisation=OrganisationFactory(), profession=f"Job {i}")
            )
            make_listing(
                owner,
                skills=("survival-analysis", "r-programming"),
                languages=["English"],
            )

    add(3)
    few = _queries(client, path, params, headers)
    add(27)
    many = _queries(client, path, params, headers)

    assert Listing.objects.count() == 30
    assert client.get(path, params, headers=headers).json()["count"] == 30
    assert many == few


def test_one_listing_takes_a_fixed_number_of_queries(client, owner_auth, member, make_listing):
    few = make_listing(member, skills=("survival-analysis",))
    several = make_listing(member, skills=("survival-analysis", "r-programming", "run-charts"))

    assert _queries(client, url(few), {}, owner_auth) == _queries(
        client, url(several), {}, owner_auth
    )


# --- The schema -----------------------------------------------------------------------------


def test_the_schema_links_a_new_listing_to_what_can_be_done_with_it(client):
    schema = client.get("/api/v1/openapi.json").json()
    operations = {
        operation["operationId"]: (path, method)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
    }
    create = schema["paths"][BASE]["post"]
    created = create["responses"]["201"]

    assert list(OPENAPI_31_VALIDATOR.iter_errors(schema)) == []

    assert create["operationId"] == "listing_create"
    assert created["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ListingOut"
    }
    links = created["links"]
    targets = {link["operationId"] for link in links.values()}
    assert {"listing_get", "listing_update", "listing_pause", "listing_close"} <= targets
    for link in links.values():
        assert link["operationId"] in operations
        assert link["parameters"] == {"listing_id": "$response.body#/id"}
        path, _method = operations[link["operationId"]]
        assert "{listing_id}" in path
    assert set(create["responses"]) == {
        "201",
        "400",
        "401",
        "403",
        "404",
        "409",
        "413",
        "422",
        "429",
    }
    for name in ("listing_list", "listing_mine", "listing_get", "listing_update", "listing_renew"):
        assert name in operations
        path, method = operations[name]
        assert schema["paths"][path][method]["summary"]
        assert schema["paths"][path][method]["tags"] == ["Listings"]


def test_the_schema_enums_are_the_models_choices(client):
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]["ListingOut"]

    assert schema["properties"]["kind"]["enum"] == Listing.Kind.values
    assert schema["properties"]["status"]["enum"] == Listing.Status.values
    assert schema["properties"]["format"]["enum"] == Format.values

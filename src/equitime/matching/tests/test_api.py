"""The API: helpers (poster and coordinator only), asking, answering, the opt-out."""

import pytest
from django.urls import reverse

from equitime.matching.models import MAX_OPEN_INVITATIONS, HelpInvitation
from equitime.matching.services import help_invitation_ask, is_suggestable
from equitime.matching.tests.factories import a_request, colleague
from equitime.matching.tests.test_services import coordinator

pytestmark = pytest.mark.django_db


@pytest.fixture
def poster():
    return colleague("Pat Poster", profession="Nurse")


@pytest.fixture
def request_(poster):
    return a_request(poster)


@pytest.fixture
def helper():
    return colleague("Sam Stats", skills=["medical-statistics"], profession="Statistician")


def as_(client, member):
    client.force_login(member)
    return client


def helpers_url(listing):
    return reverse("api:listing_helpers", kwargs={"listing_id": listing.pk})


def test_the_poster_gets_the_helpers_with_reasons(client, poster, request_, helper):
    body = as_(client, poster).get(helpers_url(request_)).json()
    assert body["items"][0]["member"] == {"id": helper.pk, "display_name": "Sam Stats"}
    assert "Offers Medical statistics" in body["items"][0]["reasons"]


def test_a_coordinator_gets_them_others_404_nobody_401(client, request_, helper):
    assert as_(client, coordinator()).get(helpers_url(request_)).status_code == 200
    client.logout()
    assert client.get(helpers_url(request_)).status_code == 401
    response = as_(client, colleague("Olly Other")).get(helpers_url(request_))
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_ask_accept_through_the_api(client, poster, request_, helper):
    url = reverse("api:help_invitation_create", kwargs={"listing_id": request_.pk})
    response = as_(client, poster).post(
        url, {"helper_id": helper.pk, "note": "Please?"}, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    invitation_id = response.json()["id"]
    assert response.json()["allowed_actions"] == ["withdraw"]
    again = client.post(url, {"helper_id": helper.pk}, content_type="application/json")
    assert again.status_code == 409 and again.json()["code"] == "already_asked"
    as_(client, helper)
    got = client.get(reverse("api:help_invitation_get", kwargs={"invitation_id": invitation_id}))
    assert got.json()["allowed_actions"] == ["accept", "decline"]
    accepted = client.post(
        reverse("api:help_invitation_accept", kwargs={"invitation_id": invitation_id}),
        {"message": "Tuesday?"},
        content_type="application/json",
    )
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["status"] == "accepted" and accepted.json()["exchange_id"]


def test_the_cap_is_a_conflict(client, poster, request_):
    for n in range(MAX_OPEN_INVITATIONS):
        help_invitation_ask(listing=request_, helper=colleague(f"H{n}"), member=poster)
    url = reverse("api:help_invitation_create", kwargs={"listing_id": request_.pk})
    response = as_(client, poster).post(
        url, {"helper_id": colleague("One more").pk}, content_type="application/json"
    )
    assert response.status_code == 409
    assert response.json()["code"] == "too_many_invitations"


def test_decline_and_others_404(client, poster, request_, helper):
    invitation = help_invitation_ask(listing=request_, helper=helper, member=poster)
    url = reverse("api:help_invitation_decline", kwargs={"invitation_id": invitation.pk})
    other = as_(client, colleague("Olly Other")).post(url, {}, content_type="application/json")
    assert other.status_code == 404
    mine = as_(client, poster).post(url, {}, content_type="application/json")
    assert mine.status_code == 403
    response = as_(client, helper).post(
        url, {"reason": "On leave."}, content_type="application/json"
    )
    assert response.json()["status"] == "declined"
    assert HelpInvitation.objects.get().decline_reason == "On leave."


def test_my_suggestions(client, helper):
    url = reverse("api:suggestion_settings_get")
    assert as_(client, helper).get(url).json() == {"suggestable": True}
    response = client.put(
        reverse("api:suggestion_settings_update"),
        {"suggestable": False},
        content_type="application/json",
    )
    assert response.json() == {"suggestable": False}
    assert not is_suggestable(helper)


def test_requests_for_me(client, request_, helper):
    body = as_(client, helper).get(reverse("api:requests_for_me")).json()
    assert [item["listing_id"] for item in body] == [request_.pk]

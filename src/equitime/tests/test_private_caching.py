"""A signed-in member's pages, their data export and authenticated API answers
say Cache-Control: no-store; signed-out pages keep their caching (issue 10,
point 13)."""

import pytest
from django.urls import reverse

from equitime.api.services import api_token_create

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"

MEMBER_PAGES = [
    "/dashboard/",
    "/exchanges/",
    "/exchanges/new/",
    "/notifications/",
    "/profile/edit/",
    "/account/security/",
    "/account/privacy/",
    "/account/api-tokens/",
    "/give/",
    "/accounts/password/change/",
    "/accounts/email/",
]


def no_store(response) -> bool:
    directives = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    return {"no-store", "private"} <= directives


@pytest.mark.parametrize("path", MEMBER_PAGES)
def test_a_signed_in_members_pages_are_not_stored(client, member, path):
    client.force_login(member)

    response = client.get(path)

    assert response.status_code == 200, (path, response.status_code)
    assert no_store(response), response.get("Cache-Control")


def test_their_profile_page_is_not_stored(client, member):
    client.force_login(member)

    assert no_store(client.get(reverse("profile_detail", args=[member.pk])))


def test_the_data_export_is_not_stored(client, member):
    client.post(reverse("account_login"), {"login": member.email, "password": PASSWORD})
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})

    response = client.get(reverse("account_data_download"))

    assert response["Content-Type"] == "application/zip"
    assert no_store(response)


@pytest.mark.parametrize("path", ["/api/v1/me", "/api/v1/transfers", "/api/v1/exchanges"])
def test_api_answers_to_a_token_are_not_stored(client, member, path):
    _, secret = api_token_create(member=member, name="t")

    response = client.get(path, headers={"Authorization": f"Bearer {secret}"})

    assert response.status_code == 200
    assert no_store(response)


def test_api_answers_to_a_session_are_not_stored(client, member):
    client.force_login(member)

    assert no_store(client.get("/api/v1/me"))


def test_an_api_refusal_to_a_token_is_not_stored_either(client, member):
    _, secret = api_token_create(member=member, name="t")

    response = client.get("/api/v1/exchanges/999999", headers={"Authorization": f"Bearer {secret}"})

    assert response.status_code == 404
    assert no_store(response)


@pytest.mark.parametrize("path", ["/", "/privacy/", "/api/v1/openapi.json"])
def test_signed_out_pages_keep_their_caching(client, db, path):
    response = client.get(path)

    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")

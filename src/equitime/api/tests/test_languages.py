"""The API speaks its caller's language: a token's member's choice, else what
Accept-Language asks for; problems are written in it, and Content-Language
says which. /me shows and takes the member's language."""

import pytest
from django.utils import translation

from equitime.api.services import api_token_create
from equitime.members.models import Member, Profile

pytestmark = pytest.mark.django_db

ME = "/api/v1/me"
NOWHERE = "/api/v1/exchanges/999999"


def speaking(member: Member, language: str) -> Member:
    Profile.objects.filter(member=member).update(language=language)
    return Member.objects.select_related("profile").get(pk=member.pk)


def bearer(member: Member) -> dict[str, str]:
    _token, secret = api_token_create(member=member, name="tests")
    return {"Authorization": f"Bearer {secret}"}


def said_in(language: str, text: str) -> str:
    with translation.override(language):
        return translation.gettext(text)


def titled_in(language: str, status: str) -> str:
    """An HTTP status's title, as the catalogue says it (context "HTTP status")."""
    with translation.override(language):
        return translation.pgettext("HTTP status", status)


def test_a_welsh_members_problem_is_in_welsh(client, member):
    speaking(member, "cy")
    # Their browser asks for English: the choice in their profile wins.
    response = client.get(NOWHERE, headers=bearer(member) | {"Accept-Language": "en-GB"})

    assert response.status_code == 404
    problem = response.json()
    assert problem["detail"] == said_in("cy", "There is nothing here you can see.")
    assert problem["title"] == titled_in("cy", "Not Found")
    assert response["Content-Language"] == "cy"


def test_a_member_who_has_not_chosen_reads_their_browsers_language(client, member):
    response = client.get(ME, headers=bearer(member) | {"Accept-Language": "cy"})

    assert response.status_code == 200
    assert response.json()["language"] == ""
    assert response["Content-Language"] == "cy"


def test_an_anonymous_caller_reads_the_language_accept_language_asks_for(client):
    response = client.get(ME, headers={"Accept-Language": "ar"})

    assert response.status_code == 401
    problem = response.json()
    assert problem["detail"] == said_in(
        "ar", "Sign in, or send a personal access token: Authorization: Bearer <token>."
    )
    assert problem["title"] == titled_in("ar", "Unauthorized")
    assert response["Content-Language"] == "ar"


def test_a_problem_made_outside_the_api_is_in_the_callers_language_too(client):
    # Django's 404 for a path the API does not have, turned into a problem.
    response = client.get("/api/v1/no-such-thing", headers={"Accept-Language": "cy"})

    assert response.status_code == 404
    assert response.json()["detail"] == said_in("cy", "There is nothing here you can see.")
    assert response["Content-Language"] == "cy"


def test_me_shows_and_changes_my_language(client, member):
    headers = bearer(member)
    assert client.get(ME, headers=headers).json()["language"] == ""

    response = client.patch(
        ME, {"language": "ar"}, content_type="application/json", headers=headers
    )

    assert response.status_code == 200, response.content
    assert response.json()["language"] == "ar"
    assert response["Content-Language"] == "ar"  # the answer, in the language just chosen
    assert Profile.objects.get(member=member).language == "ar"
    # And "" goes back to the browser's.
    response = client.patch(ME, {"language": ""}, content_type="application/json", headers=headers)
    assert response.json()["language"] == ""
    assert Profile.objects.get(member=member).language == ""


def test_a_language_equitime_does_not_speak_is_refused_with_a_clear_reason(client, member):
    response = client.patch(
        ME, {"language": "fr"}, content_type="application/json", headers=bearer(member)
    )

    assert response.status_code == 422
    problem = response.json()
    assert problem["code"] == "invalid_fields"
    [error] = problem["errors"]
    assert error["field"] == "language"
    assert "“fr”" in error["message"] and "en-gb, cy, ar" in error["message"]
    assert Profile.objects.get(member=member).language == ""


def test_a_read_only_tokens_refusal_is_in_its_members_language(client, member):
    speaking(member, "cy")
    _token, secret = api_token_create(member=member, name="reader", read_only=True)

    response = client.patch(
        ME, {"bio": "Hi"}, content_type="application/json",
        headers={"Authorization": f"Bearer {secret}"},
    )  # fmt: skip

    assert response.status_code == 403
    assert response.json()["detail"] == said_in(
        "cy", "This token can only read. Make a token that can write."
    )
    assert response["Content-Language"] == "cy"

"""Who may call the API: a personal access token, or a signed-in browser
session with Django's CSRF check on writes."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from equitime.api.models import ApiToken
from equitime.api.services import api_token_create
from equitime.members import roles
from equitime.members.services import member_role_grant
from equitime.moderation.services import member_suspend

pytestmark = pytest.mark.django_db

ME = "/api/v1/me"
PROBLEM = "application/problem+json"


def bearer(secret: str) -> dict:
    return {"Authorization": f"Bearer {secret}"}


def assert_unauthenticated(response):
    assert response.status_code == 401
    assert response["Content-Type"] == PROBLEM
    assert response["WWW-Authenticate"].startswith("Bearer")
    body = response.json()
    assert body["status"] == 401
    assert body["code"] == "unauthenticated"
    assert body["instance"] == response.wsgi_request.path


def test_a_token_authenticates_as_its_member(client, member):
    _, secret = api_token_create(member=member, name="t")

    response = client.get(ME, headers=bearer(secret))

    assert response.status_code == 200
    assert response.json()["id"] == member.pk
    assert response.json()["email"] == member.email


def test_no_credentials_is_401(client, member):
    assert_unauthenticated(client.get(ME))


@pytest.mark.parametrize(
    "header",
    [
        "Bearer eqt_not-a-real-token",
        "Bearer ",
        "Bearer " + "eqt_" + "x" * 5000,
        "Basic dXNlcjpwYXNz",
        "bearer",
        "Token eqt_abc",
    ],
)
def test_an_unknown_or_malformed_token_is_401(client, member, header):
    assert_unauthenticated(client.get(ME, headers={"Authorization": header}))


def test_an_expired_token_is_401(client, member):
    token, secret = api_token_create(
        member=member, name="t", expires_at=timezone.now() + timedelta(days=1)
    )
    ApiToken.objects.filter(pk=token.pk).update(
        created_at=timezone.now() - timedelta(days=40),
        expires_at=timezone.now() - timedelta(seconds=1),
    )

    assert_unauthenticated(client.get(ME, headers=bearer(secret)))


def test_a_revoked_token_is_401(client, member):
    token, secret = api_token_create(member=member, name="t")
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())

    assert_unauthenticated(client.get(ME, headers=bearer(secret)))


def test_a_suspended_members_token_is_401(client, member, make_member):
    moderator = member_role_grant(member=make_member(), role=roles.MODERATOR, by=None)
    _, secret = api_token_create(member=member, name="t")
    assert client.get(ME, headers=bearer(secret)).status_code == 200

    member_suspend(member=member, by=moderator, reason="Asked for payment in messages.")

    assert_unauthenticated(client.get(ME, headers=bearer(secret)))


def test_a_read_only_token_reads_but_may_not_write(client, member):
    _, secret = api_token_create(member=member, name="reader", read_only=True)

    assert client.get(ME, headers=bearer(secret)).status_code == 200
    response = client.patch(
        ME,
        {"bio": "Quality improvement lead."},
        content_type="application/json",
        headers=bearer(secret),
    )

    assert response.status_code == 403
    assert response["Content-Type"] == PROBLEM
    assert response.json()["code"] == "read_only"
    member.profile.refresh_from_db()
    assert member.profile.bio != "Quality improvement lead."


def test_a_read_write_token_writes(client, member):
    _, secret = api_token_create(member=member, name="writer")

    response = client.patch(
        ME,
        {"bio": "Quality improvement lead."},
        content_type="application/json",
        headers=bearer(secret),
    )

    assert response.status_code == 200, response.content
    assert response.json()["bio"] == "Quality improvement lead."


def test_a_session_reads(member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)

    response = client.get(ME)

    assert response.status_code == 200
    assert response.json()["id"] == member.pk


def test_a_session_write_without_the_csrf_token_is_refused(member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)

    response = client.patch(ME, {"bio": "Changed."}, content_type="application/json")

    assert response.status_code == 403
    assert response["Content-Type"] == PROBLEM
    assert response.json()["code"] == "csrf_failed"
    member.profile.refresh_from_db()
    assert member.profile.bio != "Changed."


def test_a_session_write_with_the_csrf_token_works(member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    client.get("/account/api-tokens/")  # a page with a form sets the CSRF cookie
    csrf = client.cookies["csrftoken"].value

    response = client.patch(
        ME, {"bio": "Changed."}, content_type="application/json", headers={"X-CSRFToken": csrf}
    )

    assert response.status_code == 200, response.content
    assert response.json()["bio"] == "Changed."


def test_a_token_write_needs_no_csrf_token(member):
    client = Client(enforce_csrf_checks=True)
    _, secret = api_token_create(member=member, name="t")

    response = client.patch(
        ME, {"bio": "From a script."}, content_type="application/json", headers=bearer(secret)
    )

    assert response.status_code == 200, response.content


def test_last_used_is_noted_at_most_once_a_minute(client, member):
    token, secret = api_token_create(member=member, name="t")
    assert token.last_used_at is None

    client.get(ME, headers=bearer(secret))
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None

    client.get(ME, headers=bearer(secret))
    token.refresh_from_db()
    assert token.last_used_at == first

    thirty_seconds_ago = timezone.now() - timedelta(seconds=30)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=thirty_seconds_ago)
    client.get(ME, headers=bearer(secret))
    token.refresh_from_db()
    assert token.last_used_at == thirty_seconds_ago

    two_minutes_ago = timezone.now() - timedelta(minutes=2)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=two_minutes_ago)
    client.get(ME, headers=bearer(secret))
    token.refresh_from_db()
    assert token.last_used_at > two_minutes_ago + timedelta(minutes=1)


def test_a_request_that_reuses_a_fresh_token_writes_nothing(client, member):
    """Reading with a token used a moment ago costs no write."""
    _, secret = api_token_create(member=member, name="t")
    client.get(ME, headers=bearer(secret))

    with CaptureQueriesContext(connection) as queries:
        client.get(ME, headers=bearer(secret))

    writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith("UPDATE")]
    assert writes == []

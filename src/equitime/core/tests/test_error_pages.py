"""Requests Django refuses before it knows who is asking get a plain answer,
never a 500 (issue 10, point 12)."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def production(settings):
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["equitime.example.org"]


@pytest.mark.parametrize("path", ["/", "/dashboard/", "/accounts/login/", "/api/v1/me"])
def test_a_foreign_host_is_a_plain_400(client, production, path):
    response = client.get(path, HTTP_HOST="attacker.example")

    assert response.status_code == 400, response.content[:300]


def test_a_foreign_host_with_a_session_is_a_plain_400(client, production, member):
    client.force_login(member)

    response = client.get("/dashboard/", HTTP_HOST="attacker.example")

    assert response.status_code == 400


def test_the_400_page_needs_no_member_and_no_layout(client, production):
    response = client.get("/", HTTP_HOST="attacker.example")

    page = response.content.decode()
    assert "We could not read that request" in page
    assert "Sign in" not in page  # no menu: it cannot know who is asking


def test_a_page_form_too_large_is_still_the_400_page(client, member, settings):
    settings.DEBUG = False
    client.force_login(member)

    response = client.post("/profile/edit/", {"bio": "x" * (3 * 1024 * 1024)})

    assert response.status_code == 400
    assert "We could not read that request" in response.content.decode()

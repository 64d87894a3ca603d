"""allauth's e-mails: links on the site's address (issue 12 §1)."""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

pytestmark = pytest.mark.django_db

PUBLIC = "https://equitime.example.org"
NEW_PASSWORD = "quiet lantern harbour 42"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def signup_data(**overrides):
    data = {
        "email": "new.colleague@example.nhs.uk",
        "display_name": "Priya Shah",
        "organisation": "",
        "profession": "Data analyst",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    }
    return data | overrides


def links(message) -> list[str]:
    return re.findall(r"https?://[^\s\"<>]+", message.body)


def test_development_links_go_back_to_the_port_the_page_was_served_on(client, settings):
    settings.EQUITIME_SITE_URL = "http://127.0.0.1:8000"
    client.post(reverse("account_signup"), signup_data(), HTTP_HOST="127.0.0.1:8101")

    [message] = mail.outbox
    assert links(message)
    assert all(link.startswith("http://127.0.0.1:8101/") for link in links(message))


@pytest.mark.parametrize("host", ["equitime.example.org", "internal-web-3:8000"])
def test_production_links_use_the_site_url_whatever_host_the_request_named(
    client, settings, member, host
):
    settings.PRODUCTION = True
    settings.EQUITIME_SITE_URL = PUBLIC
    settings.ALLOWED_HOSTS = ["equitime.example.org", "internal-web-3"]

    client.post(reverse("account_reset_password"), {"email": member.email}, HTTP_HOST=host)
    client.post(reverse("account_signup"), signup_data(), HTTP_HOST=host)

    assert len(mail.outbox) == 2
    for message in mail.outbox:
        assert links(message)
        assert all(link.startswith(f"{PUBLIC}/") for link in links(message)), message.body
    assert f"{PUBLIC}/accounts/password/reset/key/" in mail.outbox[0].body
    assert f"{PUBLIC}/accounts/confirm-email/" in mail.outbox[1].body

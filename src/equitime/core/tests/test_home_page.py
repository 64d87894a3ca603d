"""The front door."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

RULES = [
    "Every activity is for health and care improvement.",
    "No money changes hands.",
    "Everyone's time is valued equally: one hour is one credit.",
]


def test_home_is_the_site_root():
    assert reverse("home") == "/"


def test_anonymous_visitor_sees_the_three_rules(client):
    response = client.get(reverse("home"))

    assert response.status_code == 200
    content = response.content.decode()
    rules = re.search(r'<ol class="rules">(.*?)</ol>', content, flags=re.S)
    assert rules
    assert re.findall(r"<li>(.*?)</li>", rules.group(1)) == RULES
    # The rules as the hero section explains them.
    for heading in ("For improvement", "No money", "Equal time"):
        assert f"<h3>{heading}</h3>" in content


def test_anonymous_visitor_is_offered_join_and_sign_in(client):
    response = client.get(reverse("home"))

    content = response.content.decode()
    assert f'href="{reverse("account_signup")}"' in content
    assert f'href="{reverse("account_login")}"' in content
    assert "Join and receive 2 credits" in content
    assert "Sign out" not in content
    assert f'href="{reverse("dashboard")}"' not in content


def test_signed_in_member_is_sent_to_the_dashboard(client, member):
    client.force_login(member)

    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response.url == reverse("dashboard")


def test_signed_out_member_sees_the_home_page_again(client, member):
    client.force_login(member)
    client.post(reverse("account_logout"))

    response = client.get(reverse("home"))

    assert response.status_code == 200
    assert f'href="{reverse("account_signup")}"' in response.content.decode()

"""The API tokens page: as owner, as another member, as anonymous."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from equitime.api.models import ApiToken
from equitime.api.services import TOKEN_PREFIX, api_token_create, token_hash

pytestmark = pytest.mark.django_db

URL = "/account/api-tokens/"


def make(client, **fields):
    data = {"name": "Rota script", "expiry": "90"} | fields
    return client.post(URL, data)


def test_the_url_names_are_the_ones_templates_use():
    assert reverse("api_tokens") == URL
    assert reverse("api_token_revoke", kwargs={"pk": 7}) == "/account/api-tokens/7/revoke/"


def test_anonymous_is_sent_to_sign_in(client, member):
    token, _ = api_token_create(member=member, name="t")

    for response in (
        client.get(URL),
        client.post(URL, {"name": "x", "expiry": "30"}),
        client.post(f"/account/api-tokens/{token.pk}/revoke/"),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    assert ApiToken.objects.count() == 1
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_page_lists_my_tokens_and_not_others(client, member, other_member):
    api_token_create(member=member, name="Rota script", read_only=True)
    revoked, _ = api_token_create(member=member, name="Old laptop")
    revoked.revoked_at = timezone.now()
    revoked.save(update_fields=["revoked_at"])
    api_token_create(member=other_member, name="Ben's secret project")
    client.force_login(member)

    response = client.get(URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Rota script" in html
    assert "Read only" in html
    assert "Old laptop" in html
    assert "Revoked" in html
    assert "Ben&#x27;s secret project" not in html and "Ben's secret project" not in html
    assert "no-store" in response["Cache-Control"]
    # Accessible: a heading per section, a table with header cells, a link to the docs.
    assert "<h1>API tokens</h1>" in html
    assert '<th scope="col" role="columnheader">Starts with</th>' in html
    assert '<th scope="row" role="rowheader" data-label="Name">Rota script</th>' in html
    assert 'href="/api/v1/docs"' in html
    assert "Using the API" in html


def test_the_form_is_labelled_and_the_expiry_is_a_fieldset_defaulting_to_90_days(client, member):
    client.force_login(member)

    html = client.get(URL).content.decode()

    assert '<label for="id_name">Name' in html
    assert '<label for="id_read_only">' in html
    assert "<fieldset" in html and '<legend class="field__legend">Expires' in html
    for value in ("30", "90", "365", "never"):
        assert f'name="expiry" value="{value}"' in html
    checked = re.findall(r'<input type="radio" name="expiry" value="(\w+)"[^>]*\bchecked\b', html)
    assert checked == ["90"]


def test_making_a_token_shows_its_secret_once_and_stores_only_its_hash(client, member):
    client.force_login(member)

    response = make(client, name="  Rota   script ")

    assert response.status_code == 200
    token = ApiToken.objects.get(member=member)
    assert token.name == "Rota script"
    html = response.content.decode()
    secret = html.split('id="new-token-secret" value="')[1].split('"')[0]
    assert secret.startswith(TOKEN_PREFIX) and len(secret) > 40
    assert "Copy it now: it will not be shown again." in html
    assert "no-store" in response["Cache-Control"]
    assert token.token_hash == token_hash(secret)
    assert token.prefix == secret[: len(token.prefix)]
    # Nowhere else: not in any column, not in the session.
    stored = ApiToken.objects.filter(pk=token.pk).values().get()
    assert all(secret not in str(value) for value in stored.values())
    assert all(secret not in str(value) for value in client.session.values())
    # The next visit shows the token in the list but never its secret.
    again = client.get(URL).content.decode()
    assert secret not in again
    assert "Copy it now" not in again
    assert token.prefix in again
    # And the secret works.
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert me.status_code == 200


@pytest.mark.parametrize(
    ("expiry", "days"), [("30", 30), ("90", 90), ("365", 365), ("never", None)]
)
def test_each_expiry_choice(client, member, expiry, days):
    client.force_login(member)
    before = timezone.now()

    make(client, expiry=expiry)

    token = ApiToken.objects.get(member=member)
    if days is None:
        assert token.expires_at is None
    else:
        expected = before + timedelta(days=days)
        assert token.expires_at is not None
        assert expected <= token.expires_at <= expected + timedelta(minutes=1)


def test_an_unknown_expiry_or_missing_name_is_refused_with_errors(client, member):
    client.force_login(member)

    response = make(client, name="", expiry="10000")

    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert 'href="#id_name"' in html
    assert "Select a valid choice" in html
    assert not ApiToken.objects.exists()


def test_a_name_of_only_spaces_is_refused_by_the_service(client, member):
    client.force_login(member)

    response = make(client, name="   ")

    assert "There is a problem" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_the_read_only_box_makes_a_read_only_token(client, member):
    client.force_login(member)

    make(client, name="Reader", read_only="on")
    make(client, name="Writer")

    assert ApiToken.objects.get(name="Reader").read_only is True
    assert ApiToken.objects.get(name="Writer").read_only is False


def test_too_many_tokens_is_said_on_the_form(client, member, settings):
    from equitime.api import services

    client.force_login(member)
    for n in range(services.MAX_TOKENS):
        api_token_create(member=member, name=f"t{n}")

    response = make(client, name="One more")

    assert "revoke one you no longer use first" in response.content.decode()
    assert ApiToken.objects.filter(member=member).count() == services.MAX_TOKENS


def test_the_owner_revokes_a_token(client, member):
    token, secret = api_token_create(member=member, name="Rota script")
    client.force_login(member)

    response = client.post(f"/account/api-tokens/{token.pk}/revoke/", follow=True)

    assert response.redirect_chain == [(URL, 302)]
    assert "is revoked" in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is not None
    client.logout()
    api = client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert api.status_code == 401


def test_revoking_someone_elses_token_is_not_found(client, member, other_member):
    theirs, _ = api_token_create(member=other_member, name="Ben's script")
    client.force_login(member)

    response = client.post(f"/account/api-tokens/{theirs.pk}/revoke/")

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


def test_revoking_a_token_that_does_not_exist_is_not_found(client, member):
    client.force_login(member)

    assert client.post("/account/api-tokens/999999/revoke/").status_code == 404


def test_get_on_revoke_is_refused_and_changes_nothing(client, member):
    token, _ = api_token_create(member=member, name="Rota script")
    client.force_login(member)

    response = client.get(f"/account/api-tokens/{token.pk}/revoke/")

    assert response.status_code == 405
    assert response["Allow"] == "POST"
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_privacy_page_links_to_the_tokens_page(client, member):
    client.force_login(member)

    html = client.get("/account/privacy/").content.decode()

    assert f'href="{URL}"' in html

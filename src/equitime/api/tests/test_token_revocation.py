"""API tokens stop working when their member's password changes (if the member
leaves "Also revoke my API tokens" ticked) and when the member is suspended,
and stay revoked after reinstatement (issue 10, point 14)."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from equitime.api.models import ApiToken
from equitime.api.services import api_token_create
from equitime.members import roles
from equitime.members.services import member_reinstate, member_role_grant
from equitime.moderation.services import member_suspend

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
NEW_PASSWORD = "a completely different passphrase 42"


def token_works(secret: str) -> bool:
    response = Client().get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code in (200, 401), response.content
    return response.status_code == 200


def change_password(client, **extra):
    return client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD, **extra},
    )


def test_the_change_password_form_offers_revoking_tokens_ticked(client, member):
    client.force_login(member)

    page = client.get(reverse("account_change_password")).content.decode()

    assert "Also revoke my API tokens" in page
    found = re.search(r'<input[^>]*name="revoke_api_tokens"[^>]*>', page)
    assert found, "no revoke_api_tokens input"
    checkbox = found.group()
    assert 'type="checkbox"' in checkbox
    assert "checked" in checkbox


def test_changing_the_password_revokes_the_tokens_by_default(client, member, other_member):
    _, mine = api_token_create(member=member, name="rota script")
    _, theirs = api_token_create(member=other_member, name="theirs")
    assert token_works(mine)
    client.force_login(member)

    response = change_password(client, revoke_api_tokens="on")

    assert response.status_code == 302, response.content[:500]
    member.refresh_from_db()
    assert member.check_password(NEW_PASSWORD)
    assert not token_works(mine)
    assert ApiToken.objects.get(member=member).revoked_at is not None
    assert token_works(theirs)


def test_unticking_the_box_keeps_the_tokens(client, member):
    _, mine = api_token_create(member=member, name="rota script")
    client.force_login(member)

    response = change_password(client)  # an unticked box is not sent

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password(NEW_PASSWORD)
    assert token_works(mine)


def test_a_wrong_current_password_changes_nothing(client, member):
    _, mine = api_token_create(member=member, name="rota script")
    client.force_login(member)

    response = client.post(
        reverse("account_change_password"),
        {
            "oldpassword": "not it",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "revoke_api_tokens": "on",
        },
    )

    assert response.status_code == 200
    assert token_works(mine)


@pytest.fixture
def moderator(make_member):
    return member_role_grant(member=make_member(), role=roles.MODERATOR, by=None)


def test_suspension_revokes_the_tokens_and_reinstatement_does_not_revive_them(member, moderator):
    _, mine = api_token_create(member=member, name="rota script")
    _, read_only = api_token_create(member=member, name="reader", read_only=True)
    assert token_works(mine)

    member_suspend(member=member, by=moderator, reason="Asked for money in messages.")
    assert not token_works(mine)
    assert not ApiToken.objects.filter(member=member, revoked_at__isnull=True).exists()

    member_reinstate(member=member, by=moderator)
    assert not token_works(mine)
    assert not token_works(read_only)
    # New tokens work as usual.
    _, fresh = api_token_create(member=type(member).objects.get(pk=member.pk), name="new")
    assert token_works(fresh)


def test_suspension_through_the_api_revokes_the_tokens_too(member, moderator):
    _, mine = api_token_create(member=member, name="rota script")
    _, moderators = api_token_create(member=moderator, name="moderation")

    response = Client().post(
        f"/api/v1/members/{member.pk}/suspend",
        {"reason": "Asked for money."},
        content_type="application/json",
        headers={"Authorization": f"Bearer {moderators}"},
    )

    assert response.status_code == 200, response.content
    member.refresh_from_db()
    member_reinstate(member=member, by=moderator)
    assert not token_works(mine)

"""API: invitations, as anonymous, a plain member, a moderator, a community
administrator and a read-only token."""

import json

import pytest
from django.core import mail

from equitime.api.services import api_token_create
from equitime.audit.models import AuditEntry
from equitime.members import roles
from equitime.members.models import Invitation
from equitime.members.services import member_role_grant

BASE = "/api/v1/invitations"


def headers(member, *, read_only=False) -> dict:
    _, secret = api_token_create(member=member, name="t", read_only=read_only)
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def admin(make_member):
    return member_role_grant(member=make_member(), role=roles.COMMUNITY_ADMIN, by=None)


def invite(client, who_headers, email="carer@care-charity.org.uk", **extra):
    return client.post(
        BASE,
        json.dumps({"email": email}),
        content_type="application/json",
        headers={**who_headers, **extra},
    )


def test_a_community_administrator_invites_and_the_email_goes_out(
    client, admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client, headers(admin))

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["email"] == "carer@care-charity.org.uk"
    assert body["pending"] is True
    assert body["invited_by"]["id"] == admin.pk
    assert [m.to for m in mail.outbox] == [["carer@care-charity.org.uk"]]
    assert AuditEntry.objects.filter(action=AuditEntry.Action.INVITATION_SENT).count() == 1
    listed = client.get(BASE, headers=headers(admin)).json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == body["id"]


def test_withdrawing(client, admin):
    sent = invite(client, headers(admin)).json()

    response = client.post(f"{BASE}/{sent['id']}/withdraw", headers=headers(admin))

    assert response.status_code == 200
    assert response.json()["pending"] is False
    assert Invitation.objects.get(pk=sent["id"]).revoked_at is not None


@pytest.mark.parametrize("role", [None, roles.MODERATOR])
def test_members_and_moderators_may_not_invite(client, make_member, role):
    member = make_member()
    if role:
        member = member_role_grant(member=member, role=role, by=None)

    assert invite(client, headers(member)).status_code == 403
    assert client.get(BASE, headers=headers(member)).status_code == 403
    assert not Invitation.objects.exists()


def test_anonymous_is_asked_to_authenticate(client):
    assert invite(client, {}).status_code == 401
    assert client.get(BASE).status_code == 401


def test_a_read_only_token_reads_but_cannot_invite(client, admin):
    assert client.get(BASE, headers=headers(admin, read_only=True)).status_code == 200

    response = invite(client, headers(admin, read_only=True))

    assert response.status_code == 403
    assert response.json()["code"] == "read_only"
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("email", ["not an address", "", "a@b@c", "x" * 300 + "@nhs.net"])
def test_a_bad_address_is_a_field_error(client, admin, email):
    response = invite(client, headers(admin), email=email)

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "email"
    assert not Invitation.objects.exists()


def test_an_existing_members_address_is_refused(client, admin, member):
    response = invite(client, headers(admin), email=member.email)

    assert response.status_code in (409, 422)
    assert "already a member" in response.json()["detail"]


def test_a_retry_with_the_same_key_sends_once(client, admin):
    key = {"Idempotency-Key": "invite-carer-1"}
    first = invite(client, headers(admin), **key)
    again = invite(client, headers(admin), **key)

    assert (first.status_code, again.status_code) == (201, 201)
    assert again["Idempotent-Replayed"] == "true"
    assert Invitation.objects.count() == 1


def test_withdrawing_an_unknown_invitation_is_404(client, admin):
    assert client.post(f"{BASE}/999999/withdraw", headers=headers(admin)).status_code == 404


def change_role(client, who_headers, member_id, role="moderator", action="grant"):
    return client.post(
        f"/api/v1/members/{member_id}/roles",
        json.dumps({"role": role, "action": action}),
        content_type="application/json",
        headers=who_headers,
    )


def test_a_community_administrator_makes_and_unmakes_a_moderator(client, admin, member):
    response = change_role(client, headers(admin), member.pk)

    assert response.status_code == 200, response.content
    assert response.json()["roles"] == ["moderator"]
    assert AuditEntry.objects.filter(action=AuditEntry.Action.ROLE_CHANGED).exists()
    response = change_role(client, headers(admin), member.pk, action="revoke")
    assert response.json()["roles"] == []


def test_only_staff_appoint_community_administrators(client, admin, member):
    response = change_role(client, headers(admin), member.pk, role="community_admin")

    assert response.status_code == 403
    assert "staff" in response.json()["detail"]


@pytest.mark.parametrize("role", [None, roles.MODERATOR])
def test_members_and_moderators_may_not_change_roles(client, make_member, member, role):
    actor = make_member()
    if role:
        actor = member_role_grant(member=actor, role=role, by=None)

    response = change_role(client, headers(actor), member.pk)

    assert response.status_code == 403
    assert not member.groups.exists()


def test_own_roles_and_bad_bodies(client, admin, member):
    assert change_role(client, headers(admin), admin.pk, action="revoke").status_code == 422
    assert change_role(client, headers(admin), member.pk, role="king").status_code == 422
    assert change_role(client, headers(admin), member.pk, action="crown").status_code == 422
    assert change_role(client, headers(admin), 999999).status_code == 404
    assert change_role(client, {}, member.pk).status_code == 401
    read_only = change_role(client, headers(admin, read_only=True), member.pk)
    assert read_only.status_code == 403 and read_only.json()["code"] == "read_only"

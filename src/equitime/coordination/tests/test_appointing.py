"""Community administrators make members coordinators from their profile, as moderators."""

import pytest
from django.urls import reverse

from equitime.audit.models import AuditEntry
from equitime.members import roles
from equitime.members.models import Member
from equitime.members.services import member_role_grant
from equitime.members.tests.factories import make_member

pytestmark = pytest.mark.django_db


def test_an_administrator_makes_a_member_a_coordinator_from_their_profile(client):
    admin = member_role_grant(member=make_member(), role=roles.COMMUNITY_ADMIN, by=None)
    denise = make_member(display_name="Denise Clarke")
    client.force_login(admin)
    profile = client.get(reverse("profile_detail", args=[denise.pk])).text
    assert "Make coordinator" in profile

    response = client.post(
        reverse("member_roles", args=[denise.pk]), {"role": "coordinator", "change": "grant"}
    )

    assert response.status_code == 302
    assert Member.objects.get(pk=denise.pk).has_perm("members.act_for_member")
    assert AuditEntry.objects.filter(action=AuditEntry.Action.ROLE_CHANGED).exists()
    assert "Remove coordinator" in client.get(reverse("profile_detail", args=[denise.pk])).text


def test_a_moderator_cannot_make_coordinators(client):
    moderator = member_role_grant(member=make_member(), role=roles.MODERATOR, by=None)
    other = make_member()
    client.force_login(moderator)
    response = client.post(
        reverse("member_roles", args=[other.pk]), {"role": "coordinator", "change": "grant"}
    )
    assert response.status_code == 403
    assert not Member.objects.get(pk=other.pk).has_perm("members.act_for_member")

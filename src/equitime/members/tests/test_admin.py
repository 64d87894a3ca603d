"""The members admin (issue 10 §10): whether a member may sign in, and the
roles they hold, change only through the services, which revoke sessions,
pause listings and write the audit log. The change form shows them read-only;
admin actions call the services."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse

from equitime.audit.models import AuditEntry
from equitime.listings.models import Listing
from equitime.listings.services import listing_create
from equitime.members import roles
from equitime.members.models import Member
from equitime.privacy.services import member_erase
from equitime.skills.models import ImprovementArea

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:members_member_changelist")
Action = AuditEntry.Action


@pytest.fixture
def superuser(make_member):
    admin = make_member(display_name="Site Admin", email="admin@example.nhs.uk")
    admin.is_staff = admin.is_superuser = True
    admin.save(update_fields=["is_staff", "is_superuser"])
    return admin


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


def fresh(member) -> Member:
    return Member.objects.get(pk=member.pk)


def entries(action):
    return AuditEntry.objects.filter(action=action)


def change_form_data(client, member, **changes) -> dict:
    """What the change form would post back unchanged, with ``changes``."""
    form = (
        client.get(reverse("admin:members_member_change", args=[member.pk]))
        .context["adminform"]
        .form
    )
    data = {
        name: value
        for name, value in form.initial.items()
        if name in form.fields and value is not None
    }
    data.pop("password", None)
    data.update(
        {
            "email": member.email,
            "display_name": member.display_name,
            "profile-TOTAL_FORMS": "1",
            "profile-INITIAL_FORMS": "1",
            "profile-MIN_NUM_FORMS": "0",
            "profile-MAX_NUM_FORMS": "1",
            "profile-0-id": member.profile.pk,
            "profile-0-member": member.pk,
            "profile-0-country": "GB",
            "profile-0-time_zone": "Europe/London",
            "profile-0-preference": "either",
            "profile-0-languages": "[]",
            "profile-0-skills_offered": "[]",
        }
    )
    data.update(changes)
    return data


def run_action(client, action, *members, **extra):
    return client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [m.pk for m in members], **extra},
        follow=True,
    )


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def an_open_listing(owner) -> Listing:
    return listing_create(
        owner=owner,
        kind=Listing.Kind.OFFER,
        title="Survival analysis in R",
        description="Kaplan-Meier curves, step by step.",
        improvement_area=ImprovementArea.objects.all()[0],
        benefit="Better evidence on readmissions for the frailty team.",
        estimated_minutes=60,
        format="remote",
    )


# --- The change form leaves sign-in and roles alone ---------------------------------


def test_the_change_form_cannot_suspend_grant_roles_or_permissions(admin_client, member):
    moderators = Group.objects.get(name=roles.GROUP_NAMES[roles.MODERATOR])
    permission = Permission.objects.get(codename="assign_role")
    url = reverse("admin:members_member_change", args=[member.pk])
    data = change_form_data(
        admin_client,
        member,
        is_active="",  # an unticked box is simply absent; "" is read the same
        groups=[moderators.pk],
        user_permissions=[permission.pk],
    )
    data.pop("is_active")

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:2000]
    member = fresh(member)
    assert member.is_active
    assert not member.groups.exists()
    assert not member.user_permissions.exists()
    assert not member.has_perm("members.moderate")


def test_the_change_form_cannot_revive_an_erased_member(admin_client, member):
    member_erase(member=member)
    erased = fresh(member)
    data = change_form_data(admin_client, erased, is_active="on")

    admin_client.post(reverse("admin:members_member_change", args=[erased.pk]), data)

    assert not fresh(erased).is_active


def test_the_change_form_shows_sign_in_and_roles_read_only(admin_client, member):
    page = admin_client.get(reverse("admin:members_member_change", args=[member.pk]))
    form = page.context["adminform"].form

    for name in ("is_active", "groups", "user_permissions"):
        assert name not in form.fields


# --- Actions call the services ---------------------------------------------------------


def test_suspend_asks_for_a_reason_first_and_changes_nothing_until_given(admin_client, member):
    asked = run_action(admin_client, "suspend", member)
    empty = run_action(admin_client, "suspend", member, apply="1", reason="  ")

    assert asked.status_code == 200
    assert 'name="reason"' in asked.content.decode()
    assert member.email in asked.content.decode()
    assert "This field is required." in empty.content.decode()
    assert fresh(member).is_active
    assert not entries(Action.MEMBER_SUSPENDED).exists()


def test_suspend_action_signs_out_pauses_listings_and_audits(admin_client, superuser, member):
    listing = an_open_listing(member)
    members_browser = Client()
    members_browser.force_login(member)
    assert members_browser.get(reverse("dashboard")).status_code == 200

    response = run_action(admin_client, "suspend", member, apply="1", reason="Sock-puppet accounts")

    suspended = fresh(member)
    assert not suspended.is_active
    assert suspended.suspended_by == superuser
    assert suspended.suspension_reason == "Sock-puppet accounts"
    assert suspended.sessions_revoked_at is not None
    assert Listing.objects.get(pk=listing.pk).status == Listing.Status.PAUSED
    entry = entries(Action.MEMBER_SUSPENDED).get()
    assert entry.actor == superuser
    assert entry.data["reason"] == "Sock-puppet accounts"
    assert any("1 member(s) suspended" in text for text in messages_of(response))
    # Their open session ends at their next request.
    after = members_browser.get(reverse("dashboard"))
    assert after.status_code == 302 and reverse("account_login") in after["Location"]


def test_reinstate_action_lifts_a_suspension_and_audits(admin_client, superuser, member):
    run_action(admin_client, "suspend", member, apply="1", reason="Checking")

    response = run_action(admin_client, "reinstate", member)

    reinstated = fresh(member)
    assert reinstated.is_active and reinstated.suspended_at is None
    assert entries(Action.MEMBER_REINSTATED).get().actor == superuser
    assert any("1 member(s) reinstated" in text for text in messages_of(response))


def test_reinstate_does_not_revive_an_erased_member(admin_client, member):
    member_erase(member=member)

    response = run_action(admin_client, "reinstate", member)

    assert not fresh(member).is_active
    assert any("not suspended" in text for text in messages_of(response))
    assert not entries(Action.MEMBER_REINSTATED).exists()


@pytest.mark.parametrize("role", [roles.MODERATOR, roles.COMMUNITY_ADMIN])
def test_role_actions_grant_and_take_a_role_through_the_service(
    admin_client, superuser, member, role
):
    run_action(admin_client, f"grant_{role}", member)
    granted = roles.member_roles(fresh(member))
    run_action(admin_client, f"revoke_{role}", member)

    assert granted == [role]
    assert roles.member_roles(fresh(member)) == []
    given, taken = entries(Action.ROLE_CHANGED).order_by("pk")
    assert given.actor == taken.actor == superuser
    assert given.data == {"before": [], "after": [role]}
    assert taken.data == {"before": [role], "after": []}


def test_staff_without_the_permission_are_refused_member_by_member(client, make_member, member):
    staff = make_member(display_name="Staff Only")
    staff.is_staff = True
    staff.save(update_fields=["is_staff"])
    staff.user_permissions.add(
        Permission.objects.get(codename="view_member"),
        Permission.objects.get(codename="change_member"),
    )
    client.force_login(staff)

    suspend = run_action(client, "suspend", member, apply="1", reason="No")
    grant = run_action(client, f"grant_{roles.MODERATOR}", member)

    assert fresh(member).is_active
    assert roles.member_roles(fresh(member)) == []
    for response in (suspend, grant):
        assert any("You do not have permission" in text for text in messages_of(response))
    assert not AuditEntry.objects.filter(
        action__in=[Action.MEMBER_SUSPENDED, Action.ROLE_CHANGED]
    ).exists()

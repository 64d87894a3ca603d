"""Appointing and removing organisation leads: who may, whom, and what follows."""

import pytest
from django.contrib.auth.models import Permission

from equitime.audit.models import AuditEntry
from equitime.core.errors import DomainError, ErrorKind
from equitime.impact import leads
from equitime.impact.access import impact_access, leads_anything
from equitime.impact.apps import NAV_LEAD
from equitime.impact.models import OrganisationLead
from equitime.impact.tests.leads_factories import admin, lead_of, lead_row, member_at, organisation
from equitime.members.models import Member, Profile
from equitime.members.roles import member_nav_permissions
from equitime.moderation.services import member_suspend
from equitime.notifications.models import Notification

pytestmark = pytest.mark.django_db


def refusal(excinfo) -> tuple[str, ErrorKind | None]:
    return excinfo.value.code, excinfo.value.kind


def test_an_administrator_appoints_a_member_lead_of_their_own_organisation():
    org, boss = organisation("Northbridge Trust"), admin()
    member = member_at(org, "Olivia Brennan")

    lead = leads.lead_appoint(member=member, by=boss)

    assert (lead.member, lead.organisation, lead.appointed_by) == (member, org, boss)
    assert impact_access(member).organisations == frozenset({org.pk})
    assert not impact_access(member).community
    entry = AuditEntry.objects.get(action=AuditEntry.Action.LEAD_APPOINTED)
    assert entry.actor == boss and entry.data == {"member": member.pk, "organisation": org.pk}
    told = Notification.objects.get(recipient=member)
    assert told.kind == Notification.Kind.ORGANISATION_LEAD
    assert "Northbridge Trust" in told.message
    assert told.url == f"/impact/organisations/{org.pk}/members/"


def test_naming_the_organisation_they_work_at_is_the_same_appointment():
    org = organisation()
    member = member_at(org)
    lead = leads.lead_appoint(member=member, by=admin(), organisation=org)
    assert lead.organisation == org


@pytest.mark.parametrize(
    "case",
    ["another-organisation", "no-organisation", "staff", "suspended", "closed", "oneself"],
)
def test_refused_appointments_change_nothing(case):
    org, boss = organisation(), admin()
    member = member_at(org, "Sam Subject")
    kwargs: dict = {}
    expected: tuple[str, ErrorKind]
    if case == "another-organisation":
        kwargs["organisation"] = organisation("Elsewhere Council")
        expected = ("other_organisation", ErrorKind.INVALID)
    elif case == "no-organisation":
        member = member_at(None)
        expected = ("no_organisation", ErrorKind.INVALID)
    elif case == "staff":
        Member.objects.filter(pk=member.pk).update(is_staff=True)
        expected = ("staff_account", ErrorKind.INVALID)
    elif case == "suspended":
        moderator = admin()
        member_suspend(member=member, by=moderator, reason="Asked for money.")
        expected = ("suspended", ErrorKind.CONFLICT)
    elif case == "closed":
        Member.objects.filter(pk=member.pk).update(is_active=False)
        expected = ("inactive_member", ErrorKind.CONFLICT)
    else:
        Profile.objects.filter(member=boss).update(organisation=org)
        member = boss
        expected = ("own_account", ErrorKind.INVALID)
    audit_before = AuditEntry.objects.count()

    with pytest.raises(DomainError) as excinfo:
        leads.lead_appoint(member=member, by=boss, **kwargs)

    assert refusal(excinfo) == expected
    assert not OrganisationLead.objects.exists()
    assert AuditEntry.objects.count() == audit_before
    assert not Notification.objects.filter(kind=Notification.Kind.ORGANISATION_LEAD).exists()


def test_a_duplicate_is_a_conflict():
    org, boss = organisation(), admin()
    member = member_at(org)
    leads.lead_appoint(member=member, by=boss)
    with pytest.raises(DomainError) as excinfo:
        leads.lead_appoint(member=member, by=boss)
    assert refusal(excinfo) == ("lead_exists", ErrorKind.CONFLICT)
    assert OrganisationLead.objects.count() == 1


@pytest.mark.parametrize("who", ["member", "moderator-like", "lead"])
def test_only_those_with_the_permission_appoint_or_remove(who):
    org = organisation()
    existing = lead_of(org)
    by = member_at(org, "Not Allowed")
    if who == "moderator-like":
        by.user_permissions.add(Permission.objects.get(codename="moderate"))
        by = Member.objects.get(pk=by.pk)
    elif who == "lead":
        by = existing
    candidate = member_at(org, "Candidate")

    with pytest.raises(DomainError) as appointing:
        leads.lead_appoint(member=candidate, by=by)
    with pytest.raises(DomainError) as removing:
        leads.lead_remove(lead=lead_row(existing), by=by)

    assert refusal(appointing) == refusal(removing) == ("forbidden", ErrorKind.FORBIDDEN)
    assert list(OrganisationLead.objects.values_list("member", flat=True)) == [existing.pk]


def test_removing_a_lead_ends_their_access_audits_and_tells_them():
    org, boss = organisation("Riverside PCN"), admin()
    member = lead_of(org, by=boss)

    leads.lead_remove(lead=lead_row(member), by=boss)

    assert not OrganisationLead.objects.exists()
    assert not impact_access(member).any
    entry = AuditEntry.objects.get(action=AuditEntry.Action.LEAD_REMOVED)
    assert entry.actor == boss and entry.data["organisation"] == org.pk
    told = Notification.objects.filter(recipient=member).first()
    assert told is not None and "no longer a lead of Riverside PCN" in told.message


def test_removing_twice_says_it_has_ended():
    org, boss = organisation(), admin()
    lead = lead_row(lead_of(org, by=boss))
    leads.lead_remove(lead=lead, by=boss)
    with pytest.raises(DomainError) as excinfo:
        leads.lead_remove(lead=lead, by=boss)
    assert refusal(excinfo) == ("lead_gone", ErrorKind.NOT_FOUND)


def test_a_lead_who_moves_to_another_organisation_sees_nothing_of_the_first():
    org, other = organisation(), organisation()
    member = lead_of(org)
    assert leads_anything(member)

    Profile.objects.filter(member=member).update(organisation=other)

    assert not impact_access(member).any
    assert not leads_anything(member)
    assert OrganisationLead.objects.filter(member=member).exists()  # kept, as history


def test_a_suspended_lead_sees_nothing():
    org = organisation()
    member = lead_of(org)
    member_suspend(member=member, by=admin(), reason="Asked for money.")
    assert not impact_access(Member.objects.get(pk=member.pk)).any


def test_the_menu_learns_of_an_appointment_and_of_its_end(django_capture_on_commit_callbacks):
    org, boss = organisation(), admin()
    member = member_at(org)
    assert NAV_LEAD not in member_nav_permissions(member)  # cached now

    with django_capture_on_commit_callbacks(execute=True):
        lead = leads.lead_appoint(member=member, by=boss)
    assert NAV_LEAD in member_nav_permissions(member)

    with django_capture_on_commit_callbacks(execute=True):
        leads.lead_remove(lead=lead, by=boss)
    assert NAV_LEAD not in member_nav_permissions(member)


def test_administrators_see_the_impact_link_by_their_permission():
    assert "impact.view_community_impact" in member_nav_permissions(admin())

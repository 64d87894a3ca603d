"""The shared ground of every impact page: who sees what, and the filter."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from equitime.impact.access import impact_access, impact_access_required
from equitime.impact.filters import ImpactFilterForm, Scope, month_add
from equitime.impact.models import OrganisationLead
from equitime.impact.suppression import MIN_MEMBERS, is_suppressed
from equitime.members import roles
from equitime.members.models import Organisation, Profile
from equitime.members.services import member_role_grant

pytestmark = pytest.mark.django_db


@pytest.fixture
def trust():
    return Organisation.objects.create(name="Riverside NHS Trust", kind="nhs_trust")


@pytest.fixture
def council():
    return Organisation.objects.create(name="Hillside Council", kind="local_authority")


def _lead(member, organisation, admin):
    # A lead leads the organisation they work at (impact.access.leads_standing).
    Profile.objects.filter(member=member).update(organisation=organisation)
    return OrganisationLead.objects.create(
        member=member, organisation=organisation, appointed_by=admin
    )


def test_a_member_sees_nothing_and_is_refused(member):
    access = impact_access(member)
    assert not access.any
    with pytest.raises(PermissionDenied):
        impact_access_required(member)


def test_a_visitor_sees_nothing():
    from django.contrib.auth.models import AnonymousUser

    assert not impact_access(AnonymousUser()).any
    assert not impact_access(None).any


def test_an_administrator_sees_the_community_and_every_organisation(make_member, trust):
    admin = member_role_grant(member=make_member(), role=roles.COMMUNITY_ADMIN, by=None)
    access = impact_access_required(admin)
    assert access.community
    assert access.may_see_organisation(trust.pk)


def test_a_lead_sees_only_the_organisations_they_lead(make_member, member, trust, council):
    admin = member_role_grant(member=make_member(), role=roles.COMMUNITY_ADMIN, by=None)
    _lead(member, trust, admin)
    access = impact_access_required(member)
    assert not access.community
    assert access.may_see_organisation(trust.pk)
    assert not access.may_see_organisation(council.pk)


def test_a_suspended_lead_sees_nothing(make_member, member, trust):
    admin = member_role_grant(member=make_member(), role=roles.COMMUNITY_ADMIN, by=None)
    _lead(member, trust, admin)
    member.is_active = False
    member.save(update_fields=["is_active"])
    assert not impact_access(member).any


def _form(data, access):
    form = ImpactFilterForm(data, access=access)
    return form, form.is_valid()


@time_machine.travel("2026-12-06 10:00Z", tick=False)
def test_the_default_period_is_the_last_twelve_months(make_member):
    admin = member_role_grant(member=make_member(), role=roles.COMMUNITY_ADMIN, by=None)
    form, valid = _form({}, impact_access(admin))
    assert valid
    assert form.scope() == Scope(first=date(2026, 1, 1), last=date(2026, 12, 1))
    assert form.scope().end == date(2027, 1, 1)
    assert len(form.scope().months()) == 12


@time_machine.travel("2026-12-06 10:00Z", tick=False)
@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"first": "2026-13"}, "first", "Enter a month as year and month"),
        ({"last": "2027-01"}, "last", "cannot end after this month"),
        ({"first": "2026-06", "last": "2026-03"}, "first", "must start before it ends"),
        ({"first": "1999-12", "last": "2000-02"}, "first", "from 2000 onwards"),
    ],
    ids=["not-a-month", "future", "reversed", "too-early"],
)
def test_a_bad_period_is_a_form_error_that_says_why(make_member, data, field, message):
    admin = member_role_grant(member=make_member(), role=roles.COMMUNITY_ADMIN, by=None)
    form, valid = _form(data, impact_access(admin))
    assert not valid
    assert message in " ".join(form.errors[field])


def test_a_lead_chooses_only_among_their_organisations(make_member, member, trust, council):
    admin = member_role_grant(member=make_member(), role=roles.COMMUNITY_ADMIN, by=None)
    _lead(member, trust, admin)
    form, valid = _form({"organisation": council.pk}, impact_access(member))
    assert not valid and "organisation" in form.errors
    form, valid = _form({}, impact_access(member))
    assert valid and form.scope().organisation_id == trust.pk


def test_months_run_across_the_year_end():
    assert month_add(date(2026, 11, 1), 3) == date(2027, 2, 1)
    assert month_add(date(2026, 1, 1), -1) == date(2025, 12, 1)
    assert Scope(first=date(2025, 11, 1), last=date(2026, 2, 1)).months() == [
        date(2025, 11, 1),
        date(2025, 12, 1),
        date(2026, 1, 1),
        date(2026, 2, 1),
    ]


def test_small_numbers_are_withheld_but_nothing_is_not():
    assert MIN_MEMBERS == 5
    assert [is_suppressed(n) for n in (0, 1, 4, 5, 50)] == [False, True, True, False, False]

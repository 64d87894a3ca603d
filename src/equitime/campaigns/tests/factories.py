"""Campaign test data: one helper, ``campaign``, made through the service by
a community administrator."""

from datetime import timedelta

from django.utils import timezone

from equitime.campaigns.services import campaign_create
from equitime.members import roles
from equitime.members.services import member_role_grant
from equitime.members.tests.factories import make_member
from equitime.skills.models import ImprovementArea


def administrator(**fields):
    fields.setdefault("display_name", "Ada Admin")
    return member_role_grant(member=make_member(**fields), role=roles.COMMUNITY_ADMIN, by=None)


def ambassador(**fields):
    fields.setdefault("display_name", "Amal Ambassador")
    return member_role_grant(member=make_member(**fields), role=roles.AMBASSADOR, by=None)


def campaign(
    *,
    by=None,
    title: str = "Reducing length of stay",
    target_hours: int = 100,
    starts_in_days: int = -10,
    days: int = 60,
    area: str = "patient-safety",
):
    today = timezone.now().date()
    starts_on = today + timedelta(days=starts_in_days)
    return campaign_create(
        by=by or administrator(),
        title=title,
        description="Fewer days in hospital: discharge planning, frailty, flow.",
        improvement_area=ImprovementArea.objects.get(slug=area),
        starts_on=starts_on,
        ends_on=starts_on + timedelta(days=days),
        target_hours=target_hours,
    )

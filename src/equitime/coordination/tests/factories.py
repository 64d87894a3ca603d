"""A coordinator, a member who consented, and a colleague: the coordination tests' world."""

from dataclasses import dataclass

from equitime.coordination.models import Consent
from equitime.coordination.services import consent_record
from equitime.members import roles
from equitime.members.models import Member
from equitime.members.services import member_role_grant
from equitime.members.tests.factories import make_member
from equitime.skills.models import ImprovementArea


def make_coordinator(**fields) -> Member:
    fields.setdefault("display_name", "Carla Coordinator")
    member = member_role_grant(member=make_member(**fields), role=roles.COORDINATOR, by=None)
    return Member.objects.get(pk=member.pk)  # permissions are cached on the object


def consent(coordinator: Member, member: Member) -> Consent:
    return consent_record(
        coordinator=coordinator, member=member, method=Consent.Method.PAPER, note="Form in file"
    )


@dataclass
class World:
    coordinator: Member
    member: Member  # a care assistant without regular computer access
    colleague: Member
    stranger: Member


def world() -> World:
    w = World(
        coordinator=make_coordinator(),
        member=make_member(display_name="Mary Member"),
        colleague=make_member(display_name="Colin Colleague"),
        stranger=make_member(display_name="Sam Stranger"),
    )
    consent(w.coordinator, w.member)
    return w


def area() -> ImprovementArea:
    return ImprovementArea.objects.get(slug="patient-safety")


def exchange_fields(**overrides) -> dict:
    return {
        "member_gives": True,
        "title": "Moving and handling refresher",
        "improvement_area": area(),
        "benefit": "Fewer falls on the ward at night.",
        "minutes": 60,
    } | overrides

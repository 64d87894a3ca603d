"""Group sessions for tests: an organiser's session an hour long, a week ahead,
under the policy the test asks for."""

from datetime import timedelta

from django.utils import timezone

from equitime.scheduling import groups
from equitime.scheduling.models import CreditPolicy, SchedulingSettings, Session
from equitime.scheduling.slots import Slot
from equitime.skills.models import ImprovementArea


def policy_set(policy: str) -> None:
    SchedulingSettings.objects.update_or_create(pk=1, defaults={"group_credit_policy": policy})


def group_session(
    organiser, *, policy=CreditPolicy.FREE, capacity=3, minutes=60, **fields
) -> Session:
    policy_set(policy)
    starts_at = fields.pop("starts_at", None) or timezone.now() + timedelta(days=7)
    values = {
        "title": "Run charts for ward teams",
        "description": "Reading variation in a ward's data.",
        "improvement_area": ImprovementArea.objects.get(slug="patient-safety"),
        "benefit": "Teams see whether a change helped.",
        "slot": Slot(starts_at=starts_at, minutes=minutes, place="Seminar room 2"),
        "capacity": capacity,
    }
    return groups.group_session_create(organiser=organiser, **(values | fields))

"""Fixtures for the group sessions' tests (the data itself: ``factories``)."""

import pytest

from equitime.scheduling.tests.factories import group_session
from equitime.skills.models import ImprovementArea


@pytest.fixture
def area(db):
    return ImprovementArea.objects.get(slug="patient-safety")


@pytest.fixture
def organiser(make_member):
    return make_member(display_name="Olu Organiser")


@pytest.fixture
def make_group():
    return group_session


@pytest.fixture
def attendees(make_member):
    return [make_member(display_name=f"Attendee {n}") for n in range(8)]

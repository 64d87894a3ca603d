"""Scheduling's test data.

Group sessions: an organiser, attendees and ``make_group`` (``factories``).

One-to-one sessions: Priya in London gives time to Rob in
Toronto, on a clock frozen a week before the clocks change in Toronto
(8 March 2026) and four weeks before London's (29 March 2026)."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from equitime.exchanges.models import Exchange, Status
from equitime.exchanges.tests.factories import exchange_at
from equitime.members.models import Member
from equitime.scheduling.slots import Slot
from equitime.scheduling.tests.factories import group_session
from equitime.skills.models import ImprovementArea

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def in_zone(member: Member, zone: str) -> Member:
    member.profile.time_zone = zone
    member.profile.save(update_fields=["time_zone"])
    return member


def slot(days: float = 9, hour: int = 14, minutes: int = 60, **where: str) -> Slot:
    """A slot ``days`` after NOW's date at ``hour``:00 UTC, in a room unless told."""
    starts = NOW.replace(hour=hour) + timedelta(days=days)
    where.setdefault("place", "Seminar room 2, Education Centre")
    return Slot(starts_at=starts, minutes=minutes, **where)


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def london(make_member, clock) -> Member:
    return in_zone(make_member(display_name="Priya Shah"), "Europe/London")


@pytest.fixture
def toronto(make_member, clock) -> Member:
    return in_zone(make_member(display_name="Rob Chen"), "America/Toronto")


@pytest.fixture
def stranger(make_member, clock) -> Member:
    return make_member(display_name="Sam Stranger")


@pytest.fixture
def offer(make_listing, london):
    return make_listing(london)


@pytest.fixture
def proposed(offer, toronto) -> Exchange:
    """Rob (Toronto) took up Priya's (London) offer; Priya provides."""
    return exchange_at(Status.PROPOSED, listing=offer, receiver=toronto)


@pytest.fixture
def accepted(proposed) -> Exchange:
    return exchange_at(Status.ACCEPTED, exchange=proposed)


# --- Group sessions ------------------------------------------------------------


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

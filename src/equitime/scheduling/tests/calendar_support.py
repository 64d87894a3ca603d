"""Sessions for the calendar tests, made with the models directly (the
services that schedule, move and cancel are written elsewhere), and the two
independent readers every generated file is checked with."""

from datetime import UTC, datetime

import ics  # type: ignore[import-untyped]  # ics 0.7 ships no types
from icalendar import Calendar

from equitime.exchanges.models import Status
from equitime.exchanges.tests.factories import exchange_at
from equitime.listings.tests.factories import listing as make_listing
from equitime.members.tests.factories import make_member
from equitime.scheduling.models import CreditPolicy, Seat, Session

WHEN = datetime(2026, 12, 8, 14, 0, tzinfo=UTC)  # Tue 8 Dec, GMT in London


def in_zone(member, zone: str):
    member.profile.time_zone = zone
    member.profile.save(update_fields=["time_zone"])
    return member


def one_to_one(
    *,
    provider=None,
    receiver=None,
    starts_at: datetime = WHEN,
    minutes: int = 60,
    title: str = "Survival analysis in R",
    place: str = "Library, room 2",
    video_url: str = "",
    status: str = Session.Status.SCHEDULED,
) -> Session:
    provider = provider or make_member(display_name="Priya Provider")
    receiver = receiver or make_member(display_name="Rob Receiver")
    exchange = exchange_at(Status.ACCEPTED, listing=make_listing(provider), receiver=receiver)
    return Session.objects.create(
        kind=Session.Kind.ONE_TO_ONE,
        exchange=exchange,
        organiser=provider,
        title=title,
        status=status,
        starts_at=starts_at,
        minutes=minutes,
        place=place,
        video_url=video_url,
    )


def group(
    *,
    organiser=None,
    attendees=(),
    starts_at: datetime = WHEN,
    minutes: int = 90,
    title: str = "Journal club: frailty",
) -> Session:
    session = Session.objects.create(
        kind=Session.Kind.GROUP,
        organiser=organiser or make_member(display_name="Gita Organiser"),
        title=title,
        description="We read one paper on frailty together.",
        capacity=10,
        credit_policy=CreditPolicy.FREE,
        status=Session.Status.SCHEDULED,
        starts_at=starts_at,
        minutes=minutes,
        video_url="https://meet.example.org/journal-club",
    )
    for member in attendees:
        seat(session, member)
    return session


def seat(session: Session, member, status: str = Seat.Status.BOOKED) -> Seat:
    return Seat.objects.create(session=session, member=member, status=status)


def move(session: Session, starts_at: datetime) -> Session:
    session.starts_at = starts_at
    session.sequence += 1
    session.save(update_fields=["starts_at", "sequence"])
    return session


def cancel(session: Session, by, reason: str = "Ward too busy") -> Session:
    session.status = Session.Status.CANCELLED
    session.cancelled_at = session.updated_at
    session.cancelled_by = by
    session.cancel_reason = reason
    session.sequence += 1
    session.save(
        update_fields=["status", "cancelled_at", "cancelled_by", "cancel_reason", "sequence"]
    )
    return session


def provider_of(session: Session):
    assert session.exchange is not None
    return session.exchange.provider


def receiver_of(session: Session):
    assert session.exchange is not None
    return session.exchange.receiver


def parsed(content: bytes | str) -> tuple[Calendar, ics.Calendar]:
    """The file as the icalendar package and the independent ics package read it."""
    text = content.decode() if isinstance(content, bytes) else content
    return Calendar.from_ical(text), ics.Calendar(text)


def only_event(calendar: Calendar):
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    return events[0]

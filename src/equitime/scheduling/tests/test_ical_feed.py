"""A member's feed as iCalendar: which sessions it lists, how, and that each
is the same event (UID, SEQUENCE) the invitations carried."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine

from equitime.ledger.tests.factories import earn
from equitime.members.tests.factories import make_member
from equitime.scheduling.ical import event_uid, member_feed, session_invitation
from equitime.scheduling.models import Seat, Session
from equitime.scheduling.tests.calendar_support import (
    WHEN,
    cancel,
    group,
    move,
    one_to_one,
    only_event,
    parsed,
    receiver_of,
    seat,
)

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


def uids(content: bytes) -> dict[str, Any]:
    calendar, other = parsed(content)
    events = {str(e["uid"]): e for e in calendar.walk("VEVENT")}
    assert {e.uid for e in other.events} == set(events)
    return events


def test_the_feed_names_itself_and_asks_to_be_fetched_hourly():
    member = make_member(display_name="Amina Shah")

    content = member_feed(member)

    calendar, other = parsed(content)
    assert "method" not in calendar
    assert str(calendar["x-wr-calname"]) == "Equitime: Amina Shah"
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in content
    assert b"X-PUBLISHED-TTL:PT1H\r\n" in content
    assert calendar.walk("VEVENT") == [] and len(other.events) == 0


def test_one_to_one_sessions_of_both_parties_from_a_month_ago():
    provider, receiver = make_member(), make_member()
    earn(receiver, 600)  # enough held credit for four exchanges
    soon = one_to_one(provider=provider, receiver=receiver)
    last_month = one_to_one(
        provider=provider, receiver=receiver, starts_at=NOW - timedelta(days=29)
    )
    Session.objects.filter(pk=last_month.pk).update(status=Session.Status.HELD)
    too_old = one_to_one(provider=provider, receiver=receiver, starts_at=NOW - timedelta(days=31))
    proposed = one_to_one(provider=provider, receiver=receiver)
    Session.objects.filter(pk=proposed.pk).update(status=Session.Status.PROPOSED)
    someone_elses = one_to_one()

    for member in (provider, receiver):
        listed = uids(member_feed(member))
        assert set(listed) == {event_uid(soon), event_uid(last_month)}
    assert event_uid(too_old) not in listed
    assert event_uid(someone_elses) not in listed


def test_a_cancelled_session_stays_listed_as_cancelled():
    session = one_to_one()
    move(session, WHEN + timedelta(hours=2))
    cancel(session, by=session.organiser)

    [event] = uids(member_feed(receiver_of(session))).values()

    assert str(event["status"]) == "CANCELLED"
    assert event["sequence"] == 2


def test_group_sessions_organised_booked_and_left():
    member = make_member()
    mine = group(organiser=member)
    booked = group(attendees=[member])
    left = group()
    seat(left, member, Seat.Status.LEFT)
    waiting = group()
    seat(waiting, member, Seat.Status.WAITING)
    group(attendees=[make_member()])  # not theirs at all

    listed = uids(member_feed(member))

    assert set(listed) == {event_uid(mine), event_uid(booked), event_uid(left)}
    assert str(listed[event_uid(mine)]["status"]) == "CONFIRMED"
    assert str(listed[event_uid(booked)]["status"]) == "CONFIRMED"
    assert str(listed[event_uid(left)]["status"]) == "CANCELLED"


def test_a_member_who_came_back_after_leaving_is_listed_once_and_confirmed():
    member = make_member()
    session = group()
    seat(session, member, Seat.Status.LEFT)
    seat(session, member, Seat.Status.BOOKED)

    [event] = uids(member_feed(member)).values()

    assert str(event["status"]) == "CONFIRMED"


def test_the_feed_entry_is_the_invitation_event():
    session = one_to_one()
    move(session, WHEN + timedelta(days=2))
    receiver = receiver_of(session)

    in_feed = only_event(parsed(member_feed(receiver))[0])
    invited = only_event(parsed(session_invitation(session, recipient=receiver, cancel=False))[0])

    for field in ("uid", "sequence", "summary", "location", "url", "description"):
        assert in_feed[field] == invited[field], field
    assert in_feed["dtstart"].dt == invited["dtstart"].dt == WHEN + timedelta(days=2)


def test_the_feed_costs_a_few_queries_whatever_its_length(django_assert_max_num_queries):
    member = make_member()
    for _ in range(3):
        one_to_one(provider=member)
        group(organiser=member, attendees=[make_member(), make_member()])
        group(attendees=[member])

    with django_assert_max_num_queries(2):
        member_feed(member)

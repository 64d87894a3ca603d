"""Invitations and downloads as iCalendar: every file read back by two
independent parsers (icalendar, ics), the fields Outlook, Google and Apple
need, and one event whose UID never changes while its SEQUENCE rises."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine

from equitime.members.tests.factories import make_member
from equitime.scheduling.ical import (
    PRODID,
    event_uid,
    session_download,
    session_invitation,
)
from equitime.scheduling.models import Seat
from equitime.scheduling.tests.calendar_support import (
    WHEN,
    cancel,
    group,
    move,
    one_to_one,
    only_event,
    parsed,
    provider_of,
    receiver_of,
    seat,
)

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


def attendees_by_name(event) -> dict[str, Any]:
    found = event.get("attendee")
    found = found if isinstance(found, list) else [found]
    return {str(a.params["CN"]): a for a in found}


def test_an_invitation_has_every_field_calendars_need():
    session = one_to_one(video_url="https://meet.example.org/abc")
    receiver = receiver_of(session)

    content = session_invitation(session, recipient=receiver, cancel=False)

    calendar, other = parsed(content)
    assert calendar["method"] == "REQUEST" and other.method == "REQUEST"
    assert calendar["prodid"] == PRODID
    assert calendar["version"] == "2.0"
    event = only_event(calendar)
    assert str(event["uid"]) == f"{session.uid}@127.0.0.1"
    assert event["sequence"] == 0
    assert event["dtstamp"].dt == NOW
    assert event["dtstart"].dt == WHEN
    assert b"DTSTART:20261208T140000Z\r\n" in content  # UTC, no VTIMEZONE needed
    assert event["dtend"].dt == WHEN + timedelta(minutes=60)
    assert str(event["summary"]) == "Survival analysis in R"
    link = f"http://127.0.0.1:8000/exchanges/{session.exchange_id}/"
    assert link in str(event["description"])
    assert str(event["url"]) == link
    assert str(event["location"]) == "Library, room 2 · https://meet.example.org/abc"
    assert str(event["status"]) == "CONFIRMED"
    assert str(event["transp"]) == "OPAQUE"
    assert str(event["x-microsoft-cdo-busystatus"]) == "BUSY"
    organizer = event["organizer"]
    assert str(organizer) == "mailto:no-reply@equitime.local"
    assert str(organizer.params["CN"]) == "Priya Provider (via Equitime)"
    people = attendees_by_name(event)
    assert set(people) == {"Priya Provider", "Rob Receiver"}
    for attendee in people.values():
        assert attendee.params["PARTSTAT"] == "ACCEPTED"
        assert attendee.params["RSVP"] == "FALSE"
    assert people["Rob Receiver"].params["ROLE"] == "REQ-PARTICIPANT"
    assert people["Priya Provider"].params["ROLE"] == "CHAIR"

    [read] = other.events
    assert read.uid == event["uid"]
    assert read.name == "Survival analysis in R"
    assert read.begin.datetime == WHEN
    assert read.end.datetime == WHEN + timedelta(minutes=60)
    assert read.location == "Library, room 2 · https://meet.example.org/abc"
    assert read.url == link
    assert read.status == "CONFIRMED"
    assert read.organizer.common_name == "Priya Provider (via Equitime)"
    assert {a.common_name for a in read.attendees} == {"Priya Provider", "Rob Receiver"}


def test_the_file_is_crlf_folded_at_75_octets():
    session = one_to_one(title="A long title " * 9, place="Ward 7, " * 20)

    content = session_invitation(session, recipient=session.organiser, cancel=False)

    assert content.endswith(b"\r\n")
    lines = content.split(b"\r\n")
    assert b"\n" not in b"".join(lines)  # no bare line feed anywhere
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b" ") for line in lines)  # long lines were folded


def test_only_the_reader_is_named_by_address():
    """Members never see one another's e-mail addresses; the file is no exception."""
    session = one_to_one()
    provider, receiver = provider_of(session), receiver_of(session)

    content = session_invitation(session, recipient=receiver, cancel=False).decode()

    assert f"mailto:{receiver.email}" in content
    assert provider.email not in content
    people = attendees_by_name(only_event(parsed(content)[0]))
    assert str(people["Priya Provider"]).startswith("urn:uuid:")


def test_uid_stays_and_sequence_rises_across_a_move_and_a_cancellation():
    session = one_to_one()
    receiver = receiver_of(session)
    first = only_event(parsed(session_invitation(session, recipient=receiver, cancel=False))[0])

    move(session, WHEN + timedelta(days=1))
    moved = only_event(parsed(session_invitation(session, recipient=receiver, cancel=False))[0])
    cancel(session, by=session.organiser)
    calendar, other = parsed(session_invitation(session, recipient=receiver, cancel=True))
    cancelled = only_event(calendar)

    assert first["uid"] == moved["uid"] == cancelled["uid"] == event_uid(session)
    assert (first["sequence"], moved["sequence"], cancelled["sequence"]) == (0, 1, 2)
    assert moved["dtstart"].dt == WHEN + timedelta(days=1)
    assert calendar["method"] == "CANCEL" and other.method == "CANCEL"
    assert str(cancelled["status"]) == "CANCELLED"
    assert str(cancelled["x-microsoft-cdo-busystatus"]) == "FREE"
    assert "Ward too busy" in str(cancelled["description"])
    assert next(iter(other.events)).status == "CANCELLED"


def test_member_text_is_escaped_and_read_back_whole():
    title = 'Sepsis; "six", in 1 hour\nthen Ærø café — 東京'
    session = one_to_one(title=title, place="Ward 7; bay 2, bed 3")
    receiver = receiver_of(session)
    receiver.display_name = 'Rob "Bobby" O\'Neil, RN; ICU'
    receiver.save(update_fields=["display_name"])

    calendar, other = parsed(session_invitation(session, recipient=receiver, cancel=False))

    event = only_event(calendar)
    assert str(event["summary"]) == title
    assert str(event["location"]) == "Ward 7; bay 2, bed 3"
    assert "Rob 'Bobby' O'Neil, RN; ICU" in attendees_by_name(event)
    [read] = other.events
    assert read.name == title
    assert read.location == "Ward 7; bay 2, bed 3"


def test_a_group_invitation_lists_those_with_a_place_and_links_its_page():
    booked, waiting, gone = (make_member(display_name=n) for n in ("Bea", "Wally", "Lee"))
    session = group(attendees=[booked])
    seat(session, waiting, Seat.Status.WAITING)
    seat(session, gone, Seat.Status.LEFT)

    calendar, other = parsed(session_invitation(session, recipient=booked, cancel=False))

    event = only_event(calendar)
    assert set(attendees_by_name(event)) == {"Gita Organiser", "Bea"}
    assert str(event["location"]) == "https://meet.example.org/journal-club"
    assert "We read one paper on frailty together." in str(event["description"])
    assert str(event["url"]).startswith("http://127.0.0.1:8000/")
    assert {a.common_name for a in next(iter(other.events)).attendees} == {"Gita Organiser", "Bea"}


def test_a_member_who_gave_up_a_place_gets_a_cancellation_naming_only_them():
    stays, leaves = make_member(display_name="Stella"), make_member(display_name="Leo")
    session = group(attendees=[stays])
    seat(session, leaves, Seat.Status.LEFT)
    session.sequence = 1
    session.save(update_fields=["sequence"])

    calendar, other = parsed(session_invitation(session, recipient=leaves, cancel=True))

    assert calendar["method"] == "CANCEL" and other.method == "CANCEL"
    event = only_event(calendar)
    assert str(event["status"]) == "CANCELLED"
    assert event["uid"] == event_uid(session)
    assert set(attendees_by_name(event)) == {"Leo"}
    assert str(event["attendee"]) == f"mailto:{leaves.email}"


def test_a_download_is_published_not_an_invitation():
    session = one_to_one()

    calendar, other = parsed(session_download(session, member=session.organiser))

    assert calendar["method"] == "PUBLISH" and other.method == "PUBLISH"
    assert only_event(calendar)["uid"] == event_uid(session)

"""A member's sessions and calendar: in their data download, and ended at erasure."""

import io
import json
import zipfile
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from equitime.core.errors import DomainError
from equitime.exchanges import services as exchanges
from equitime.ledger.models import Transfer
from equitime.ledger.tests.factories import earn
from equitime.ledger.verify import verify_ledger
from equitime.listings.models import Format, Listing
from equitime.listings.services import listing_create
from equitime.notifications.models import Notification
from equitime.privacy.services import member_data_export, member_erase
from equitime.scheduling import groups
from equitime.scheduling.calendar_services import calendar_feed_create
from equitime.scheduling.models import (
    CalendarSettings,
    CreditPolicy,
    ProposedTime,
    Reminder,
    Seat,
    Session,
    SessionEvent,
)
from equitime.scheduling.tests.factories import group_session
from equitime.skills.models import ImprovementArea

pytestmark = pytest.mark.django_db


def read_zip(data: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name.split("/", 1)[1]: archive.read(name).decode() for name in archive.namelist()}


def seat_of(session, member) -> Seat:
    return Seat.objects.select_related("hold").get(session=session, member=member)


def hold_of(session, member) -> Transfer:
    hold = seat_of(session, member).hold
    assert hold is not None
    return hold


def starts(session) -> datetime:
    assert session.starts_at is not None
    return session.starts_at


@pytest.fixture
def people(make_member):
    """Amina (the member leaving), Olu who organises, and three colleagues, each
    with two credits earned."""
    amina, olu, *others = (
        make_member(display_name=name) for name in ("Amina", "Olu", "Bea", "Cal", "Dev")
    )
    for person in (amina, olu, *others):
        earn(person, 120)
    return amina, olu, others


# --- The download -------------------------------------------------------------


def test_the_download_holds_the_members_sessions_calendar_and_reminders(people):
    amina, olu, (bea, *_) = people
    theirs = group_session(olu, title="Journal club", policy=CreditPolicy.SHARED)
    groups.group_sign_up(session=theirs, member=amina)
    hers = group_session(amina, title="SPC for ward teams")
    groups.group_sign_up(session=hers, member=bea)
    groups.group_session_cancel(session=hers, member=amina, reason="I am on call that day.")
    token = calendar_feed_create(member=amina).feed_token
    assert token is not None
    Reminder.objects.create(
        session=theirs, member=amina, kind=Reminder.Kind.DAY_BEFORE, starts_at=starts(theirs)
    )

    data = member_data_export(member=amina)

    files = read_zip(data)
    sessions = {item["title"]: item for item in json.loads(files["sessions.json"])}
    assert set(sessions) == {"Journal club", "SPC for ward teams"}
    club = sessions["Journal club"]
    assert club["role"] == "attendee"
    assert club["seat_status"] == Seat.Status.BOOKED
    assert club["status"] == Session.Status.SCHEDULED
    assert club["place"] == "Seminar room 2"
    assert club["starts_at"] == starts(theirs).astimezone(UTC).isoformat()
    assert club["starts_at"].endswith("+00:00")
    assert club["cancel_reason"] is None
    mine = sessions["SPC for ward teams"]
    assert mine["role"] == "organiser"
    assert mine["status"] == Session.Status.CANCELLED
    assert mine["cancel_reason"] == "I am on call that day."
    assert mine["reasons_written"][0]["reason"] == "I am on call that day."
    calendar = json.loads(files["calendar.json"])
    assert calendar["feed"] is True
    assert calendar["remind_day_before"] is True
    (reminder,) = json.loads(files["reminders.json"])
    assert reminder["session_id"] == theirs.pk and reminder["kind"] == "day_before"
    # The feed's address is a secret: never in the download.
    assert token not in data.decode("latin-1")
    assert all(token not in text for text in files.values())


def test_the_download_of_a_member_without_sessions_says_so(member):
    files = read_zip(member_data_export(member=member))

    assert json.loads(files["sessions.json"]) == []
    assert json.loads(files["calendar.json"])["feed"] is False
    assert json.loads(files["reminders.json"]) == []


def test_the_download_leaves_out_other_members_reasons(people):
    amina, olu, _ = people
    session = group_session(olu, title="Journal club")
    groups.group_sign_up(session=session, member=amina)
    groups.group_session_cancel(session=session, member=olu, reason="Olu's private reason")

    files = read_zip(member_data_export(member=amina))

    assert "Olu's private reason" not in files["sessions.json"]
    (item,) = json.loads(files["sessions.json"])
    assert item["status"] == Session.Status.CANCELLED


# --- Erasure ---------------------------------------------------------------------


def test_erasure_stops_the_calendar_feed(client, people):
    amina, *_ = people
    token = calendar_feed_create(member=amina).feed_token
    url = reverse("calendar_feed", kwargs={"token": token})
    assert client.get(url).status_code == 200

    member_erase(member=amina)

    assert client.get(url).status_code == 404
    assert not CalendarSettings.objects.filter(member=amina).exists()


def test_erasure_gives_up_places_releases_holds_and_moves_the_waiting_list_up(people):
    amina, olu, (bea, cal, dev) = people
    session = group_session(olu, policy=CreditPolicy.SHARED, capacity=2, minutes=60)
    groups.group_sign_up(session=session, member=amina)
    groups.group_sign_up(session=session, member=bea)
    groups.group_sign_up(session=session, member=cal)  # waits
    other = group_session(olu, title="Coaching clinic", capacity=2)
    groups.group_sign_up(session=other, member=dev)
    groups.group_sign_up(session=other, member=bea)
    groups.group_sign_up(session=other, member=amina)  # waits
    hold = hold_of(session, amina)

    member_erase(member=amina)

    hold.refresh_from_db()
    assert hold.resolution.state == Transfer.State.VOIDED
    assert Seat.objects.get(session=session, member=amina).status == Seat.Status.LEFT
    assert Seat.objects.get(session=other, member=amina).status == Seat.Status.LEFT
    promoted = seat_of(session, cal)
    assert promoted.status == Seat.Status.BOOKED
    assert promoted.hold is not None
    assert verify_ledger().ok


def test_erasure_cancels_the_group_sessions_the_member_organises(people):
    amina, _, (bea, cal, _) = people
    ahead = group_session(amina, policy=CreditPolicy.SHARED, capacity=2)
    groups.group_sign_up(session=ahead, member=bea)
    groups.group_sign_up(session=ahead, member=cal)
    hold = hold_of(ahead, bea)

    member_erase(member=amina)

    ahead.refresh_from_db()
    assert ahead.status == Session.Status.CANCELLED
    assert ahead.cancel_reason == "The organiser has left Equitime."
    assert ahead.description == "[removed]" and ahead.benefit == "[removed]"
    hold.refresh_from_db()
    assert hold.resolution.state == Transfer.State.VOIDED
    told = Notification.objects.filter(recipient=bea, kind=Notification.Kind.GROUP_CANCELLED)
    assert told.filter(params__reason="The organiser has left Equitime.").exists()
    assert verify_ledger().ok


def test_erasure_removes_the_reasons_the_member_wrote(people):
    amina, olu, _ = people
    cancelled = group_session(amina, title="Run charts")
    groups.group_session_cancel(
        session=cancelled, member=amina, reason="Short-staffed on the ward."
    )
    held_by_olu = group_session(olu)
    groups.group_sign_up(session=held_by_olu, member=amina)
    groups.group_session_cancel(session=held_by_olu, member=olu, reason="Olu is away.")

    member_erase(member=amina)

    cancelled.refresh_from_db()
    assert cancelled.cancel_reason == "[removed]"
    assert not SessionEvent.objects.filter(reason__contains="Short-staffed").exists()
    # Another member's words stay.
    held_by_olu.refresh_from_db()
    assert held_by_olu.cancel_reason == "Olu is away."


def test_erasure_waits_while_credits_are_held_for_a_session_that_took_place(people):
    amina, olu, _ = people
    session = group_session(olu, policy=CreditPolicy.SHARED, capacity=2)
    groups.group_sign_up(session=session, member=amina)

    with time_machine.travel(starts(session) + timedelta(hours=2), tick=False):
        with pytest.raises(DomainError) as refusal:
            member_erase(member=amina)
        assert refusal.value.code == "sessions_waiting"
        assert session.title in refusal.value.message

        groups.group_attendance_record(session=session, member=olu, attended_member_ids=[])
        member_erase(member=amina)

    assert verify_ledger().ok


def test_the_download_holds_a_one_to_one_session_and_the_times_the_member_proposed(people):
    amina, olu, _ = people
    offer = listing_create(
        owner=olu,
        kind=Listing.Kind.OFFER,
        title="Survival analysis in R",
        description="One hour.",
        improvement_area=ImprovementArea.objects.get(slug="patient-safety"),
        benefit="Better evidence on readmissions.",
        estimated_minutes=60,
        format=Format.REMOTE,
    )
    exchange = exchanges.exchange_propose_from_listing(listing=offer, member=amina, minutes=60)
    session = Session.objects.create(
        kind=Session.Kind.ONE_TO_ONE, exchange=exchange, organiser=olu, title=exchange.title
    )
    at = timezone.now() + timedelta(days=3)
    ProposedTime.objects.create(
        session=session, proposed_by=amina, starts_at=at, minutes=60, place="Library"
    )

    (item,) = json.loads(read_zip(member_data_export(member=amina))["sessions.json"])

    assert item["role"] == "party"
    assert item["status"] == Session.Status.PROPOSED
    assert item["starts_at"] is None
    (proposed,) = item["times_proposed"]
    assert proposed["place"] == "Library"
    assert proposed["starts_at"] == at.astimezone(UTC).isoformat()


def test_an_organiser_whose_free_session_took_place_may_still_leave(people):
    amina, _, (bea, *_) = people
    session = group_session(amina, policy=CreditPolicy.FREE)
    groups.group_sign_up(session=session, member=bea)

    with time_machine.travel(starts(session) + timedelta(hours=2), tick=False):
        member_erase(member=amina)

    session.refresh_from_db()
    assert session.status == Session.Status.SCHEDULED  # nothing is held: nothing waits
    assert verify_ledger().ok

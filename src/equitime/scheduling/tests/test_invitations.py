"""Invitation e-mails: from the ``session_changed`` signal, on commit, one per
recipient, in the recipient's own time, with the event attached the way
Outlook, Gmail and Apple Mail read it; each revision sent once."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.db import transaction

from equitime.members.tests.factories import make_member
from equitime.scheduling.ical import event_uid
from equitime.scheduling.models import CalendarInvitation, Seat, Session
from equitime.scheduling.signals import session_changed
from equitime.scheduling.tasks import calendar_invitation_send
from equitime.scheduling.tests.calendar_support import (
    WHEN,
    cancel,
    group,
    in_zone,
    move,
    one_to_one,
    only_event,
    parsed,
    provider_of,
    receiver_of,
    seat,
)

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def announce(django_capture_on_commit_callbacks):
    """What the scheduling services do: send the signal in their transaction."""

    def run(session, recipients, *, cancel=False):
        with django_capture_on_commit_callbacks(execute=True):
            session_changed.send(
                sender=Session, session=session, recipients=recipients, cancel=cancel
            )

    return run


def mail_to(member):
    [message] = [m for m in mail.outbox if m.to == [member.email]]
    return message


def calendar_part(message):
    """The text/calendar alternative of the sent message, and the invite.ics."""
    mime = message.message()
    parts = {part.get_content_type(): part for part in mime.walk()}
    [attachment] = [p for p in mime.walk() if p.get_filename() == "invite.ics"]
    return parts["text/calendar"], attachment


def test_each_recipient_gets_an_invitation_with_the_event(announce):
    session = one_to_one()
    provider, receiver = provider_of(session), receiver_of(session)

    announce(session, [provider, receiver])

    assert sorted(m.to[0] for m in mail.outbox) == sorted([provider.email, receiver.email])
    message = mail_to(receiver)
    assert message.subject == "Invitation: Survival analysis in R, Tue 8 Dec 14:00 (London time)"
    assert "Tuesday 8 December 2026, 14:00\u201315:00 (London (GMT, UTC))" in message.body
    assert "Library, room 2" in message.body
    assert "With: Priya Provider" in message.body
    assert f"/exchanges/{session.exchange_id}/" in message.body
    [(html, _html)] = [a for a in message.alternatives if a[1] == "text/html"]
    assert "14:00\u201315:00" in html
    part, attachment = calendar_part(message)
    assert part.get_param("method") == "REQUEST"
    assert part.get_content_charset() == "utf-8"
    assert part["Content-Type"] == "text/calendar; method=REQUEST; charset=UTF-8"
    calendar, other = parsed(part.get_payload(decode=True))
    assert calendar["method"] == other.method == part.get_param("method")
    assert only_event(calendar)["uid"] == event_uid(session)
    assert attachment.get_content_type() == "application/ics"
    assert parsed(attachment.get_payload(decode=True))[0]["method"] == "REQUEST"
    assert CalendarInvitation.objects.filter(session=session, sent_at__isnull=False).count() == 2


@pytest.mark.parametrize(
    ("zone", "subject_time", "label"),
    [
        ("Europe/London", "Tue 8 Dec 14:00 (London time)", "London (GMT, UTC)"),
        ("America/Toronto", "Tue 8 Dec 09:00 (Toronto time)", "Toronto (EST, UTC\u22125)"),
        ("Asia/Kolkata", "Tue 8 Dec 19:30 (Kolkata time)", "Kolkata (IST, UTC+5:30)"),
    ],
)
def test_the_time_is_the_recipients_own(announce, zone, subject_time, label):
    receiver = in_zone(make_member(display_name="Rob Receiver"), zone)
    session = one_to_one(receiver=receiver)

    announce(session, [receiver])

    message = mail_to(receiver)
    assert message.subject == f"Invitation: Survival analysis in R, {subject_time}"
    assert f"({label})" in message.body
    # The file is in UTC whatever the reader's zone.
    part, _ = calendar_part(message)
    assert only_event(parsed(part.get_payload(decode=True))[0])["dtstart"].dt == WHEN


def test_a_move_across_a_clock_change_is_told_in_each_zones_new_time(announce):
    """London leaves summer time on 25 October 2026, Toronto on 1 November."""
    london = in_zone(make_member(display_name="Lon"), "Europe/London")
    toronto = in_zone(make_member(display_name="Tor"), "America/Toronto")
    kolkata = in_zone(make_member(display_name="Kol"), "Asia/Kolkata")
    session = group(
        organiser=london,
        attendees=[toronto, kolkata],
        starts_at=datetime(2026, 10, 20, 13, tzinfo=UTC),
    )
    announce(session, [london, toronto, kolkata])
    first = {m.to[0]: m.subject for m in mail.outbox}
    mail.outbox.clear()

    move(session, datetime(2026, 11, 3, 13, tzinfo=UTC))
    announce(session, [london, toronto, kolkata])

    title = "Journal club: frailty"
    assert first[london.email] == f"Invitation: {title}, Tue 20 Oct 14:00 (London time)"
    assert first[toronto.email] == f"Invitation: {title}, Tue 20 Oct 09:00 (Toronto time)"
    assert first[kolkata.email] == f"Invitation: {title}, Tue 20 Oct 18:30 (Kolkata time)"
    assert mail_to(london).subject == f"Updated: {title}, Tue 3 Nov 13:00 (London time)"
    assert mail_to(toronto).subject == f"Updated: {title}, Tue 3 Nov 08:00 (Toronto time)"
    assert mail_to(kolkata).subject == f"Updated: {title}, Tue 3 Nov 18:30 (Kolkata time)"
    assert "(Toronto (EST, UTC\u22125))" in mail_to(toronto).body
    part, _ = calendar_part(mail_to(toronto))
    event = only_event(parsed(part.get_payload(decode=True))[0])
    assert event["sequence"] == 1 and event["uid"] == event_uid(session)


def test_a_cancellation_is_a_cancel_with_the_same_uid(announce):
    session = one_to_one()
    receiver = receiver_of(session)
    cancel(session, by=session.organiser)

    announce(session, [receiver], cancel=True)

    message = mail_to(receiver)
    assert message.subject == "Cancelled: Survival analysis in R, Tue 8 Dec 14:00 (London time)"
    assert "is cancelled" in message.body and "Ward too busy" in message.body
    part, _attachment = calendar_part(message)
    assert part.get_param("method") == "CANCEL"
    calendar, other = parsed(part.get_payload(decode=True))
    assert calendar["method"] == other.method == "CANCEL"
    event = only_event(calendar)
    assert (event["uid"], event["sequence"]) == (event_uid(session), 1)
    assert str(event["status"]) == "CANCELLED"


def test_a_member_who_gave_up_a_place_is_told_it_leaves_their_calendar(announce):
    leaver = make_member(display_name="Leo")
    session = group(attendees=[make_member()])
    seat(session, leaver, Seat.Status.LEFT)

    announce(session, [leaver], cancel=True)

    message = mail_to(leaver)
    assert message.subject.startswith("Cancelled: Journal club: frailty")
    assert "You gave up your place" in message.body
    assert calendar_part(message)[0].get_param("method") == "CANCEL"


def test_nothing_is_sent_when_the_change_is_rolled_back(django_capture_on_commit_callbacks):
    session = one_to_one()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        session_changed.send(
            sender=Session, session=session, recipients=[session.organiser], cancel=False
        )

    assert len(callbacks) == 1  # waits for the commit
    assert mail.outbox == []


def test_a_task_run_twice_sends_once(announce):
    session = one_to_one()
    receiver = receiver_of(session)
    announce(session, [receiver])
    arguments: dict[str, Any] = {
        "session_id": session.pk,
        "member_id": receiver.pk,
        "sequence": 0,
        "cancel": False,
    }

    assert calendar_invitation_send.call(**arguments) == "sent already"
    announce(session, [receiver])

    assert len(mail.outbox) == 1
    row = CalendarInvitation.objects.get(session=session, member=receiver)
    assert (row.sequence, row.cancel, row.attempts) == (0, False, 1)


def test_each_revision_and_the_cancellation_are_sent(announce):
    session = one_to_one()
    receiver = receiver_of(session)

    announce(session, [receiver])
    move(session, WHEN + timedelta(hours=1))
    announce(session, [receiver])
    cancel(session, by=session.organiser)
    announce(session, [receiver], cancel=True)

    subjects = [m.subject.split(":")[0] for m in mail.outbox]
    assert subjects == ["Invitation", "Updated", "Cancelled"]


def test_inactive_members_get_nothing(announce):
    session = one_to_one()
    receiver = receiver_of(session)
    type(receiver).objects.filter(pk=receiver.pk).update(is_active=False)

    announce(session, [session.organiser, receiver])

    assert [m.to for m in mail.outbox] == [[session.organiser.email]]
    assert not CalendarInvitation.objects.filter(member=receiver).exists()


def test_an_invitation_outrun_by_a_cancellation_or_a_departure_is_not_sent():
    session = group(attendees=[])
    leaver = make_member()
    seat(session, leaver, Seat.Status.LEFT)
    arguments: dict[str, Any] = {"session_id": session.pk, "sequence": 0, "cancel": False}

    assert calendar_invitation_send.call(member_id=leaver.pk, **arguments) == (
        "no longer in the session"
    )
    cancel(session, by=session.organiser)
    assert calendar_invitation_send.call(member_id=session.organiser.pk, **arguments) == (
        "superseded by the cancellation"
    )
    assert mail.outbox == []


def test_a_failed_send_is_counted_and_tried_again(announce, settings, monkeypatch):
    settings.EQUITIME_EMAIL_ATTEMPTS = 2
    session = one_to_one()
    receiver = receiver_of(session)

    def refuse(self, fail_silently=False):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)
    with pytest.raises(ConnectionRefusedError):
        calendar_invitation_send.call(
            session_id=session.pk, member_id=receiver.pk, sequence=0, cancel=False
        )

    row = CalendarInvitation.objects.get(session=session, member=receiver)
    # The first attempt and its immediate retry (the test queue cannot wait).
    assert row.attempts == 2 and row.sent_at is None
    assert row.error == "ConnectionRefusedError: mail server down"
    monkeypatch.undo()
    with transaction.atomic():
        assert (
            calendar_invitation_send.call(
                session_id=session.pk, member_id=receiver.pk, sequence=0, cancel=False
            )
            == "sent"
        )
    assert len(mail.outbox) == 1


# --- The member's e-mail preferences (notifications.preferences) ----------------------


def _turn_off(member, kind):
    from equitime.notifications.services import notification_preferences_set

    notification_preferences_set(member=member, emails={kind: False})


def test_a_member_who_turned_scheduled_sessions_off_gets_no_invitation(announce):
    session = one_to_one()
    provider, receiver = provider_of(session), receiver_of(session)
    _turn_off(receiver, "session_scheduled")

    announce(session, [provider, receiver])

    assert [m.to for m in mail.outbox] == [[provider.email]]
    assert not CalendarInvitation.objects.filter(member=receiver).exists()


def test_moves_and_cancellations_follow_their_own_kinds(announce):
    session = one_to_one()
    receiver = receiver_of(session)
    _turn_off(receiver, "session_cancelled")
    assert session.starts_at is not None
    move(session, session.starts_at + timedelta(days=1))
    announce(session, [receiver])
    assert [m.subject.split(":")[0] for m in mail.outbox] == ["Updated"]

    cancel(session, by=session.organiser)
    announce(session, [receiver], cancel=True)
    assert [m.subject.split(":")[0] for m in mail.outbox] == ["Updated"]


def test_a_group_place_follows_the_group_place_kind(announce):
    attendee = make_member(display_name="Ada")
    session = group(attendees=[attendee])
    _turn_off(attendee, "group_place")

    announce(session, [attendee])

    assert mail.outbox == []


def test_an_invitation_carries_one_click_unsubscribe_for_its_kind(announce):
    from equitime.core.unsubscribe import unsubscribe_read

    session = one_to_one()
    receiver = receiver_of(session)
    announce(session, [receiver])

    message = mail_to(receiver)
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = message.extra_headers["List-Unsubscribe"].strip("<>")
    token = link.rstrip("/").rsplit("/", 1)[-1]
    assert unsubscribe_read(token) == (receiver.pk, "session_scheduled")
    assert link in message.body

"""Scheduling's retention: reasons go with the messages, delivery records with the
notifications; sessions, their timelines' facts and seats stay."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from equitime.jobs.retention import retention_apply
from equitime.scheduling import groups
from equitime.scheduling.models import CalendarInvitation, Reminder, Session, SessionEvent
from equitime.scheduling.retention import (
    calendar_invitation_purge_expired,
    reminder_purge_expired,
    session_reasons_blank_expired,
)
from equitime.scheduling.tests.factories import group_session

pytestmark = pytest.mark.django_db

MESSAGES = timedelta(days=settings.EQUITIME_RETENTION["messages_days"])
NOTIFICATIONS = timedelta(days=settings.EQUITIME_RETENTION["notifications_days"])


def cancelled(organiser, reason="Short-staffed that week."):
    session = group_session(organiser)
    return groups.group_session_cancel(session=session, member=organiser, reason=reason)


def test_reasons_are_blanked_once_the_message_period_has_passed_since_the_end(organiser):
    old = cancelled(organiser)
    later = timezone.now() + MESSAGES + timedelta(days=1)
    recent = cancelled(organiser, reason="Room double-booked.")
    Session.objects.filter(pk=recent.pk).update(cancelled_at=later - timedelta(days=1))

    assert session_reasons_blank_expired(now=later) == 1

    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.cancel_reason == ""
    assert not SessionEvent.objects.filter(session=old).exclude(reason="").exists()
    assert old.status == Session.Status.CANCELLED  # the facts stay
    assert SessionEvent.objects.filter(session=old, verb=SessionEvent.Verb.CANCEL).exists()
    assert recent.cancel_reason == "Room double-booked."
    assert session_reasons_blank_expired(now=later) == 0


def test_a_session_cancelled_within_the_period_keeps_its_reason(organiser):
    session = cancelled(organiser)

    assert session_reasons_blank_expired(now=timezone.now() + MESSAGES - timedelta(days=1)) == 0
    session.refresh_from_db()
    assert session.cancel_reason


def test_reminders_and_invitations_go_after_the_notification_period(organiser, make_member):
    session = group_session(organiser)
    now = timezone.now()
    assert session.starts_at is not None
    old = Reminder.objects.create(
        session=session,
        member=organiser,
        kind=Reminder.Kind.DAY_BEFORE,
        starts_at=session.starts_at,
        sent_at=now,
    )
    new = Reminder.objects.create(
        session=session,
        member=organiser,
        kind=Reminder.Kind.HOUR_BEFORE,
        starts_at=session.starts_at,
        sent_at=now + NOTIFICATIONS,
    )
    sent = CalendarInvitation.objects.create(
        session=session, member=organiser, sequence=0, sent_at=now
    )
    never_sent = CalendarInvitation.objects.create(
        session=session, member=make_member(), sequence=0, error="Mailbox full"
    )
    kept = CalendarInvitation.objects.create(
        session=session, member=organiser, sequence=1, sent_at=now + NOTIFICATIONS
    )
    later = now + NOTIFICATIONS + timedelta(days=1)

    assert reminder_purge_expired(now=later) == 1
    assert calendar_invitation_purge_expired(now=later) == 2

    assert list(Reminder.objects.all()) == [new]
    assert list(CalendarInvitation.objects.all()) == [kept]
    assert not Reminder.objects.filter(pk=old.pk).exists()
    assert not CalendarInvitation.objects.filter(pk__in=[sent.pk, never_sent.pk]).exists()


def test_the_daily_run_applies_them(organiser):
    session = cancelled(organiser)
    Reminder.objects.create(
        session=session, member=organiser, kind=Reminder.Kind.DAY_BEFORE, starts_at=timezone.now()
    )
    later = timezone.now() + max(MESSAGES, NOTIFICATIONS) + timedelta(days=1)

    dry = {o.rule.kind: o.count for o in retention_apply(now=later, dry_run=True)}
    assert dry["session reasons"] == 1
    assert dry["session reminders"] == 1
    outcomes = {o.rule.kind: o.count for o in retention_apply(now=later)}

    assert outcomes["session reasons"] == 1
    assert outcomes["session reminders"] == 1
    session.refresh_from_db()
    assert session.cancel_reason == ""
    assert not Reminder.objects.exists()

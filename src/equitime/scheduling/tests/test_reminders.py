"""Reminders before a session and the nudge after it: once each, on time, on
each recipient's own clock, as each recipient asked.

Sessions are made directly with the models (the services that schedule them
are another part's); the clock is frozen with ``time_machine``.
"""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from equitime.core.locale import speaking_to
from equitime.core.testing import race
from equitime.exchanges.models import Status
from equitime.exchanges.tests.factories import exchange_at
from equitime.jobs.schedule import SCHEDULE
from equitime.listings.tests.factories import listing as make_listing
from equitime.members import roles
from equitime.members.models import Profile
from equitime.members.services import member_role_grant
from equitime.members.tests.factories import make_member
from equitime.moderation.services import member_suspend
from equitime.notifications.models import Notification
from equitime.scheduling.models import CalendarSettings, CreditPolicy, Reminder, Seat, Session
from equitime.scheduling.reminders import _send_once, reminders_send_due

# Monday 7 December 2026, 14:00 UTC (winter: London on GMT, Toronto on EST).
START = datetime(2026, 12, 7, 14, 0, tzinfo=UTC)
REMINDER = Notification.Kind.SESSION_REMINDER


def in_zone(member, zone: str):
    Profile.objects.filter(member=member).update(time_zone=zone)
    return type(member).objects.get(pk=member.pk)


def exchange_between(provider_zone="Europe/London", receiver_zone="Europe/London", **kwargs):
    provider = in_zone(make_member(display_name="Priya Provider"), provider_zone)
    receiver = in_zone(make_member(display_name="Rob Receiver"), receiver_zone)
    listing = make_listing(provider, title="Run charts for QI")
    return exchange_at(Status.ACCEPTED, listing=listing, receiver=receiver, **kwargs)


def one_to_one(exchange, starts_at=START, minutes=60, status=Session.Status.SCHEDULED):
    return Session.objects.create(
        kind=Session.Kind.ONE_TO_ONE,
        exchange=exchange,
        organiser=exchange.provider,
        title=exchange.title,
        status=status,
        starts_at=starts_at,
        minutes=minutes,
        place="Library, Seminar Room 2",
    )


def run(at: datetime) -> str:
    with time_machine.travel(at, tick=False):
        return reminders_send_due(now=at)


def reminders_to(member, kind=REMINDER) -> list[str]:
    # Each reads them on their own clock: the time is put there when read.
    with speaking_to(member):
        return [
            notification.message
            for notification in Notification.objects.filter(recipient=member, kind=kind).order_by(
                "pk"
            )
        ]


@pytest.fixture
def session(db):
    return one_to_one(exchange_between())


@pytest.mark.django_db
class TestOnceEach:
    def test_the_day_before_then_the_hour_before_each_once_however_often_it_runs(self, session):
        provider, receiver = session.exchange.provider, session.exchange.receiver

        assert run(START - timedelta(hours=25)).startswith("sent 0 day-before")
        assert reminders_to(receiver) == []
        assert run(START - timedelta(hours=24, minutes=1)).startswith("sent 0 day-before")

        assert run(START - timedelta(hours=24)).startswith("sent 2 day-before")
        for minutes_later in (5, 10, 300):
            run(START - timedelta(hours=24) + timedelta(minutes=minutes_later))
        assert len(reminders_to(provider)) == len(reminders_to(receiver)) == 1

        assert "and 2 hour-before" in run(START - timedelta(minutes=58))
        run(START - timedelta(minutes=53))
        run(START - timedelta(minutes=1))
        assert len(reminders_to(provider)) == len(reminders_to(receiver)) == 2
        assert Reminder.objects.filter(session=session).count() == 4
        day, hour = reminders_to(receiver)
        assert day.startswith("Reminder: your session with Priya Provider, “Run charts for QI”")
        assert hour.startswith("Your session with Priya Provider, “Run charts for QI”, starts soon")
        assert reminders_to(provider)[0].startswith("Reminder: your session with Rob Receiver")

    def test_a_reminder_links_to_the_exchange(self, session):
        run(START - timedelta(hours=2))

        note = Notification.objects.get(recipient=session.exchange.receiver, kind=REMINDER)
        assert note.url == reverse("exchange_detail", args=[session.exchange.pk])
        assert note.exchange == session.exchange

    def test_a_reminder_already_written_by_another_worker_is_not_sent_again(self, session):
        receiver = session.exchange.receiver
        Reminder.objects.create(
            session=session, member=receiver, kind=Reminder.Kind.DAY_BEFORE, starts_at=START
        )

        assert not _send_once(session, receiver, Reminder.Kind.DAY_BEFORE, now=START)
        run(START - timedelta(hours=3))

        assert reminders_to(receiver) == []
        assert len(reminders_to(session.exchange.provider)) == 1

    def test_the_job_is_on_the_worker_schedule_every_five_minutes(self):
        [job] = [job for job in SCHEDULE if job.name == "send_session_reminders"]
        assert job.every == timedelta(minutes=5)
        assert job.run(START).startswith("sent 0 day-before")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_at_once_send_each_reminder_once():
    sessions = [one_to_one(exchange_between()) for _ in range(3)]
    at = START - timedelta(minutes=30)

    def worker(n):
        return reminders_send_due(now=at)

    race(worker, 2)

    for session in sessions:
        for member in (session.exchange.provider, session.exchange.receiver):
            assert len(reminders_to(member)) == 1
    assert Reminder.objects.count() == 6


@pytest.mark.django_db
class TestWhen:
    def test_a_cancelled_session_is_never_reminded(self, session):
        Session.objects.filter(pk=session.pk).update(
            status=Session.Status.CANCELLED, cancelled_at=START - timedelta(days=2)
        )
        run(START - timedelta(hours=23))
        run(START - timedelta(minutes=30))

        assert Notification.objects.filter(kind=REMINDER).count() == 0

    def test_a_session_whose_exchange_was_cancelled_is_not_reminded(self, session):
        exchange_at(Status.CANCELLED, exchange=session.exchange)
        run(START - timedelta(minutes=30))

        assert Notification.objects.filter(kind=REMINDER).count() == 0

    def test_a_session_moved_later_is_reminded_again_for_its_new_start(self, session):
        receiver = session.exchange.receiver
        run(START - timedelta(hours=23))
        later = START + timedelta(hours=3)
        Session.objects.filter(pk=session.pk).update(starts_at=later, sequence=1)

        run(START - timedelta(hours=20))

        first, second = reminders_to(receiver)
        assert "14:00" in first
        assert "17:00" in second
        assert set(
            Reminder.objects.filter(member=receiver).values_list("starts_at", flat=True)
        ) == {START, later}

    def test_nothing_is_sent_late_once_the_session_has_started(self, session):
        run(START + timedelta(minutes=5))  # the worker was down all day

        assert Notification.objects.filter(kind=REMINDER).count() == 0

    def test_a_worker_back_within_the_hour_sends_only_the_hour_reminder(self, session):
        run(START - timedelta(minutes=40))

        [message] = reminders_to(session.exchange.receiver)
        assert "starts soon" in message
        assert set(Reminder.objects.values_list("kind", flat=True)) == {"hour_before"}

    def test_the_day_reminder_gives_way_to_the_hour_one_just_before_the_hour(self, session):
        run(START - timedelta(minutes=70))
        assert Notification.objects.filter(kind=REMINDER).count() == 0

        run(START - timedelta(minutes=60))
        assert Notification.objects.filter(kind=REMINDER).count() == 2


@pytest.mark.django_db
class TestWho:
    def test_each_member_gets_the_reminders_they_asked_for(self, session):
        provider, receiver = session.exchange.provider, session.exchange.receiver
        CalendarSettings.objects.create(member=provider, remind_day_before=False)
        CalendarSettings.objects.create(member=receiver, remind_hour_before=False)

        run(START - timedelta(hours=23))
        run(START - timedelta(minutes=55))

        [provider_note] = reminders_to(provider)
        [receiver_note] = reminders_to(receiver)
        assert "starts soon" in provider_note
        assert receiver_note.startswith("Reminder:")

    def test_with_only_the_day_reminder_it_comes_even_just_before_the_hour(self, session):
        receiver = session.exchange.receiver
        CalendarSettings.objects.create(member=receiver, remind_hour_before=False)

        run(START - timedelta(minutes=70))

        assert len(reminders_to(receiver)) == 1
        assert reminders_to(session.exchange.provider) == []

    def test_a_member_who_wants_none_gets_none(self, session):
        CalendarSettings.objects.create(
            member=session.exchange.receiver, remind_day_before=False, remind_hour_before=False
        )
        run(START - timedelta(hours=23))
        run(START - timedelta(minutes=55))

        assert reminders_to(session.exchange.receiver) == []
        assert len(reminders_to(session.exchange.provider)) == 2

    def test_suspended_and_inactive_members_are_skipped(self, session):
        moderator = member_role_grant(
            member=make_member(display_name="Mo Moderator"), role=roles.MODERATOR, by=None
        )
        member_suspend(member=session.exchange.receiver, by=moderator, reason="Spam")
        type(moderator).objects.filter(pk=session.exchange.provider_id).update(is_active=False)

        run(START - timedelta(hours=23))

        assert Notification.objects.filter(kind=REMINDER).count() == 0
        assert not Reminder.objects.exists()

    def test_a_group_session_reminds_its_organiser_and_booked_places_only(self):
        organiser = make_member(display_name="Olu Organiser")
        booked, waiting, left = (make_member() for _ in range(3))
        group = Session.objects.create(
            kind=Session.Kind.GROUP,
            organiser=organiser,
            title="Journal club: run charts",
            capacity=1,
            credit_policy=CreditPolicy.FREE,
            status=Session.Status.SCHEDULED,
            starts_at=START,
            minutes=60,
            place="Education Centre",
        )
        Seat.objects.create(session=group, member=booked, status=Seat.Status.BOOKED)
        Seat.objects.create(session=group, member=waiting, status=Seat.Status.WAITING)
        Seat.objects.create(session=group, member=left, status=Seat.Status.LEFT)

        run(START - timedelta(hours=5))

        assert (
            reminders_to(organiser)
            == reminders_to(booked)
            == [
                "Reminder: the group session “Journal club: run charts” is on Monday 7 December "
                "at 14:00 London time (GMT, UTC)."
            ]
        )
        assert reminders_to(waiting) == reminders_to(left) == []
        assert Notification.objects.get(recipient=booked).exchange is None


@pytest.mark.django_db
class TestEachOnTheirOwnClock:
    def test_london_kolkata_and_toronto_in_winter(self):
        session = one_to_one(exchange_between("Asia/Kolkata", "America/Toronto"))
        run(START - timedelta(hours=20))

        [provider] = reminders_to(session.exchange.provider)
        [receiver] = reminders_to(session.exchange.receiver)
        assert provider.endswith("is on Monday 7 December at 19:30 Kolkata time (IST, UTC+5:30).")
        assert receiver.endswith("is on Monday 7 December at 09:00 Toronto time (EST, UTC\u22125).")

    @pytest.mark.parametrize(
        ("starts", "sent", "toronto_reads", "london_reads"),
        [
            # Toronto moved to EDT at 07:00 UTC on 8 March 2026; London stays on
            # GMT until the 29th. Reminded on the 7th, still on EST: the start's
            # own offset is the one shown.
            (
                datetime(2026, 3, 8, 15, 0, tzinfo=UTC),
                datetime(2026, 3, 7, 20, 0, tzinfo=UTC),
                "on Sunday 8 March at 11:00 Toronto time (EDT, UTC\u22124).",
                "on Sunday 8 March at 15:00 London time (GMT, UTC).",
            ),
            (
                datetime(2026, 3, 9, 14, 0, tzinfo=UTC),
                datetime(2026, 3, 8, 16, 0, tzinfo=UTC),
                "on Monday 9 March at 10:00 Toronto time (EDT, UTC\u22124).",
                "on Monday 9 March at 14:00 London time (GMT, UTC).",
            ),
        ],
    )
    def test_toronto_across_its_clocks_going_forward(
        self, starts, sent, toronto_reads, london_reads
    ):
        session = one_to_one(exchange_between("America/Toronto", "Europe/London"), starts)

        run(sent)

        [toronto] = reminders_to(session.exchange.provider)
        [london] = reminders_to(session.exchange.receiver)
        assert toronto.endswith(toronto_reads)
        assert london.endswith(london_reads)

    def test_london_on_the_day_its_clocks_go_forward(self):
        # 29 March 2026: 01:00 GMT becomes 02:00 BST. Reminded the day before, on GMT.
        starts = datetime(2026, 3, 29, 13, 0, tzinfo=UTC)
        session = one_to_one(exchange_between("Europe/London", "Asia/Kolkata"), starts)

        run(datetime(2026, 3, 28, 14, 0, tzinfo=UTC))
        run(starts - timedelta(minutes=45))

        london_day, london_hour = reminders_to(session.exchange.provider)
        kolkata_day, _ = reminders_to(session.exchange.receiver)
        assert london_day.endswith("on Sunday 29 March at 14:00 London time (BST, UTC+1).")
        assert london_hour.endswith("starts soon: 14:00 London time (BST, UTC+1).")
        assert kolkata_day.endswith("on Sunday 29 March at 18:30 Kolkata time (IST, UTC+5:30).")


@pytest.mark.django_db
class TestLogTheHours:
    def test_the_provider_is_nudged_once_when_the_session_is_over(self, session):
        provider, receiver = session.exchange.provider, session.exchange.receiver
        run(START + timedelta(minutes=30))  # still going
        assert reminders_to(provider, Notification.Kind.SESSION_LOG_HOURS) == []

        summary = run(START + timedelta(minutes=60))
        run(START + timedelta(minutes=65))
        run(START + timedelta(days=1))

        assert "1 log-hours nudge(s); 1 session(s) held" in summary
        [nudge] = reminders_to(provider, Notification.Kind.SESSION_LOG_HOURS)
        assert nudge == (
            "Your session with Rob Receiver, “Run charts for QI”, is over: log the hours you "
            "gave so that Rob Receiver can confirm them."
        )
        note = Notification.objects.get(kind=Notification.Kind.SESSION_LOG_HOURS)
        assert note.url == reverse("exchange_detail", args=[session.exchange.pk])
        assert reminders_to(receiver, Notification.Kind.SESSION_LOG_HOURS) == []
        session.refresh_from_db()
        assert session.status == Session.Status.HELD
        assert session.sequence == 1
        assert Reminder.objects.filter(kind=Reminder.Kind.LOG_HOURS).count() == 1

    def test_hours_already_logged_need_no_nudge_but_the_session_was_held(self, session):
        exchange_at(Status.DELIVERED, exchange=session.exchange)

        assert run(START + timedelta(hours=2)).endswith("0 log-hours nudge(s); 1 session(s) held")

        assert not Notification.objects.filter(kind=Notification.Kind.SESSION_LOG_HOURS).exists()
        session.refresh_from_db()
        assert session.status == Session.Status.HELD

    def test_a_cancelled_session_is_neither_nudged_nor_held(self, session):
        Session.objects.filter(pk=session.pk).update(
            status=Session.Status.CANCELLED, cancelled_at=START - timedelta(days=1)
        )
        run(START + timedelta(hours=2))

        session.refresh_from_db()
        assert session.status == Session.Status.CANCELLED
        assert not Notification.objects.filter(kind=Notification.Kind.SESSION_LOG_HOURS).exists()


@pytest.mark.django_db
def test_a_member_who_turned_reminder_emails_off_is_reminded_in_the_app_only(
    django_capture_on_commit_callbacks,
):
    from django.core import mail

    from equitime.notifications.services import notification_preferences_set

    exchange = exchange_between()
    one_to_one(exchange)
    notification_preferences_set(member=exchange.receiver, emails={REMINDER: False})
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        run(START - timedelta(hours=20))

    assert len(reminders_to(exchange.receiver)) == 1
    assert len(reminders_to(exchange.provider)) == 1
    assert [m.to for m in mail.outbox] == [[exchange.provider.email]]

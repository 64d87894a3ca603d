"""Reminders before a session, and a nudge to log the hours after one.

Run every few minutes by the worker (``jobs.schedule``: ``send_session_reminders``)::

    scheduled session, start within 24 h   ──► "24 hours before"  to each attendee
                       start within  1 h   ──► "1 hour before"    to each attendee
    one-to-one session over, exchange still
    accepted (no hours logged)             ──► "log the hours"    to the provider;
                                               the session is held

Attendees: a one-to-one session's two parties while its exchange is proposed
or accepted; a group session's organiser and the members with a booked seat.
Each is told only what their ``CalendarSettings`` ask for (no row: both
reminders), and only while they are active (a suspended member is inactive).

Once only: each reminder is a ``Reminder`` row, unique per (session, member,
kind, start), written in the same transaction as the notification it sends,
and written first: when two workers race, the database lets one insert
through and the other skips. The start is part of the key, so a session moved
is reminded again for its new start; a cancelled one is no longer scheduled,
so never reminded.

Never late: a session that has started is not reminded (the worker was down
meanwhile); a "24 hours before" reminder that would arrive within
``DAY_BEFORE_SKIPPED_WITHIN`` of the start gives way to the "1 hour before"
one, when the member asked for that one.

Each message is written on its recipient's clock, the zone named ("19:30
Kolkata time (IST, UTC+5:30)"), whichever zone the worker runs in.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F, Prefetch, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from equitime.core.locale import speaking_to
from equitime.core.zones import zone_city, zone_of, zone_offset_label
from equitime.exchanges.models import Status as ExchangeStatus
from equitime.members.models import Member
from equitime.notifications.models import Notification
from equitime.notifications.services import notify
from equitime.scheduling.models import CalendarSettings, Reminder, Seat, Session

DAY_BEFORE = timedelta(hours=24)
HOUR_BEFORE = timedelta(hours=1)
# Closer than this to the start (an hour and a quarter), the hour-before
# reminder is minutes away: one reminder, not two in a row.
DAY_BEFORE_SKIPPED_WITHIN = HOUR_BEFORE + HOUR_BEFORE / 4

# A one-to-one session is reminded while its exchange may still happen.
REMINDED_EXCHANGES = (ExchangeStatus.PROPOSED, ExchangeStatus.ACCEPTED)
# A one-to-one session whose time has passed was held, unless its exchange
# never went ahead (then it stays as it is, for its own cancellation).
HELD_EXCHANGES = (
    ExchangeStatus.ACCEPTED,
    ExchangeStatus.DELIVERED,
    ExchangeStatus.COMPLETED,
    ExchangeStatus.DISPUTED,
    ExchangeStatus.VOIDED,
    ExchangeStatus.REVERSED,
)


@dataclass(frozen=True)
class Preferences:
    day_before: bool = True
    hour_before: bool = True


def reminders_send_due(*, now: datetime) -> str:
    """Send every reminder due at ``now``, nudge providers whose sessions are
    over, and say what was done in one line. Safe to run again and from
    several workers at once: nothing is sent twice."""
    day, hour = _remind_upcoming(now=now)
    nudged, held = _nudge_log_hours(now=now)
    return (
        f"sent {day} day-before and {hour} hour-before reminder(s); "
        f"{nudged} log-hours nudge(s); {held} session(s) held"
    )


# --- Before ------------------------------------------------------------------------------


def sessions_to_remind(*, now: datetime) -> list[Session]:
    """Scheduled sessions starting within the next 24 hours, with whom to tell."""
    return list(
        Session.objects.filter(
            Q(kind=Session.Kind.GROUP) | Q(exchange__status__in=REMINDED_EXCHANGES),
            status=Session.Status.SCHEDULED,
            starts_at__gt=now,
            starts_at__lte=now + DAY_BEFORE,
        )
        .select_related(
            "organiser__profile", "exchange__provider__profile", "exchange__receiver__profile"
        )
        .prefetch_related(
            Prefetch(
                "seats",
                queryset=Seat.objects.filter(status=Seat.Status.BOOKED).select_related(
                    "member__profile"
                ),
                to_attr="booked_seats",
            )
        )
        .order_by("starts_at", "pk")
    )


def attendees(session: Session) -> list[Member]:
    """Who is told of ``session``: its two parties, or its organiser and booked seats."""
    if session.kind == Session.Kind.ONE_TO_ONE:
        assert session.exchange is not None  # a CHECK constraint says so
        people = [session.exchange.provider, session.exchange.receiver]
    else:
        people = [session.organiser, *(seat.member for seat in session.booked_seats)]  # type: ignore[attr-defined]  # prefetched
    seen: set[int] = set()
    unique = []
    for person in people:
        if person.pk not in seen:
            seen.add(person.pk)
            unique.append(person)
    return unique


def preferences_of(members: Iterable[Member]) -> dict[int, Preferences]:
    """Each member's reminder choices; a member with no settings gets both."""
    ids = {member.pk for member in members}
    chosen = {
        row.member_id: Preferences(row.remind_day_before, row.remind_hour_before)
        for row in CalendarSettings.objects.filter(member_id__in=ids)
    }
    return {pk: chosen.get(pk, Preferences()) for pk in ids}


def _due_kinds(session: Session, preferences: Preferences, *, now: datetime) -> Iterator[str]:
    assert session.starts_at is not None  # scheduled: a CHECK constraint says so
    ahead = session.starts_at - now
    if ahead <= HOUR_BEFORE and preferences.hour_before:
        yield Reminder.Kind.HOUR_BEFORE
    # Within the hour, or just before it when the hour's reminder will come, too late.
    too_late = ahead <= (DAY_BEFORE_SKIPPED_WITHIN if preferences.hour_before else HOUR_BEFORE)
    if preferences.day_before and not too_late:
        yield Reminder.Kind.DAY_BEFORE


def _remind_upcoming(*, now: datetime) -> tuple[int, int]:
    sessions = sessions_to_remind(now=now)
    people = {session.pk: attendees(session) for session in sessions}
    preferences = preferences_of(member for group in people.values() for member in group)
    sent = Reminder.objects.filter(session__in=sessions).values_list(
        "session_id", "member_id", "kind", "starts_at"
    )
    already = set(sent)
    counts: dict[str, int] = {Reminder.Kind.DAY_BEFORE: 0, Reminder.Kind.HOUR_BEFORE: 0}
    for session in sessions:
        for member in people[session.pk]:
            if not member.is_active:
                continue
            for kind in _due_kinds(session, preferences[member.pk], now=now):
                if (session.pk, member.pk, kind, session.starts_at) in already:
                    continue
                if _send_once(session, member, kind, now=now):
                    counts[kind] += 1
    return counts[Reminder.Kind.DAY_BEFORE], counts[Reminder.Kind.HOUR_BEFORE]


def _send_once(session: Session, member: Member, kind: str, *, now: datetime) -> bool:
    """Write the reminder's row, then its notification, in one transaction;
    False if the row was there (another worker sent it)."""
    assert session.starts_at is not None
    try:
        with transaction.atomic():
            Reminder.objects.create(
                session=session, member=member, kind=kind, starts_at=session.starts_at, sent_at=now
            )
            notify(
                recipient=member,
                kind=_NOTIFICATION_KIND[kind],
                message=reminder_message(session, member, kind),
                url=session_url(session),
                exchange=session.exchange,
            )
    except IntegrityError:
        return False
    return True


_NOTIFICATION_KIND: dict[str, str] = {
    Reminder.Kind.DAY_BEFORE: Notification.Kind.SESSION_REMINDER,
    Reminder.Kind.HOUR_BEFORE: Notification.Kind.SESSION_REMINDER,
    Reminder.Kind.LOG_HOURS: Notification.Kind.SESSION_LOG_HOURS,
}


def _other_party(session: Session, member: Member) -> Member:
    assert session.exchange is not None
    exchange = session.exchange
    return exchange.receiver if exchange.provider_id == member.pk else exchange.provider


def reminder_message(session: Session, member: Member, kind: str) -> str:
    """One sentence in ``member``'s language and on their clock: the day, the
    time, the zone named (``core.locale.speaking_to``)."""
    with speaking_to(member):
        return _reminder_message(session, member, kind)


def _reminder_message(session: Session, member: Member, kind: str) -> str:
    assert session.starts_at is not None
    zone = zone_of(member)
    local = timezone.localtime(session.starts_at, zone)
    when = {
        "title": session_title(session),
        "day": date_format(local, "l j F"),
        "time": date_format(local, "H:i"),
        "city": zone_city(zone),
        "offset": zone_offset_label(zone, session.starts_at),
    }
    if session.kind == Session.Kind.ONE_TO_ONE:
        when["name"] = _other_party(session, member).display_name
        if kind == Reminder.Kind.DAY_BEFORE:
            text = _(
                "Reminder: your session with %(name)s, “%(title)s”, is on %(day)s "
                "at %(time)s %(city)s time (%(offset)s)."
            )
        else:
            text = _(
                "Your session with %(name)s, “%(title)s”, starts soon: "
                "%(time)s %(city)s time (%(offset)s)."
            )
    elif kind == Reminder.Kind.DAY_BEFORE:
        text = _(
            "Reminder: the group session “%(title)s” is on %(day)s "
            "at %(time)s %(city)s time (%(offset)s)."
        )
    else:
        text = _("The group session “%(title)s” starts soon: %(time)s %(city)s time (%(offset)s).")
    return text % when


def session_title(session: Session) -> str:
    if session.title or session.exchange is None:
        return session.title
    return session.exchange.title


def session_url(session: Session) -> str:
    """Where a member sees the session: the exchange's page, or the group
    session's (its offer's page until that page exists)."""
    if session.exchange_id is not None:
        return reverse("exchange_detail", args=[session.exchange_id])
    try:
        return reverse("group_session_detail", args=[session.pk])
    except NoReverseMatch:
        return reverse("listing_detail", args=[session.listing_id]) if session.listing_id else ""


# --- After -------------------------------------------------------------------------------


def sessions_over(*, now: datetime) -> list[Session]:
    """Scheduled one-to-one sessions that have ended, their exchange gone ahead."""
    started = Session.objects.filter(
        kind=Session.Kind.ONE_TO_ONE,
        status=Session.Status.SCHEDULED,
        starts_at__lte=now,
        exchange__status__in=HELD_EXCHANGES,
    ).select_related("exchange__provider__profile", "exchange__receiver__profile")
    return [session for session in started if session.ends_at and session.ends_at <= now]


def _nudge_log_hours(*, now: datetime) -> tuple[int, int]:
    """Each ended session becomes held; a provider who has logged nothing yet
    is asked to, once. Returns (nudged, held)."""
    nudged = held = 0
    for session in sessions_over(now=now):
        assert session.exchange is not None
        with transaction.atomic():
            # Held by this worker alone: another one's UPDATE finds it held, and
            # a session moved or cancelled meanwhile no longer matches.
            held_now = Session.objects.filter(
                pk=session.pk, status=Session.Status.SCHEDULED, starts_at=session.starts_at
            ).update(status=Session.Status.HELD, sequence=F("sequence") + 1, updated_at=now)
            if not held_now:
                continue
            held += 1
            provider = session.exchange.provider
            if session.exchange.status == ExchangeStatus.ACCEPTED and provider.is_active:
                nudged += _nudge_once(session, provider, now=now)
    return nudged, held


def _nudge_once(session: Session, provider: Member, *, now: datetime) -> bool:
    assert session.starts_at is not None and session.exchange is not None
    try:
        with transaction.atomic():
            Reminder.objects.create(
                session=session,
                member=provider,
                kind=Reminder.Kind.LOG_HOURS,
                starts_at=session.starts_at,
                sent_at=now,
            )
            notify(
                recipient=provider,
                kind=Notification.Kind.SESSION_LOG_HOURS,
                message=_(
                    "Your session with %(name)s, “%(title)s”, is over: log the hours you "
                    "gave so that %(name)s can confirm them."
                )
                % {"name": session.exchange.receiver.display_name, "title": session_title(session)},
                url=session_url(session),
                exchange=session.exchange,
            )
    except IntegrityError:
        return False
    return True

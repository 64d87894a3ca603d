"""A member's sessions and calendar in their data download, and at their erasure.

``sessions_export`` gives the files the download adds: the sessions they
organise, are a party to or held a place in (times in UTC, ISO 8601), their
calendar settings (whether a feed exists, never its secret address) and the
reminders and calendar invitations sent to them.

``sessions_end`` runs inside ``member_erase``, before the member's identity
goes: their calendar feed stops working, their places and waiting-list places
in group sessions still ahead are given up through ``groups.group_leave`` (so
holds are released and the waiting list moves up), and group sessions they
organise that are still ahead are cancelled through
``groups.group_session_cancel`` with a neutral reason. Their free text in
sessions is removed first, so the neutral reason stays readable.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from equitime.members.models import Member
from equitime.scheduling import groups
from equitime.scheduling.models import (
    CalendarInvitation,
    CalendarSettings,
    ProposedTime,
    Reminder,
    Seat,
    Session,
    SessionEvent,
)

REMOVED = "[removed]"


def _utc(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat() if value is not None else None


def _role(session: Session, member: Member, seat: Seat | None) -> str:
    if session.organiser_id == member.pk:
        return "organiser"
    return "attendee" if seat is not None else "party"


def sessions_of(member: Member):
    """Every session the member organises, is a party to, or held a place in."""
    return (
        Session.objects.filter(
            Q(organiser=member)
            | Q(exchange__provider=member)
            | Q(exchange__receiver=member)
            | Q(seats__member=member)
        )
        .distinct()
        .order_by("created_at", "pk")
    )


def _session_record(session: Session, member: Member) -> dict[str, Any]:
    # A member who left and came back has several seats: the last says where they are.
    seat = Seat.objects.filter(session=session, member=member).order_by("joined_at", "pk").last()
    return {
        "id": session.pk,
        "kind": session.kind,
        "role": _role(session, member, seat),
        "title": session.title,
        "status": session.status,
        "starts_at": _utc(session.starts_at),
        "ends_at": _utc(session.ends_at),
        "minutes": session.minutes,
        "place": session.place,
        "video_url": session.video_url,
        "seat_status": seat.status if seat is not None else None,
        "cancelled_at": _utc(session.cancelled_at),
        "cancel_reason": session.cancel_reason if session.cancelled_by_id == member.pk else None,
        "times_proposed": [
            {
                "starts_at": _utc(proposed.starts_at),
                "minutes": proposed.minutes,
                "place": proposed.place,
                "video_url": proposed.video_url,
                "status": proposed.status,
            }
            for proposed in ProposedTime.objects.filter(session=session, proposed_by=member)
        ],
        "reasons_written": [
            {"verb": event.verb, "at": _utc(event.created_at), "reason": event.reason}
            for event in SessionEvent.objects.filter(session=session, actor=member).exclude(
                reason=""
            )
        ],
    }


def sessions_export(member: Member) -> dict[str, Any]:
    """{file name: data} for the download: sessions, calendar, reminders."""
    settings = CalendarSettings.objects.filter(member=member).first()
    return {
        "sessions.json": [_session_record(session, member) for session in sessions_of(member)],
        "calendar.json": {
            "remind_day_before": settings.remind_day_before if settings else True,
            "remind_hour_before": settings.remind_hour_before if settings else True,
            # Whether a feed address exists, never the address: it is a secret.
            "feed": bool(settings and settings.feed_token),
            "feed_created_at": _utc(settings.feed_created_at) if settings else None,
            "invitations_emailed": [
                {
                    "session_id": invitation.session_id,
                    "revision": invitation.sequence,
                    "cancellation": invitation.cancel,
                    "sent_at": _utc(invitation.sent_at),
                }
                for invitation in CalendarInvitation.objects.filter(member=member).order_by("pk")
            ],
        },
        "reminders.json": [
            {
                "session_id": reminder.session_id,
                "kind": reminder.kind,
                "starts_at": _utc(reminder.starts_at),
                "sent_at": _utc(reminder.sent_at),
            }
            for reminder in Reminder.objects.filter(member=member).order_by("sent_at", "pk")
        ],
    }


def _erase_session_text(member: Member) -> None:
    """The member's words in sessions, and their meeting links, removed."""
    Session.objects.filter(organiser=member, kind=Session.Kind.GROUP).update(
        description=REMOVED, benefit=REMOVED, video_url=""
    )
    Session.objects.filter(organiser=member).exclude(video_url="").update(video_url="")
    Session.objects.filter(cancelled_by=member).exclude(cancel_reason="").update(
        cancel_reason=REMOVED
    )
    ProposedTime.objects.filter(proposed_by=member).update(place="", video_url="")
    SessionEvent.objects.filter(actor=member).exclude(reason="").update(reason=REMOVED)


def sessions_waiting(member: Member, *, now: datetime | None = None):
    """Group sessions that have started, whose attendance is not recorded yet,
    where credits are held for a place the member holds or organises: erasure
    waits for them, as it waits for exchanges whose hours are logged."""
    now = now or timezone.now()
    return Session.objects.filter(
        Q(organiser=member) | Q(seats__member=member),
        kind=Session.Kind.GROUP,
        status=Session.Status.SCHEDULED,
        starts_at__lte=now,
        seats__status=Seat.Status.BOOKED,
        seats__hold__isnull=False,
    ).distinct()


def sessions_end(member: Member, *, now: datetime | None = None) -> None:
    """End what the member has in sessions still ahead, and their calendar."""
    now = now or timezone.now()
    _erase_session_text(member)
    # The feed's row goes, and with it the secret: the address answers 404.
    CalendarSettings.objects.filter(member=member).delete()
    Reminder.objects.filter(member=member).delete()
    CalendarInvitation.objects.filter(member=member).delete()
    ahead = Q(status=Session.Status.SCHEDULED, starts_at__gt=now, kind=Session.Kind.GROUP)
    for session in Session.objects.filter(
        ahead, seats__member=member, seats__status__in=groups.LIVE
    ).distinct():
        groups.group_leave(session=session, member=member, now=now)
    for session in Session.objects.filter(ahead, organiser=member):
        groups.group_session_cancel(
            session=session,
            member=member,
            reason=_("The organiser has left Equitime."),
            now=now,
        )

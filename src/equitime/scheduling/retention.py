"""How long scheduling keeps what it need not keep for ever (UK GDPR: storage limitation).

No new period: each kind of data follows the one its like already has
(``core.retention``).

    reasons for cancelling or moving a session   like an exchange's reasons:
        (Session.cancel_reason,                  blanked ``messages_days`` after
         SessionEvent.reason)                    the session ended
    reminders sent, calendar invitations         like notifications: deleted
        e-mailed (their delivery records)        ``notifications_days`` after sent
                                                 (an invitation never sent: after
                                                 its session last changed)

A session ends when it is cancelled (``cancelled_at``) or when its time has
passed (``starts_at``); one still proposed has not ended. The session, its
timeline's facts and seats stay: they are the members' history and the
ledger's counterpart. Reminders and invitations are only there so nothing is
sent twice, and nothing is sent for a session that far in the past.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import Q, QuerySet

from equitime.core.retention import retention_cutoff
from equitime.scheduling.models import CalendarInvitation, Reminder, Session, SessionEvent


def sessions_with_reasons_expired(*, cutoff: datetime) -> QuerySet[Session]:
    """Sessions that ended before ``cutoff`` and still hold a reason."""
    ended = Q(status=Session.Status.CANCELLED, cancelled_at__lt=cutoff) | Q(
        status__in=[Session.Status.SCHEDULED, Session.Status.HELD], starts_at__lt=cutoff
    )
    holding = ~Q(cancel_reason="") | ~Q(events__reason="")
    return Session.objects.filter(ended).filter(holding).distinct()


def session_reasons_blank_expired(*, now: datetime | None = None) -> int:
    """Blank the reasons of sessions that ended more than the message period
    ago; return how many sessions."""
    cutoff = retention_cutoff("messages", now=now)
    with transaction.atomic():
        ids = list(sessions_with_reasons_expired(cutoff=cutoff).values_list("pk", flat=True))
        if not ids:
            return 0
        Session.objects.filter(pk__in=ids).update(cancel_reason="")
        SessionEvent.objects.filter(session_id__in=ids).exclude(reason="").update(reason="")
    return len(ids)


def reminders_expired(*, now: datetime | None = None) -> QuerySet[Reminder]:
    return Reminder.objects.filter(sent_at__lt=retention_cutoff("notifications", now=now))


def reminder_purge_expired(*, now: datetime | None = None) -> int:
    return reminders_expired(now=now).delete()[0]


def calendar_invitations_expired(*, now: datetime | None = None) -> QuerySet[CalendarInvitation]:
    cutoff = retention_cutoff("notifications", now=now)
    return CalendarInvitation.objects.filter(
        Q(sent_at__lt=cutoff) | Q(sent_at__isnull=True, session__updated_at__lt=cutoff)
    )


def calendar_invitation_purge_expired(*, now: datetime | None = None) -> int:
    return calendar_invitations_expired(now=now).delete()[0]

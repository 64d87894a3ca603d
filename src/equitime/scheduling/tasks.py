"""Background work of scheduling: the calendar invitation e-mails.

``invitations.session_changed_received`` enqueues one ``calendar_invitation_send``
per recipient once a change commits. Each revision of a session goes to each
member once: the ``CalendarInvitation`` row for (session, member, sequence,
cancel) is locked while the e-mail is sent and stamped when it went, so a
task run twice (a worker restarted, a retry racing a late success) sends
nothing the second time. A failure is counted on the row and tried again
later with the back-off every e-mail has (``core.tasks.task_retry``).
A member who chose not to be e-mailed the invitation's kind of notification
(``invitations.invitation_kind``) is sent nothing, and no row is written.
"""

import logging
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from equitime.core.tasks import task_retry
from equitime.members.models import Member
from equitime.notifications.preferences import member_wants_email
from equitime.scheduling.ical import session_people
from equitime.scheduling.invitations import invitation_email, invitation_kind
from equitime.scheduling.models import CalendarInvitation, Session

logger = logging.getLogger(__name__)


def _skip_reason(session: Session | None, member: Member | None, *, cancel: bool) -> str:
    """Why nothing should be sent, or "" when it should."""
    if session is None:
        return "session gone"
    if member is None:
        return "member gone"
    if not member.is_active:
        return "recipient inactive"
    if session.starts_at is None or session.minutes is None:
        return "no time to put in a calendar"
    if not cancel and session.status == Session.Status.CANCELLED:
        return "superseded by the cancellation"
    if not cancel and member.pk not in {person.pk for person in session_people(session)}:
        return "no longer in the session"
    if not member_wants_email(member, invitation_kind(session, cancel=cancel)):
        return "not wanted"
    return ""


@task()
def calendar_invitation_send(
    *, session_id: int, member_id: int, sequence: int, cancel: bool, attempt: int = 1
) -> str:
    session = (
        Session.objects.select_related("organiser", "exchange__provider", "exchange__receiver")
        .filter(pk=session_id)
        .first()
    )
    member = Member.objects.select_related("profile").filter(pk=member_id).first()
    skip = _skip_reason(session, member, cancel=cancel)
    if skip:
        return skip
    assert session is not None and member is not None
    key: dict[str, Any] = {
        "session": session,
        "member": member,
        "sequence": sequence,
        "cancel": cancel,
    }
    CalendarInvitation.objects.get_or_create(**key)
    failure: Exception | None = None
    with transaction.atomic():
        # Held until the e-mail has gone: a second run of this task waits here,
        # then finds it sent.
        invitation = CalendarInvitation.objects.select_for_update().get(**key)
        if invitation.sent_at is not None:
            return "sent already"
        invitation.attempts += 1
        try:
            invitation_email(session, recipient=member, cancel=cancel).send()
        except Exception as error:
            failure = error
            invitation.error = f"{type(error).__name__}: {error}"[:500]
        else:
            invitation.sent_at = timezone.now()
            invitation.error = ""
        invitation.save(update_fields=["attempts", "error", "sent_at"])
    if failure is not None:
        retry = task_retry(
            calendar_invitation_send,
            attempt=attempt,
            session_id=session_id,
            member_id=member_id,
            sequence=sequence,
            cancel=cancel,
        )
        if retry:
            logger.warning("Calendar invitation %s failed; will retry", invitation.pk)
        else:
            logger.error("Gave up on calendar invitation %s after %d", invitation.pk, attempt)
        raise failure
    return "sent"

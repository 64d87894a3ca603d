"""Calendar invitations by e-mail: every change of a session reaches the
calendars of the people it concerns.

    services ── session_changed(session, recipients, cancel) ──► session_changed_received
                (inside their transaction)                            │ on commit,
                                                                      ▼ one per recipient
      tasks.calendar_invitation_send(session_id, member_id, sequence, cancel)
          │ CalendarInvitation row: once per revision
          ▼
      invitation_email(): text, HTML, and the event
      (text/calendar; method=REQUEST|CANCEL, and invite.ics)

Each invitation is the e-mail copy of a kind of notification
(``invitation_kind``: scheduled, moved, cancelled; for a group session, a
place or its cancellation), and is sent only when the recipient's
preferences e-mail that kind (``tasks``); it carries the one-click
unsubscribe headers for that kind (``core.unsubscribe``).

The e-mail tells the time in the recipient's own zone, named, since the two
parties of a session may be an ocean apart; the calendar file carries UTC and
every calendar shows it in its own reader's zone. The e-mail, its subject and
the words of the calendar file (its summary and description) are in the
recipient's language (``core.locale.speaking_to``).
"""

from typing import TYPE_CHECKING, Any

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from equitime.core.locale import speaking_to
from equitime.core.site import site_url
from equitime.core.unsubscribe import unsubscribe_context, unsubscribe_headers
from equitime.core.zones import zone_city, zone_label, zone_of
from equitime.notifications.models import Notification
from equitime.scheduling.ical import session_invitation, session_page_path, session_people
from equitime.scheduling.models import Session

if TYPE_CHECKING:
    from django.contrib.auth.models import _User as Member

SUBJECT_WHEN = "D j M H:i"  # Tue 8 Dec 14:00
BODY_DAY = "l j F Y"  # Tuesday 8 December 2026
BODY_TIME = "H:i"


def invitation_method(*, cancel: bool) -> str:
    return "CANCEL" if cancel else "REQUEST"


def invitation_kind(session: Session, *, cancel: bool) -> str:
    """The kind of notification an invitation is the e-mail copy of: the
    member's choice for that kind decides whether it is sent."""
    Kind = Notification.Kind
    if session.is_group:
        return Kind.GROUP_CANCELLED if cancel else Kind.GROUP_PLACE
    if cancel:
        return Kind.SESSION_CANCELLED
    return Kind.SESSION_MOVED if session.sequence > 0 else Kind.SESSION_SCHEDULED


def invitation_subject(session: Session, *, recipient: "Member", cancel: bool) -> str:
    """'Invitation: Journal club, Tue 8 Dec 14:00 (London time)', or
    'Updated: …' for a later revision, or 'Cancelled: …'."""
    assert session.starts_at is not None
    zone = zone_of(recipient)
    figures = {
        "title": session.title,
        "when": formats.date_format(timezone.localtime(session.starts_at, zone), SUBJECT_WHEN),
        "city": zone_city(zone),
    }
    if cancel:
        return _("Cancelled: %(title)s, %(when)s (%(city)s time)") % figures
    if session.sequence > 0:
        return _("Updated: %(title)s, %(when)s (%(city)s time)") % figures
    return _("Invitation: %(title)s, %(when)s (%(city)s time)") % figures


def _others(session: Session, recipient: "Member") -> list[str]:
    """Whom the recipient meets: the other party, or the organiser of a group."""
    if session.is_group:
        return [] if session.organiser_id == recipient.pk else [session.organiser.display_name]
    return [p.display_name for p in session_people(session) if p.pk != recipient.pk]


def invitation_context(session: Session, *, recipient: "Member", cancel: bool) -> dict[str, Any]:
    assert session.starts_at is not None and session.ends_at is not None
    zone = zone_of(recipient)
    starts = timezone.localtime(session.starts_at, zone)
    ends = timezone.localtime(session.ends_at, zone)
    site = site_url()
    return {
        "name": recipient.display_name,
        "session": session,
        "cancel": cancel,
        "updated": session.sequence > 0,
        # Gave up a place in a group session that goes ahead without them.
        "left": cancel and session.status != Session.Status.CANCELLED,
        "day": formats.date_format(starts, BODY_DAY),
        "start_time": formats.date_format(starts, BODY_TIME),
        "end_time": formats.date_format(ends, BODY_TIME),
        "end_day": formats.date_format(ends, BODY_DAY) if ends.date() != starts.date() else "",
        "zone": zone_label(zone, session.starts_at),
        "others": ", ".join(_others(session, recipient)),
        "link": site + session_page_path(session),
        "calendar_link": site + reverse("calendar"),
        **unsubscribe_context(
            member_id=recipient.pk, scope=invitation_kind(session, cancel=cancel)
        ),
    }


class InvitationMessage(EmailMultiAlternatives):
    """An e-mail whose calendar part says its method as calendar programs
    expect it written (``method=REQUEST``, unquoted, as Exchange and Google
    send it): Python's e-mail package would otherwise quote it."""

    def __init__(self, *args: Any, method: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.method = method

    def message(self, *args: Any, **kwargs: Any) -> Any:
        mime = super().message(*args, **kwargs)
        for part in mime.walk():
            if part.get_content_type() == "text/calendar" and not part.get_filename():
                part.replace_header(
                    "Content-Type", f"text/calendar; method={self.method}; charset=UTF-8"
                )
        return mime


def invitation_email(
    session: Session, *, recipient: "Member", cancel: bool
) -> EmailMultiAlternatives:
    """The e-mail: plain text, HTML, and the event twice, as calendar
    programs look for it: an alternative part ``text/calendar; method=…``
    (Outlook and Gmail show it as an invitation) and ``invite.ics`` (Apple
    Mail and anything else opens the file)."""
    method = invitation_method(cancel=cancel)
    with speaking_to(recipient):
        context = invitation_context(session, recipient=recipient, cancel=cancel)
        text = render_to_string("scheduling/email/invitation.txt", context)
        html = render_to_string("scheduling/email/invitation.html", context)
        ics = session_invitation(session, recipient=recipient, cancel=cancel)
        subject = invitation_subject(session, recipient=recipient, cancel=cancel)
    message = InvitationMessage(
        subject=subject,
        body=text,
        to=[recipient.email],
        method=method,
        headers=unsubscribe_headers(
            member_id=recipient.pk, scope=invitation_kind(session, cancel=cancel)
        ),
    )
    message.attach_alternative(html, "text/html")
    # The MIME part's method is the file's, as Outlook requires.
    message.attach_alternative(ics.decode(), "text/calendar")
    message.attach("invite.ics", ics, "application/ics")
    return message


def session_changed_received(
    sender: type[Session],
    *,
    session: Session,
    recipients: list["Member"],
    cancel: bool = False,
    **kwargs: Any,
) -> None:
    """Once the change commits, send each recipient their calendar's copy of
    it, one task each (a bad address delays nobody else)."""
    if session.starts_at is None:
        return  # never in anyone's calendar: nothing to add or take away
    from equitime.scheduling.tasks import calendar_invitation_send

    member_ids = sorted({member.pk for member in recipients})
    session_id, sequence = session.pk, session.sequence

    def enqueue() -> None:
        for member_id in member_ids:
            calendar_invitation_send.enqueue(
                session_id=session_id, member_id=member_id, sequence=sequence, cancel=cancel
            )

    transaction.on_commit(enqueue)

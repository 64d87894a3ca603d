"""The e-mail copy of a notification, sent by a background task.

``services.notify`` writes the notification row and, once that commits,
enqueues ``notification_email`` with the row's id; the task renders and sends
it. A failure is counted on the row (``email_attempts``, ``email_error``) and
tried again later with back-off (``core.tasks.task_retry``); the notification
stays in the member's list whatever happens to the e-mail. It is written in
the recipient's language and on their clock (``core.locale.speaking_to``),
wherever the worker runs and whoever did what it reports.

A kind the member chose not to be e-mailed (``preferences``) is not sent,
and nothing is stamped: the notification waits in the app and the digest.
The choice is read when the task runs, so turning a kind off stops e-mails
already queued. Each e-mail carries the one-click unsubscribe headers of
``core.unsubscribe`` for its kind, and links to the preferences.
"""

import logging

from django.core.mail import EmailMultiAlternatives
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from equitime.core.locale import speaking_to
from equitime.core.site import site_url
from equitime.core.tasks import task_retry
from equitime.core.unsubscribe import unsubscribe_context, unsubscribe_headers
from equitime.notifications.models import Notification
from equitime.notifications.preferences import member_wants_email

logger = logging.getLogger(__name__)


@task()
def notification_email(*, notification_id: int, attempt: int = 1) -> str:
    notification = (
        Notification.objects.select_related("recipient__profile").filter(pk=notification_id).first()
    )
    if notification is None:
        return "notification gone"  # its member or exchange was deleted meanwhile
    if notification.emailed_at is not None:
        return "sent already"  # a repeated task sends nothing twice
    if not notification.recipient.is_active:
        return "recipient inactive"
    recipient = notification.recipient
    if not member_wants_email(recipient, notification.kind):
        return "not wanted"  # the member turned this kind's e-mails off
    site = site_url()
    # One-click unsubscribe turns off this kind of e-mail.
    member_id, scope = recipient.pk, notification.kind
    context = {
        "notification": notification,
        "link": f"{site}{notification.url}",
        "settings_link": f"{site}/notifications/",
        **unsubscribe_context(member_id=member_id, scope=scope),
    }
    attempts = Notification.objects.filter(pk=notification_id)
    with speaking_to(recipient):
        subject = _("Equitime: %(name)s") % {"name": notification.message}
        text = render_to_string("notifications/email/notification.txt", context)
        html = render_to_string("notifications/email/notification.html", context)
    try:
        message = EmailMultiAlternatives(
            subject=subject,
            body=text,
            to=[recipient.email],
            headers=unsubscribe_headers(member_id=member_id, scope=scope),
        )
        message.attach_alternative(html, "text/html")
        message.send()
    except Exception as error:
        attempts.update(
            email_attempts=F("email_attempts") + 1,
            email_error=f"{type(error).__name__}: {error}"[:500],
        )
        if task_retry(notification_email, attempt=attempt, notification_id=notification_id):
            logger.warning("E-mail of notification %s failed; will retry", notification_id)
        else:
            logger.error("Gave up e-mailing notification %s after %d", notification_id, attempt)
        raise
    attempts.update(
        emailed_at=timezone.now(), email_attempts=F("email_attempts") + 1, email_error=""
    )
    return "sent"

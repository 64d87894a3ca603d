"""Telling members what happened: a notification row now, an e-mail after commit."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from equitime.community.models import Notification
from equitime.members.models import Member

logger = logging.getLogger(__name__)


def notify(
    *,
    recipient: Member,
    kind: str,
    message: str,
    url: str = "",
    exchange=None,
    listing=None,
    email: bool = True,
) -> Notification:
    """Record a notification in the caller's transaction; e-mail it once that commits."""
    notification = Notification.objects.create(
        recipient=recipient,
        kind=kind,
        # One line: it becomes an e-mail subject, where a newline is refused.
        message=" ".join(message.split())[:300],
        url=url,
        exchange=exchange,
        listing=listing,
    )
    if email and recipient.is_active:
        transaction.on_commit(lambda: notification_email_send(notification_id=notification.pk))
    return notification


def notification_email_send(*, notification_id: int) -> None:
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    context = {
        "notification": notification,
        "link": f"{settings.EQUITIME_SITE_URL.rstrip('/')}{notification.url}",
        "settings_link": f"{settings.EQUITIME_SITE_URL.rstrip('/')}/notifications/",
    }
    try:
        send_mail(
            subject=f"Equitime: {notification.message}",
            message=render_to_string("community/email/notification.txt", context),
            from_email=None,
            recipient_list=[notification.recipient.email],
        )
    except OSError:
        # The change it reports has committed; a mail outage must not undo it.
        logger.exception("Could not send notification %s", notification_id)


def notifications_mark_read(*, member: Member, ids: list[int] | None = None) -> int:
    """Mark the member's notifications read: the given ones, or all."""
    unread = Notification.objects.filter(recipient=member, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=timezone.now())

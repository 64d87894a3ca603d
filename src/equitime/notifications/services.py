"""Telling members what happened: a notification row now, an e-mail task after commit."""

from django.db import transaction
from django.utils import timezone

from equitime.members.models import Member
from equitime.notifications.models import Notification
from equitime.notifications.tasks import notification_email


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
    """Record a notification in the caller's transaction; once that commits,
    queue its e-mail (``tasks.notification_email`` sends it, and tries again).

    Apps below this one reach it through ``equitime.core.notices.notify``."""
    if kind not in Notification.Kind.values:
        # A caller below names the kind by its value: a typo must not pass unseen.
        raise ValueError(f"Unknown notification kind: {kind!r}")
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
        transaction.on_commit(lambda: notification_email.enqueue(notification_id=notification.pk))
    return notification


def notifications_mark_read(*, member: Member, ids: list[int] | None = None) -> int:
    """Mark the member's notifications read: the given ones, or all."""
    unread = Notification.objects.filter(recipient=member, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=timezone.now())


def notifications_mark_seen(*, member: Member, exchange) -> int:
    """Mark read what ``member`` was told about ``exchange``: they have opened
    it, or acted on it. The badge then counts only what is still to see.

    Opening a page calls this, so it writes nothing when nothing is unread: a
    write would forget every cached page (``core.pagecache``), and an exchange
    page with nothing new to mark may be served whole from the cache. A page
    that did mark something is never served from the cache afterwards (the
    write moved the generation on), and a notification made later moves it on
    too, so the next visit builds the page and marks it."""
    unread = Notification.objects.filter(recipient=member, exchange=exchange, read_at__isnull=True)
    ids = list(unread.values_list("pk", flat=True))
    if not ids:
        return 0
    return Notification.objects.filter(pk__in=ids, read_at__isnull=True).update(
        read_at=timezone.now()
    )

"""How long notifications are kept (``EQUITIME_RETENTION["notifications_days"]``).

A notification tells a member something happened; the exchange or listing it
points at keeps the lasting record. After the period it goes, read or not,
with the record of its e-mail copy (``emailed_at``, the last delivery error).
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet

from equitime.core.retention import retention_cutoff
from equitime.notifications.models import Notification


def notifications_expired(*, now: datetime | None = None) -> QuerySet[Notification]:
    return Notification.objects.filter(created_at__lt=retention_cutoff("notifications", now=now))


def notification_purge_expired(*, now: datetime | None = None) -> int:
    """Delete the notifications past retention; return how many."""
    deleted, _ = notifications_expired(now=now).delete()
    return deleted

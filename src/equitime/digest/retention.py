"""How long the digest keeps its record of what was sent (UK GDPR: storage limitation).

No new period: a ``DigestSend`` row is a delivery record like a notification's
e-mail copy, so it goes ``notifications_days`` after the digest was decided
(``core.retention``). The row is only there so that nobody gets the same
week's digest twice, and the job only ever sends the week just ended: a row
far older than that guards nothing.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet

from equitime.core.retention import retention_cutoff
from equitime.digest.models import DigestSend


def digest_sends_expired(*, now: datetime | None = None) -> QuerySet[DigestSend]:
    return DigestSend.objects.filter(decided_at__lt=retention_cutoff("notifications", now=now))


def digest_send_purge_expired(*, now: datetime | None = None) -> int:
    return digest_sends_expired(now=now).delete()[0]

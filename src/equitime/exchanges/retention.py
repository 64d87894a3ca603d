"""How long exchange messages are kept (UK GDPR: storage limitation).

Two members need their thread while they arrange and settle an exchange, and
for a while afterwards in case a question comes up; after that it is personal
data kept for no purpose. ``message_purge_expired``, run daily by
``equitime purge_messages``, deletes the messages of finished exchanges once
``EQUITIME_MESSAGE_RETENTION_DAYS`` have passed.

The rule: retention counts from when the exchange finished, the stamp its last
transition set (``FINISHED_AT``). The thread stays open after the end, so a
message written later is kept the full period from when it was written: a
message goes once both the exchange's end and the message itself are older
than the period. Exchanges in progress or disputed keep every message,
whatever its age. Only messages go: the exchange, its timeline, thanks,
reflections and the ledger stay.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from equitime.audit.models import AuditEntry
from equitime.audit.services import audit_record
from equitime.exchanges.models import ExchangeMessage, Status

# Each finished status and the stamp that says when it finished. Nothing
# follows these in ``TRANSITIONS``, so a purged thread's exchange never reopens.
FINISHED_AT: dict[str, str] = {
    Status.COMPLETED: "completed_at",
    Status.DECLINED: "declined_at",
    Status.CANCELLED: "cancelled_at",
    Status.VOIDED: "resolved_at",
    Status.REVERSED: "reversed_at",
}


def message_retention_cutoff(*, now: datetime | None = None) -> datetime:
    """Messages (and exchange ends) before this moment are past retention."""
    days = settings.EQUITIME_MESSAGE_RETENTION_DAYS
    # Zero would delete every finished thread at once: refuse rather than guess.
    if isinstance(days, bool) or not isinstance(days, int) or days <= 0:
        raise ImproperlyConfigured(
            "EQUITIME_MESSAGE_RETENTION_DAYS must be a whole number of days above zero."
        )
    return (now or timezone.now()) - timedelta(days=days)


def messages_expired(*, cutoff: datetime) -> QuerySet[ExchangeMessage]:
    """Messages of exchanges that finished before ``cutoff``, themselves written before it."""
    finished_before = Q()
    for status, stamp in FINISHED_AT.items():
        finished_before |= Q(exchange__status=status, **{f"exchange__{stamp}__lt": cutoff})
    return ExchangeMessage.objects.filter(finished_before, created_at__lt=cutoff)


def message_purge_expired(*, now: datetime | None = None) -> int:
    """Delete the messages past retention; return how many. One audit entry
    records the purge (without the messages' text) when anything went."""
    cutoff = message_retention_cutoff(now=now)
    with transaction.atomic():
        expired = messages_expired(cutoff=cutoff)
        exchange_ids = sorted(set(expired.order_by().values_list("exchange_id", flat=True)))
        if not exchange_ids:
            return 0
        deleted, _ = expired.delete()
        days = settings.EQUITIME_MESSAGE_RETENTION_DAYS
        audit_record(
            action=AuditEntry.Action.MESSAGES_PURGED,
            summary=(
                f"Deleted {deleted} message(s) from {len(exchange_ids)} exchange(s) that "
                f"finished more than {days} days ago (cutoff {cutoff:%Y-%m-%d %H:%M %Z})"
            ),
            data={
                "messages": deleted,
                "exchanges": exchange_ids,
                "retention_days": days,
                "cutoff": cutoff.isoformat(),
            },
        )
    return deleted

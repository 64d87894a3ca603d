"""How long exchange messages are kept (UK GDPR: storage limitation).

Two members need their thread while they arrange and settle an exchange, and
for a while afterwards in case a question comes up; after that it is personal
data kept for no purpose. ``message_purge_expired``, run daily with every other
retention rule by ``equitime apply_retention`` (or alone by ``equitime
purge_messages``), deletes the messages of finished exchanges once
``EQUITIME_RETENTION["messages_days"]`` have passed (``core.retention``).

The rule: retention counts from when the exchange finished, the stamp its last
transition set (``FINISHED_AT``). The thread stays open after the end, so a
message written later is kept the full period from when it was written: a
message goes once both the exchange's end and the message itself are older
than the period. Exchanges in progress or disputed keep every message,
whatever its age. With the messages go, by ``exchange_notes_blank_expired``,
the other free text of the finished exchange: the reasons for declining,
disputing or resolving it and the notes on its timeline. The exchange, its
timeline's facts, thanks, reflections and the ledger stay.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import Q, QuerySet

from equitime.audit.models import AuditEntry
from equitime.audit.services import audit_record
from equitime.core.retention import retention_cutoff, retention_days
from equitime.exchanges.models import Exchange, ExchangeEvent, ExchangeMessage, Status

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
    return retention_cutoff("messages", now=now)


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
        days = retention_days("messages")
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


def message_expired_count(*, now: datetime | None = None) -> int:
    """How many messages ``message_purge_expired`` would delete now."""
    return messages_expired(cutoff=message_retention_cutoff(now=now)).count()


# The free text on an exchange and its timeline besides the thread: why it was
# declined, disputed, resolved or reversed, and the notes on its events. It goes with the
# messages; the exchange's facts (who, what, when, how many minutes) stay.
REASONS = ("decline_reason", "dispute_reason", "resolution_note", "reversal_reason")


def exchanges_with_notes_expired(*, cutoff: datetime) -> QuerySet[Exchange]:
    """Finished before ``cutoff`` and still holding a reason or an event note."""
    finished_before = Q()
    for status, stamp in FINISHED_AT.items():
        finished_before |= Q(status=status, **{f"{stamp}__lt": cutoff})
    holding = ~Q(events__note="")
    for field in REASONS:
        holding |= ~Q(**{field: ""})
    return Exchange.objects.filter(finished_before).filter(holding).distinct()


def exchange_notes_blank_expired(*, now: datetime | None = None) -> int:
    """Blank the reasons and event notes of exchanges that finished more than
    the message period ago; return how many exchanges."""
    cutoff = message_retention_cutoff(now=now)
    with transaction.atomic():
        ids = list(exchanges_with_notes_expired(cutoff=cutoff).values_list("pk", flat=True))
        if not ids:
            return 0
        Exchange.objects.filter(pk__in=ids).update(**dict.fromkeys(REASONS, ""))
        ExchangeEvent.objects.filter(exchange_id__in=ids).exclude(note="").update(note="")
    return len(ids)

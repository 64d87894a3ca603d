"""Every retention rule, applied together: ``equitime apply_retention`` and the daily job.

    core.retention      the periods (EQUITIME_RETENTION), read by everything below
    <app>/retention.py  what each rule finds (a queryset to count) and does

One ``Rule`` per kind of data, in ``RULES``: what it finds is counted for a
dry run, and applying it returns how many rows it deleted, anonymised,
blanked, warned or closed. A rule's failure does not stop the others; it is
reported, and the run as a whole fails after the rest have been applied, so
the periodic run is recorded as failed with the reason.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from equitime.api.retention import (
    api_token_purge_expired,
    api_tokens_expired,
    idempotent_request_purge_expired,
    idempotent_requests_expired,
)
from equitime.audit.retention import audit_ip_addresses_blank, audit_ip_addresses_expired
from equitime.core.retention import retention_cutoff
from equitime.digest.retention import digest_send_purge_expired, digest_sends_expired
from equitime.exchanges.retention import (
    exchange_notes_blank_expired,
    exchanges_with_notes_expired,
    message_purge_expired,
    messages_expired,
)
from equitime.exports.retention import export_purge_expired, exports_expired
from equitime.listings.retention import listing_closed_anonymise_expired, listings_closed_expired
from equitime.members.retention import (
    invitation_purge_expired,
    invitations_expired,
    members_dormant_to_close,
    members_dormant_to_warn,
    members_dormant_warn,
    session_purge_expired,
    sessions_expired,
)
from equitime.notifications.retention import notification_purge_expired, notifications_expired
from equitime.privacy.retention import members_dormant_close
from equitime.scheduling.retention import (
    calendar_invitation_purge_expired,
    calendar_invitations_expired,
    reminder_purge_expired,
    reminders_expired,
    session_reasons_blank_expired,
    sessions_with_reasons_expired,
)

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Rule:
    kind: str  # what the output calls it
    verb: str  # what happens to each row found: "deleted", "anonymised" ...
    due: Callable[[datetime], int]  # how many rows are due now (for --dry-run)
    apply: Callable[[datetime], int]  # do it; how many rows it touched


def _count(find) -> Callable[[datetime], int]:
    return lambda now: find(now=now).count()


RULES: tuple[Rule, ...] = (
    Rule(
        "messages",
        "deleted",
        lambda now: messages_expired(cutoff=retention_cutoff("messages", now=now)).count(),
        lambda now: message_purge_expired(now=now),
    ),
    Rule(
        "exchange reasons and notes",
        "blanked",
        lambda now: exchanges_with_notes_expired(
            cutoff=retention_cutoff("messages", now=now)
        ).count(),
        lambda now: exchange_notes_blank_expired(now=now),
    ),
    Rule(
        "session reasons",
        "blanked",
        lambda now: sessions_with_reasons_expired(
            cutoff=retention_cutoff("messages", now=now)
        ).count(),
        lambda now: session_reasons_blank_expired(now=now),
    ),
    Rule(
        "notifications",
        "deleted",
        _count(notifications_expired),
        lambda now: notification_purge_expired(now=now),
    ),
    Rule(
        "session reminders",
        "deleted",
        _count(reminders_expired),
        lambda now: reminder_purge_expired(now=now),
    ),
    Rule(
        "calendar invitations",
        "deleted",
        _count(calendar_invitations_expired),
        lambda now: calendar_invitation_purge_expired(now=now),
    ),
    Rule(
        "digests sent",
        "deleted",
        _count(digest_sends_expired),
        lambda now: digest_send_purge_expired(now=now),
    ),
    Rule(
        "audit IP addresses",
        "blanked",
        _count(audit_ip_addresses_expired),
        lambda now: audit_ip_addresses_blank(now=now),
    ),
    # Close before warning: a member warned today is never closed today.
    Rule(
        "dormant accounts",
        "closed",
        _count(members_dormant_to_close),
        lambda now: members_dormant_close(now=now),
    ),
    Rule(
        "dormant accounts",
        "warned",
        _count(members_dormant_to_warn),
        lambda now: members_dormant_warn(now=now),
    ),
    Rule(
        "closed listings",
        "anonymised",
        _count(listings_closed_expired),
        lambda now: listing_closed_anonymise_expired(now=now),
    ),
    Rule(
        "idempotency records",
        "deleted",
        _count(idempotent_requests_expired),
        lambda now: idempotent_request_purge_expired(now=now),
    ),
    Rule(
        "invitations",
        "deleted",
        _count(invitations_expired),
        lambda now: invitation_purge_expired(now=now),
    ),
    Rule(
        "API tokens",
        "deleted",
        _count(api_tokens_expired),
        lambda now: api_token_purge_expired(now=now),
    ),
    Rule(
        "operators' exports",
        "deleted",
        _count(exports_expired),
        lambda now: export_purge_expired(now=now),
    ),
    Rule(
        "expired sessions",
        "deleted",
        _count(sessions_expired),
        lambda now: session_purge_expired(now=now),
    ),
)


@dataclass(frozen=True)
class Outcome:
    rule: Rule
    count: int
    error: str = ""

    def line(self, *, dry_run: bool) -> str:
        if self.error:
            return f"{self.rule.kind}: failed: {self.error}"
        verb = f"would be {self.rule.verb}" if dry_run else self.rule.verb
        return f"{self.rule.kind}: {self.count} {verb}"


class RetentionFailed(Exception):
    def __init__(self, outcomes: list[Outcome]):
        self.outcomes = outcomes
        super().__init__("; ".join(o.line(dry_run=False) for o in outcomes))


def retention_apply(
    *, now: datetime | None = None, dry_run: bool = False, rules: tuple[Rule, ...] = RULES
) -> list[Outcome]:
    """Apply (or, with ``dry_run``, count) every rule; raise ``RetentionFailed``
    after all have run if any failed."""
    now = now or timezone.now()
    outcomes = []
    for rule in rules:
        try:
            count = rule.due(now) if dry_run else rule.apply(now)
        except Exception as error:
            logger.exception("Retention of %s failed", rule.kind)
            outcomes.append(Outcome(rule, 0, f"{type(error).__name__}: {error}"))
        else:
            outcomes.append(Outcome(rule, count))
    if any(outcome.error for outcome in outcomes):
        raise RetentionFailed(outcomes)
    return outcomes

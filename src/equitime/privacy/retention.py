"""Dormant accounts closed: the last step of ``members.retention``'s rule.

``members.retention`` finds dormant members and warns them; closing one is
erasure (``member_erase``), which ends their exchanges and listings, so it
lives here, above the apps it touches.
"""

from __future__ import annotations

import logging
from datetime import datetime

from equitime.core.errors import DomainError
from equitime.core.retention import retention_days
from equitime.members.retention import members_dormant_to_close
from equitime.privacy.services import member_erase

logger = logging.getLogger(__name__)


def members_dormant_close(*, now: datetime | None = None) -> int:
    """Close and erase each warned dormant account; return how many."""
    closed = 0
    days = retention_days("dormant_account")
    for member in list(members_dormant_to_close(now=now).order_by("pk")):
        try:
            member_erase(member=member, reason=f"no sign-in for {days} days (dormant account)")
        except DomainError as error:
            # Exchanges waiting for confirmation or a moderator: try again tomorrow.
            logger.info("Dormant member %s not closed yet: %s", member.pk, error.message)
            continue
        closed += 1
    return closed

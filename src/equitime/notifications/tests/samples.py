"""Params that fill any sentence of ``notifications.messages``, for tests."""

from datetime import UTC, datetime
from typing import Any

from equitime.core.units import MINUTES_PER_CREDIT
from equitime.notifications.messages import SENTENCES

STARTS_AT = datetime(2026, 3, 10, 14, 0, tzinfo=UTC)

VALUES: dict[str, Any] = {
    "name": "Ben Lee",
    "title": "Run charts",
    "other": "Amina Okafor",
    "coordinator": "Carla Coordinator",
    "reason": "Rota changed",
    "note": "It asks for a fee.",
    "message": "Welcome aboard!",
    "organisation": "Northbridge Trust",
    "minutes": 2 * MINUTES_PER_CREDIT,
    "posted_minutes": MINUTES_PER_CREDIT,
    "unconfirmed_minutes": MINUTES_PER_CREDIT,
    "amount_minutes": 3 * MINUTES_PER_CREDIT // 2,
    "share_minutes": MINUTES_PER_CREDIT,
    "days": 14,
    "verb": "deliver",
    "starts_at": STARTS_AT.isoformat(),
    "expires_at": STARTS_AT.isoformat(),
}


def sample(kind: str, variant: str | None = None, **values: Any) -> dict[str, Any]:
    """``variant`` and ``params`` for ``notify``: the kind's first sentence unless
    told, filled with ``VALUES`` (``values`` override them)."""
    if variant is None:
        variant = next(v for k, v in SENTENCES if k == kind)
    names = SENTENCES[kind, variant].stored()
    return {"variant": variant, "params": {name: {**VALUES, **values}[name] for name in names}}

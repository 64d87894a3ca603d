"""The impact figures' periodic job, as ``jobs.schedule`` runs it."""

from datetime import datetime

from equitime.impact.aggregates import aggregates_rebuild


def impact_figures(now: datetime) -> str:
    """Rebuild every monthly figure from the ledger (``aggregates``); a second
    run the same day writes the same figures again."""
    return aggregates_rebuild(now=now).line()

"""The impact figures' periodic job, as ``jobs.schedule`` runs it."""

from datetime import datetime

from equitime.impact.aggregates import aggregates_rebuild
from equitime.impact.links import links_rebuild


def impact_figures(now: datetime) -> str:
    """Rebuild every monthly figure (``aggregates``) and the collaboration
    network's links (``links``) from the ledger; a second run the same day
    writes the same rows again."""
    figures = aggregates_rebuild(now=now).line()
    links = links_rebuild(now=now)
    return (
        f"{figures}; rebuilt {links.rows} organisation link(s) from {links.exchanges} "
        f"exchange(s) in {links.seconds:.1f} s"
    )

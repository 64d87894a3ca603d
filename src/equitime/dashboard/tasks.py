"""Background work for the pages that draw on several apps."""

from django.core.cache import cache
from django_tasks import task

from equitime.dashboard import selectors


@task()
def community_refresh() -> None:
    """Compute the home page's figures again (``selectors.community_now``
    queued this when it found them stale) and let the next refresh be queued."""
    try:
        selectors.community_store()
    finally:
        cache.delete(selectors.REFRESHING_KEY)

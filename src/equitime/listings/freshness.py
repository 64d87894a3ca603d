"""One number that moves on whenever a listing changes, for caches of lists.

Searches (``search.listing_search_top``) and browse counts are kept in the
cache under this generation, so any change to any listing (posted, edited,
paused, closed, expired, renewed, re-indexed) makes them be read afresh. It
moves on at once and again when the change commits, so that a read made in
between cannot keep the old answer.
"""

from django.core.cache import cache
from django.db import transaction

_KEY = "listings-generation"


def listings_generation() -> int:
    generation: int | None = cache.get_or_set(_KEY, 0, None)
    return generation or 0  # None only if the cache held None


def _bump() -> None:
    try:
        cache.incr(_KEY)
    except ValueError:  # not there (evicted, or a fresh cache): any new value will do
        cache.set(_KEY, 1, None)


def listings_changed(*, using: str = "default") -> None:
    _bump()
    transaction.on_commit(_bump, using=using)

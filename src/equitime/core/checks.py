"""System checks for how Equitime is deployed.

Rate limits (sign-in, sign-up, the API), sessions and cached pages live in
the cache. A cache in each process's memory counts every limit once per
process, so four gunicorn workers allow four times the limit and a member's
sign-up burst is spread across them. Production needs one cache that every
process shares: Redis (``REDIS_URL``), or, on a single machine, a table in the
database (``EQUITIME_CACHE=database``), chosen explicitly.
"""

from django.conf import settings
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.memcached import BaseMemcachedCache
from django.core.cache.backends.redis import RedisCache
from django.core.checks import Error, Tags, register
from django.utils.module_loading import import_string

# Backends (and their subclasses, such as core.cache's) that every process shares.
SHARED_CACHES = (RedisCache, DatabaseCache, BaseMemcachedCache)


@register(Tags.caches, deploy=True)
def shared_cache_check(app_configs=None, **kwargs) -> list[Error]:
    """In production, the default cache must be shared by every process."""
    if not getattr(settings, "PRODUCTION", False):
        return []
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    try:
        shared = issubclass(import_string(backend), SHARED_CACHES)
    except ImportError:
        shared = False
    if shared:
        return []
    return [
        Error(
            "Production needs a cache that every process shares: rate limits and "
            "sessions are counted in it, and a cache in each process's memory lets "
            "each gunicorn worker count on its own.",
            hint="Set REDIS_URL (several processes or machines), or EQUITIME_CACHE=database "
            "for a single-machine install without Redis (`equitime migrate` creates the "
            "cache table).",
            id="equitime.E001",
        )
    ]


def cache_table_after_migrate(*, app_config, using: str = "default", **kwargs) -> None:
    """post_migrate: create the database cache's table when it is the chosen
    cache (``createcachetable`` does nothing if it already exists). Once per
    migrate, beside the sessions' table (post_migrate is sent once per app)."""
    from django.core.management import call_command

    if app_config.label == "sessions" and any(
        cache.get("BACKEND") == "django.core.cache.backends.db.DatabaseCache"
        for cache in settings.CACHES.values()
    ):
        call_command("createcachetable", database=using, verbosity=0)

"""System checks for how Equitime is deployed.

Rate limits (sign-in, sign-up, the API), sessions and cached pages live in
the cache. A cache in each process's memory counts every limit once per
process, so four gunicorn workers allow four times the limit and a member's
sign-up burst is spread across them. Production needs one cache that every
process shares: Redis (``REDIS_URL``), or, on a single machine, a table in the
database (``EQUITIME_CACHE=database``), chosen explicitly.

Links in e-mails need the address members reach the site on. In production
nothing can guess it (the worker has no request, and a request's Host header
is not trusted to name the site), so ``EQUITIME_SITE_URL`` must be set.
"""

from urllib.parse import urlsplit

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


@register()
def site_url_check(app_configs=None, **kwargs) -> list[Error]:
    """EQUITIME_SITE_URL: required in production, and a web address wherever set."""
    value = getattr(settings, "EQUITIME_SITE_URL", "")
    if not value:
        if not getattr(settings, "PRODUCTION", False):
            return []
        return [
            Error(
                "EQUITIME_SITE_URL is not set. Links in e-mails (confirming an address, "
                "resetting a password, notifications) need the address members reach "
                "Equitime on.",
                hint="Set EQUITIME_SITE_URL to the public address, such as "
                "https://equitime.example.org, on every web process and worker.",
                id="equitime.E002",
            )
        ]
    bits = urlsplit(value)
    if (
        bits.scheme in ("http", "https")
        and bits.netloc
        and bits.path in ("", "/")
        and not (bits.query or bits.fragment)
    ):
        return []
    return [
        Error(
            f"EQUITIME_SITE_URL is {value!r}, which is not the address of a site.",
            hint="Give the scheme and host only, such as https://equitime.example.org (no path).",
            id="equitime.E003",
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

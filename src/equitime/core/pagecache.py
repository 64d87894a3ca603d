"""Whole pages cached per member, and forgotten the moment any data changes.

A signed-in member's page costs tens of milliseconds of Python to build (the
request, the model instances, the templates) even when its queries take one.
Most visits repeat a page nothing has changed since: the browse page between
two listings, the dashboard between two exchanges. So the pages that opt in
(``@member_page``) are kept whole in the cache, per member and per session::

    request ──► PageCacheMiddleware.process_view ── hit ──► the stored page
                       │ miss
                       ▼
                     view ──► response ──► stored under the current generation

Correctness rests on one number, the **data generation**. Every INSERT,
UPDATE or DELETE that the application sends to a table whose rows a page can
show moves it on (``_watch_writes``, an execute wrapper on every connection),
when its transaction commits. A page is stored with the generation read
before it was built (the two are read in one round trip) and served only
while that is still the generation, so a write committed during the build
makes that copy useless at once. No service has to remember to invalidate
anything: the database statements are the signal, including
``QuerySet.update``, bulk writes and raw SQL.

What is deliberately left out of the generation: sessions, the task queue,
the periodic-run records, API tokens' last-used stamps (a token's other
changes, its creation and revocation, do count), idempotency records, the
admin's log and a database cache's own table. None of them is shown on a
cached page, and they are written on almost every request.

What the key holds besides the generation: the member, the session and the
CSRF secret (a cached form's token must match the requester's cookie), the
language, the time zone the page's times are written in (the reader's,
activated by ``members.middleware``), htmx's request headers, and the full
path with its query. A page is
not stored or served when a message is waiting to be shown, when the browser
does not yet hold the CSRF cookie, or when the view sets a cookie. Pages expire after
``EQUITIME_PAGE_CACHE_SECONDS`` in any case (0 turns the cache off), which
bounds how stale a relative time ("3 minutes ago") can be.

This is coarse on purpose: any write forgets every cached page. Under a heavy
write load the hit rate falls and pages cost what they cost uncached; they are
never wrong.
"""

import hashlib
import re
import time
from collections.abc import Callable
from datetime import datetime
from functools import wraps
from typing import Any, NamedTuple, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import connection as default_connection
from django.db.backends.signals import connection_created
from django.http import HttpResponse
from django.utils import timezone

GENERATION_KEY = "equitime:datagen"
# In every stored answer's key: a release that changes what is stored moves it
# on, so it never reads a copy stored in another shape by the release before.
STORED_FORMAT = 2
HIT_HEADER = "X-Equitime-Page-Cache"

# Written on (almost) every request and never shown on a cached page.
UNSHOWN_TABLES = frozenset(
    {
        "django_session",
        "django_tasks_database_dbtaskresult",
        "jobs_periodicrun",
        "api_idempotentrequest",
        "django_admin_log",
    }
)
# The one write to a shown table that is not a change: a token's last-used
# stamp, noted at most once a minute (api.services.api_token_authenticate).
# Revoking a token is an UPDATE of other columns, so it still moves the
# generation on, and a stored API answer is never given for a revoked token.
_UNSHOWN_UPDATE = re.compile(
    r"""^\s*UPDATE\s+"api_apitoken"\s+SET\s+"last_used_at"\s*=\s*%s\s+WHERE"""
)
_WRITE = re.compile(
    r"""^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+["`]?(\w+)""",
    re.IGNORECASE,
)


View = TypeVar("View", bound=Callable[..., Any])


def member_page(view: View) -> View:
    """Mark a GET view whose page may be kept whole per member (see above)."""
    # A mark on the function itself, read by the middleware.
    view.equitime_member_page = True  # type: ignore[attr-defined]  # any function takes one
    return view


# --- The data generation ------------------------------------------------------


def generation() -> int:
    number: int | None = cache.get_or_set(GENERATION_KEY, _fresh_start, None)
    return number if number is not None else _fresh_start()


def bump_generation() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # evicted, or never read: start afresh
        cache.set(GENERATION_KEY, _fresh_start(), None)


def _fresh_start() -> int:
    """A starting number no earlier generation can have reached: the clock in
    microseconds. So a generation lost from the cache never brings back pages
    stored under an old number."""
    return time.time_ns() // 1000


def _cache_tables() -> frozenset[str]:
    return frozenset(
        conf["LOCATION"]
        for conf in settings.CACHES.values()
        if conf["BACKEND"].endswith("DatabaseCache")
    )


def written_table(sql: str) -> str | None:
    """The table an INSERT, UPDATE or DELETE writes to; None for anything else
    (a token's last-used stamp included: see _UNSHOWN_UPDATE)."""
    found = _WRITE.match(sql)
    if found is None or _UNSHOWN_UPDATE.match(sql):
        return None
    return found.group(1).lower()


def _watch_writes(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    if sql[:1] in "ISUDisud" or sql[:1].isspace():
        table = written_table(sql)
        if table and table not in UNSHOWN_TABLES and table not in _cache_tables():
            _changed(context["connection"])
    return result


def _changed(connection) -> None:
    """Move the generation on when the transaction commits (at once outside
    one). A page built and stored between the write and the commit holds the
    old rows under the old generation, so it is never served afterwards."""
    if not connection.in_atomic_block:
        bump_generation()
    elif getattr(connection.atomic_blocks[0], "_from_testcase", False):
        # A test's own transaction never commits: move on at once instead.
        bump_generation()
    elif not any(func is bump_generation for _, func, _ in connection.run_on_commit):
        connection.on_commit(bump_generation)


def _install(sender, connection, **kwargs):
    if _watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch_writes)


def install() -> None:
    """Watch every connection's writes (called from CoreConfig.ready)."""
    connection_created.connect(_install, dispatch_uid="equitime-page-cache")
    if default_connection.connection is not None:  # opened before ready()
        _install(None, default_connection)


# --- The pages --------------------------------------------------------------


def _page_parts(request) -> tuple[str, ...]:
    return (
        request.get_full_path(),
        request.session.session_key or "",
        request.META.get("CSRF_COOKIE", ""),
        getattr(request, "LANGUAGE_CODE", ""),
        # A page's times are written on its reader's clock.
        timezone.get_current_timezone_name(),
        request.headers.get("HX-Request", ""),
        request.headers.get("HX-Target", ""),
        request.headers.get("HX-Trigger", ""),
        request.headers.get("HX-Boosted", ""),
    )


def _digest(parts: tuple[str, ...]) -> str:
    return hashlib.blake2b("\0".join(parts).encode(), digest_size=16).hexdigest()


def _lookup(key: str) -> tuple[tuple | None, int]:
    """The answer stored under ``key`` if it was stored under the current
    generation (else None), and that generation: both in one round trip."""
    found = cache.get_many([GENERATION_KEY, key])
    current = found.get(GENERATION_KEY)
    if current is None:
        current = generation()
    stored = found.get(key)
    return (stored if stored is not None and stored[0] == current else None), current


def _csrf_settled(request) -> bool:
    """The CSRF secret is the one the browser already holds in its cookie, so a
    form token built from it stays valid for this browser. (Django marks the
    cookie for re-sending whenever a token is drawn, so that mark is no sign
    of a change.)"""
    secret = request.META.get("CSRF_COOKIE")
    return bool(secret) and request.COOKIES.get(settings.CSRF_COOKIE_NAME) == secret


def _may_use(request) -> bool:
    return (
        settings.EQUITIME_PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and request.user.is_authenticated
        and _csrf_settled(request)
        and not len(getattr(request, "_messages", ()))
    )


class PageCacheMiddleware:
    """Serves and stores the pages of views marked ``@member_page``. Last in
    the middleware list: authentication, the session's timeout and messages
    have all run before it decides."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        pending: tuple[str, int] | None = getattr(request, "_equitime_page", None)
        if pending and self._storable(request, response):
            key, gen = pending
            _store(key, gen, response)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not getattr(view_func, "equitime_member_page", False) or not _may_use(request):
            return None
        key = f"equitime:page{STORED_FORMAT}:{request.user.pk}:{_digest(_page_parts(request))}"
        stored, gen = _lookup(key)
        if stored is None:
            request._equitime_page = (key, gen)
            return None
        return _stored_response(stored)

    @staticmethod
    def _storable(request, response) -> bool:
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and _csrf_settled(request)
            and not len(getattr(request, "_messages", ()))
        )


# --- The API's lists --------------------------------------------------------


class TokenGrant(NamedTuple):
    """What a stored API answer remembers of the token it was built for: the
    rate limit counts per token (``pk``), the request log names the member
    (``member_id``), and the token may expire meanwhile (``expires_at``)."""

    pk: int
    member_id: int
    expires_at: datetime | None

    def usable(self) -> bool:
        return self.expires_at is None or self.expires_at > timezone.now()


def member_api_list(run):
    """For ``ninja.decorators.decorate_view``: an API list kept per credential
    like a page. A miss runs the operation as usual. A stored answer is given
    only while the caller may still have it:

    - for a token, while the generation is the one it was stored under (so the
      token has not been revoked and its member not suspended since: both
      writes move the generation on) and the token has not expired; the
      token's rate limit is counted as on a miss, without a database query;
    - for a browser session, after the operation's own checks run again."""
    operation = run.__self__

    @wraps(run)
    def cached_run(request, **kwargs):
        credential = _api_credential(request)
        if request.method != "GET" or not credential or not settings.EQUITIME_PAGE_CACHE_SECONDS:
            return run(request, **kwargs)
        # The zone is the session member's here; a token's member's zone is
        # activated only once the token is read (api.auth), but the token names
        # the member, and a change of their zone moves the generation on.
        parts = (
            request.get_full_path(),
            credential,
            getattr(request, "LANGUAGE_CODE", ""),
            timezone.get_current_timezone_name(),
        )
        key = f"equitime:api{STORED_FORMAT}:{_digest(parts)}"
        stored, gen = _lookup(key)
        if stored is None:
            response = run(request, **kwargs)
            if response.status_code == 200 and getattr(request, "auth", None) is not None:
                _store(key, gen, response, grant=_token_grant(request))
            return response
        grant = stored[3]
        if grant is not None and grant.usable():
            request.api_token = grant
            refused = operation._check_throttles(request)
        else:
            refused = operation._run_checks(request)
        if refused:
            return refused
        return _stored_response(stored)

    return cached_run


def _api_credential(request) -> str:
    """The bearer token as sent, or the signed-in browser session."""
    authorization = request.headers.get("Authorization", "")
    if authorization:
        return "token:" + authorization
    session = getattr(request, "session", None)
    if session is not None and session.session_key and request.user.is_authenticated:
        return f"session:{session.session_key}:{request.user.pk}"
    return ""


def _token_grant(request) -> TokenGrant | None:
    token = getattr(request, "api_token", None)
    if token is None:
        return None
    return TokenGrant(pk=token.pk, member_id=token.member_id, expires_at=token.expires_at)


def _store(key: str, gen: int, response, grant: TokenGrant | None = None) -> None:
    """The body and the view's own headers, under the generation read before
    the answer was built; cookies are never kept (the middleware outside sets
    the session's and the CSRF cookie afresh)."""
    headers = dict(response.items())
    stored = (gen, response.content, headers, grant)
    cache.set(key, stored, settings.EQUITIME_PAGE_CACHE_SECONDS)


def _stored_response(stored) -> HttpResponse:
    _, content, headers, _grant = stored
    response = HttpResponse(content)
    for name, value in headers.items():
        response[name] = value
    response[HIT_HEADER] = "hit"
    return response

"""The health endpoint a load balancer probes: ``GET /health/``.

Three checks, each cheap: the database answers ``SELECT 1``, the cache (Redis
when ``REDIS_URL`` is set) stores and returns a value, and the task queue is
reachable. All pass: 200 and ``{"status": "ok", ...}``. One fails: 503, the
same document with ``"status": "fail"`` and, for the failing check, the kind of
error (only its class name: the endpoint is public, so host names and messages
go to the log, not to the caller).

The queue check reports the age of the oldest task waiting to run, for
dashboards and alerts, but never fails on it: a backlog means the workers are
behind, not that this web process is broken, and taking every web process out
of the balancer would not help the workers catch up. It fails only when the
queue cannot be read.

``HealthCheckMiddleware`` answers it just inside Django's SecurityMiddleware,
before sessions, authentication, CSRF, the rate limits and the host check: a
probe reads no session, sets no cookie, costs three small queries, and is
answered whatever Host header the balancer sends (often its own IP address,
which ALLOWED_HOSTS would refuse; the answer does not depend on the host). It
is excluded from the HTTPS redirect (``SECURE_REDIRECT_EXEMPT``) so a balancer
can probe over plain HTTP. The URL is also routed (``urls.py``), for
``reverse("health")`` and so that it still answers if the middleware is left out.
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

CACHE_KEY = "equitime:health"
PATH = "/health/"


class CheckFailed(Exception):
    """A check found its service answering, but wrongly."""


def check_database() -> dict:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")
        if cursor.fetchone() != (1,):
            raise CheckFailed("SELECT 1 did not return 1")
    return {}


def check_cache() -> dict:
    # A value of our own, so a stale key from another process cannot pass for an answer.
    value = secrets.token_hex(8)
    cache.set(CACHE_KEY, value, timeout=30)
    if cache.get(CACHE_KEY) != value:
        raise CheckFailed("the cache did not return the value just stored")
    return {}


def check_queue() -> dict:
    """The task backend is reachable; how long the oldest ready task has waited."""
    if not getattr(settings, "TASKS", None):
        return {"detail": "no task queue configured"}
    from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends

    backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
    result: dict = {"backend": type(backend).__name__}
    if type(backend).__module__.startswith("django_tasks_db"):
        from django_tasks_db.models import DBTaskResult

        oldest = (
            DBTaskResult.objects.ready()
            .filter(backend_name=backend.alias)
            .order_by("enqueued_at")
            .values_list("enqueued_at", flat=True)
            .first()
        )
        age = (timezone.now() - oldest).total_seconds() if oldest else 0.0
        result["oldest_ready_seconds"] = round(max(age, 0.0), 1)
    return result


CHECKS: dict[str, Callable[[], dict]] = {
    "database": check_database,
    "cache": check_cache,
    "queue": check_queue,
}


def run_checks() -> tuple[bool, dict[str, dict]]:
    results: dict[str, dict] = {}
    healthy = True
    for name, check in CHECKS.items():
        started = time.perf_counter()
        try:
            outcome = {"ok": True, **check()}
        except Exception as error:  # any failure is a failed check, never a 500
            healthy = False
            outcome = {"ok": False, "error": type(error).__name__}
            logger.error("health check %s failed: %s", name, error, exc_info=True)
        outcome["ms"] = round((time.perf_counter() - started) * 1000, 1)
        results[name] = outcome
    return healthy, results


@never_cache
@require_safe
def health(request: HttpRequest) -> JsonResponse:
    healthy, results = run_checks()
    return JsonResponse(
        {"status": "ok" if healthy else "fail", "checks": results},
        status=200 if healthy else 503,
    )


class HealthCheckMiddleware:
    """Answers ``/health/`` before anything that would read a session or a host."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == PATH:
            return health(request)
        return self.get_response(request)

"""Rate limits for the API, counted in the cache (Redis when REDIS_URL is set,
so every process counts together; local memory otherwise).

Two limits apply to every request: one per client IP address, checked before
anything else (``ApiIpRateLimitMiddleware``), and one per credential: each
token counts on its own, a browser session counts per member
(``CredentialThrottle``). Writes have a tighter limit than reads. A refused
request gets 429 with Retry-After.

A fixed window counter: ``cache.incr`` counts atomically, so two processes
cannot both take the last request; when the window's key is not there yet,
``cache.add`` starts it (only one process's add wins) and the count is retried.
"""

import math
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponseBase
from django.utils import translation
from django.utils.translation import ngettext
from ninja.throttling import BaseThrottle

from equitime.api.problems import problem_response

_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def parse_rate(rate: str) -> tuple[int, int]:
    """'120/m' -> (120, 60)."""
    count, _, period = rate.partition("/")
    return int(count), _PERIODS[period.strip()[0]]


def hit(scope: str, ident: str, rate: str) -> float | None:
    """Count one request; None if allowed, else the seconds until the window ends."""
    limit, period = parse_rate(rate)
    now = time.time()
    window = int(now // period)
    key = f"equitime:rl:{scope}:{ident}:{window}"
    try:
        count = cache.incr(key)  # one round trip once the window has begun
    except ValueError:
        cache.add(key, 0, timeout=period + 1)
        try:
            count = cache.incr(key)
        except ValueError:  # evicted between add and incr: start again
            cache.set(key, 1, timeout=period + 1)
            count = 1
    if count > limit:
        return (window + 1) * period - now
    return None


def client_ip(request: HttpRequest) -> str:
    """The client's address; behind N proxies, the Nth from the right of X-Forwarded-For."""
    proxies = settings.ALLAUTH_TRUSTED_PROXY_COUNT
    forwarded: str = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        addresses = [a.strip() for a in forwarded.split(",") if a.strip()]
        if addresses:
            return addresses[-min(proxies, len(addresses))]
    remote: str = request.META.get("REMOTE_ADDR", "")
    return remote or "unknown"


class ApiIpRateLimitMiddleware:
    """Per-IP limit on /api/, before authentication, so guessing is limited too."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.path.startswith("/api/"):
            wait = hit("ip", client_ip(request), settings.EQUITIME_API_RATE_PER_IP)
            if wait is not None:
                seconds = max(math.ceil(wait), 1)
                # Before LocaleMiddleware: the language the caller's browser asks for.
                with translation.override(translation.get_language_from_request(request)):
                    return problem_response(
                        request,
                        status=429,
                        detail=ngettext(
                            "Too many requests from this address. Try again in %(seconds)d second.",
                            "Too many requests from this address. "
                            "Try again in %(seconds)d seconds.",
                            seconds,
                        )
                        % {"seconds": seconds},
                        code="rate_limited",
                        headers={"Retry-After": str(seconds)},
                    )
        return self.get_response(request)


class CredentialThrottle(BaseThrottle):
    """Per token (or per member for a browser session); writes counted apart."""

    def __init__(self) -> None:
        self._wait: float | None = None

    def allow_request(self, request: HttpRequest) -> bool:
        token = getattr(request, "api_token", None)
        member = getattr(request, "auth", None)
        if token is not None:
            ident = f"token:{token.pk}"
        elif member is not None and getattr(member, "pk", None):
            ident = f"member:{member.pk}"
        else:
            return True  # anonymous: the IP limit applies
        wait = hit("read", ident, settings.EQUITIME_API_RATE_PER_TOKEN)
        if wait is None and request.method not in SAFE_METHODS:
            wait = hit("write", ident, settings.EQUITIME_API_WRITE_RATE_PER_TOKEN)
        self._wait = wait
        return wait is None

    def wait(self) -> float | None:
        return self._wait

"""Logs: one JSON object per line in production, plain text in development.

Every request is logged once, at INFO, by ``RequestLogMiddleware``: method,
path (never the query string, which can carry what someone searched for),
status, duration in milliseconds, and the member's id when someone is signed
in; nothing else about the person. Each request has an id, taken from the
proxy's ``X-Request-ID`` when it sends a sensible one (so nginx's log and ours
match) or made here, returned in the response's ``X-Request-ID`` and added to
every line logged while the request runs. Health probes are logged at DEBUG,
so a balancer's probes every few seconds do not drown the log.

A JSON line looks like::

    {"time": "2026-12-05T23:01:02.345+00:00", "level": "INFO",
     "logger": "equitime.request", "message": "GET /listings/ 200 41.2ms",
     "request_id": "9f0c...", "method": "GET", "path": "/listings/",
     "status": 200, "duration_ms": 41.2, "member_id": 17}
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from contextvars import ContextVar

from pythonjsonlogger.json import JsonFormatter as _JsonFormatter

HEADER = "X-Request-ID"
_ACCEPTED_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
_request_id: ContextVar[str | None] = ContextVar("equitime_request_id", default=None)

request_logger = logging.getLogger("equitime.request")

# Attributes Django's own loggers add that must not reach the log: the request
# object's text includes the query string, and the socket is no use to anyone.
_DROPPED = ("request", "server_time")


class JsonFormatter(_JsonFormatter):
    """time (ISO 8601, UTC), level, logger and message, then the extras."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("fmt", ["levelname", "name", "message"])
        kwargs.setdefault("rename_fields", {"levelname": "level", "name": "logger"})
        kwargs.setdefault("timestamp", "time")
        super().__init__(*args, **kwargs)

    def add_fields(self, log_data, record, message_dict):
        super().add_fields(log_data, record, message_dict)
        for name in _DROPPED:
            log_data.pop(name, None)

    def process_log_record(self, log_data):
        # The time first, as people and log shippers read it.
        return {"time": log_data.pop("time", None), **log_data}


class RequestIdFilter(logging.Filter):
    """Adds the current request's id to every record logged during it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            request_id = _request_id.get()
            if request_id is not None:
                record.request_id = request_id
        return True


def current_request_id() -> str | None:
    return _request_id.get()


def _member_id(request) -> int | None:
    token = getattr(request, "api_token", None)  # the API's token (or a cached answer's grant)
    if token is not None:
        return token.member_id
    auth = getattr(request, "auth", None)  # the API's session member
    pk = getattr(auth, "pk", None)
    if pk is not None and getattr(auth, "is_authenticated", False):
        return pk
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return user.pk
    return None


class RequestLogMiddleware:
    """Outermost: gives each request an id and logs it once it is answered."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get(HEADER, "")
        request_id = incoming if _ACCEPTED_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = _request_id.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            duration_ms = round((time.perf_counter() - started) * 1000, 1)
            response[HEADER] = request_id
            level = logging.DEBUG if request.path.startswith("/health/") else logging.INFO
            request_logger.log(
                level,
                "%s %s %s %sms",
                request.method,
                request.path,
                response.status_code,
                duration_ms,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": duration_ms,
                    "member_id": _member_id(request),
                },
            )
            return response
        finally:
            _request_id.reset(token)

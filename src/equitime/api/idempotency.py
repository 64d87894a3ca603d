"""Idempotency-Key for POSTs that create exchanges or move credits.

A client sends ``Idempotency-Key: <up to 255 visible characters>``. The key's
record (member, key, a hash of method, path and body), the operation and the
answer are written in ONE transaction:

    BEGIN
      INSERT the key's record        (unique per member and key: a second
                                      request with the key waits here)
      run the operation              (the services' own writes)
      UPDATE the record with the answer
    COMMIT

so the database holds either all three or none of them. A worker killed at any
point leaves nothing behind: the retry runs the operation as if for the first
time. A second request with the key, even one arriving at the same moment,
waits for the first to commit (PostgreSQL waits on the unique index, SQLite on
its write lock) and then finds:

- same request: the stored answer is returned again, with
  ``Idempotent-Replayed: true``; nothing runs twice;
- a different request with the key: 422, the key is refused.

If the request fails (a rule refused it), the transaction is rolled back, the
record with it, so a retry runs again. Records are kept for
``EQUITIME_IDEMPOTENCY_HOURS`` hours, and ``GET /api/v1/idempotency/{key}``
shows the member what their key's request answered. Underneath, the services
have their own keys (the proposal key, the keys derived from each exchange),
so credits move once even without this header.
"""

import hashlib
import re
from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING, TypeVar

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Schema

from equitime.api.base import json_data
from equitime.api.models import IdempotentRequest
from equitime.api.problems import ApiProblem

if TYPE_CHECKING:
    from django.contrib.auth.models import _User

    from equitime.api.auth import ApiRequest

Body = TypeVar("Body", bound=Schema)

HEADER = "Idempotency-Key"
_VALID_KEY = re.compile(r"^[\x21-\x7e]{1,255}$")
# A service key too long to store is kept as "#" and a SHA-256 hex digest (cut
# to fit): the Idempotency-Key itself is then found in its record, if kept.
_DIGEST = re.compile(r"^#[0-9a-f]{40,64}$")


def request_key(request: HttpRequest) -> str | None:
    """The request's Idempotency-Key, checked; None if it sent none."""
    key = request.headers.get(HEADER)
    if key is None:
        return None
    key = key.strip()
    if not _VALID_KEY.match(key):
        raise ApiProblem(
            400,
            _("Idempotency-Key must be 1 to 255 visible ASCII characters."),
            code="invalid_idempotency_key",
        )
    return key


def _fingerprint(request: HttpRequest) -> str:
    digest = hashlib.sha256()
    digest.update((request.method or "").encode())
    digest.update(b"\0")
    digest.update(request.path.encode())
    digest.update(b"\0")
    digest.update(request.body or b"")
    return digest.hexdigest()


def _response(status: int, body: object, resource_url: str) -> JsonResponse:
    response = JsonResponse(body, status=status, safe=False)
    if status == 201 and resource_url:
        response["Location"] = resource_url
    return response


def _replay(record: IdempotentRequest) -> JsonResponse:
    assert record.status_code is not None  # only answered records are replayed
    response = _response(record.status_code, record.response_body, record.resource_url)
    response["Idempotent-Replayed"] = "true"
    return response


def _step(name: str) -> None:
    """A boundary between two steps ("recorded", "ran", "answered",
    "committed"). Does nothing; the fault tests replace it with one that kills
    the process there, to prove that no boundary leaves a half-done request."""


class _KeyTaken(Exception):
    """The key's record exists (committed by an earlier request)."""


def idempotent(
    request: "ApiRequest",
    run: Callable[[], tuple[int, Body]],
    *,
    location: Callable[[Body], str | None] | None = None,
) -> JsonResponse:
    """Run ``run`` once per Idempotency-Key; it returns (status, schema object).
    ``location`` gives the URL of the resource the answer is about (kept with
    the answer, and sent as Location on a 201)."""
    key = request_key(request)
    if key is None:
        status, body = run()
        url = (location(body) or "") if location else ""
        return _response(status, json_data(body.model_dump()), url)
    member = request.auth
    fingerprint = _fingerprint(request)
    cutoff = timezone.now() - timedelta(hours=settings.EQUITIME_IDEMPOTENCY_HOURS)
    try:
        with transaction.atomic():
            # Expired, or left unanswered by an older version that committed
            # the record on its own: forgotten, so the key runs afresh.
            IdempotentRequest.objects.filter(member=member, key=key).filter(
                Q(created_at__lt=cutoff) | Q(status_code__isnull=True)
            ).delete()
            try:
                with transaction.atomic():
                    record = IdempotentRequest.objects.create(
                        member=member, key=key, fingerprint=fingerprint, path=request.path[:500]
                    )
            except IntegrityError:
                raise _KeyTaken from None
            _step("recorded")
            status, body = run()
            _step("ran")
            data = json_data(body.model_dump())
            url = (location(body) or "") if location else ""
            IdempotentRequest.objects.filter(pk=record.pk).update(
                status_code=status, response_body=data, resource_url=url[:500]
            )
            _step("answered")
    except _KeyTaken:
        return _answer_taken(member=member, key=key, fingerprint=fingerprint)
    _step("committed")
    return _response(status, data, url)


def _answer_taken(*, member: "_User", key: str, fingerprint: str) -> JsonResponse:
    record = IdempotentRequest.objects.filter(member=member, key=key).first()
    if record is None or record.status_code is None:
        # Removed between our insert and this read (it had expired): rare.
        raise ApiProblem(
            409,
            _("A request with this Idempotency-Key was just retried; send it again."),
            code="idempotency_retry",
            headers={"Retry-After": "1"},
            retryable=True,
        )
    if record.fingerprint != fingerprint:
        raise ApiProblem(
            422,
            _("This Idempotency-Key was used for a different request. Use a new key."),
            code="idempotency_key_reused",
        )
    return _replay(record)


def record_get(*, member: "_User", key: str) -> IdempotentRequest | None:
    """The member's own answered, unexpired record for a key, or None."""
    cutoff = timezone.now() - timedelta(hours=settings.EQUITIME_IDEMPOTENCY_HOURS)
    return IdempotentRequest.objects.filter(
        member=member, key=key, status_code__isnull=False, created_at__gte=cutoff
    ).first()


def key_created_with(
    *, request: "ApiRequest", service_key: str | None, resource_url: str
) -> str | None:
    """The Idempotency-Key that the caller created a resource with, read back
    from the key its service stored (``api:<member id>:<key>``); None if it was
    made without one, or by someone else. A key too long for the service was
    stored as "#" and its digest: then it is this request's own key, or the
    one in the caller's record for the resource, while that is kept."""
    member = request.auth
    prefix = f"api:{member.pk}:"
    if not service_key or not service_key.startswith(prefix):
        return None
    key = service_key[len(prefix) :]
    if not _DIGEST.match(key):
        return key
    sent = request.headers.get(HEADER, "").strip()
    if sent and hashlib.sha256(sent.encode()).hexdigest().startswith(key[1:]):
        return sent
    return (
        IdempotentRequest.objects.filter(member=member, resource_url=resource_url, status_code=201)
        .values_list("key", flat=True)
        .first()
    )

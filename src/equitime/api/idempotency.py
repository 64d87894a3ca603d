"""Idempotency-Key for POSTs that create exchanges or move credits.

A client sends ``Idempotency-Key: <up to 255 visible characters>``. The first
request with a key is remembered (member, key, a hash of method, path and
body) before it runs, in its own committed row, so a second request with the
key, even one arriving at the same moment, finds it:

- same request, finished: the stored response is returned again, with
  ``Idempotent-Replayed: true``; nothing runs twice;
- same request, still running: 409 with Retry-After: 1;
- a different request with the key: 422, the key is refused.

If the request fails (a rule refused it), the row is removed so that a retry
runs again. Records are kept for ``EQUITIME_IDEMPOTENCY_HOURS`` hours.
Underneath, the services have their own keys (the proposal key, the keys
derived from each exchange), so credits move once even without this header.
"""

import hashlib
import re
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Schema

from equitime.api.models import IdempotentRequest
from equitime.api.problems import ApiProblem

HEADER = "Idempotency-Key"
_VALID_KEY = re.compile(r"^[\x21-\x7e]{1,255}$")


def request_key(request) -> str | None:
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


def _fingerprint(request) -> str:
    digest = hashlib.sha256()
    digest.update(request.method.encode())
    digest.update(b"\0")
    digest.update(request.path.encode())
    digest.update(b"\0")
    digest.update(request.body or b"")
    return digest.hexdigest()


def _replay(record: IdempotentRequest) -> JsonResponse:
    response = JsonResponse(record.response_body, status=record.status_code, safe=False)
    response["Idempotent-Replayed"] = "true"
    return response


def idempotent(request, run: Callable[[], tuple[int, Schema]]) -> JsonResponse:
    """Run ``run`` once per Idempotency-Key; it returns (status, schema object)."""
    key = request_key(request)
    if key is None:
        status, body = run()
        return JsonResponse(body.model_dump(mode="json"), status=status)
    member = request.auth
    fingerprint = _fingerprint(request)
    cutoff = timezone.now() - timedelta(hours=settings.EQUITIME_IDEMPOTENCY_HOURS)
    IdempotentRequest.objects.filter(member=member, key=key, created_at__lt=cutoff).delete()
    try:
        with transaction.atomic():
            record = IdempotentRequest.objects.create(
                member=member, key=key, fingerprint=fingerprint
            )
    except IntegrityError:
        record = IdempotentRequest.objects.filter(member=member, key=key).first()
        if record is None:  # the first one failed and was removed just now
            raise ApiProblem(
                409,
                _("A request with this Idempotency-Key was just retried; send it again."),
                code="idempotency_retry",
                headers={"Retry-After": "1"},
            ) from None
        if record.fingerprint != fingerprint:
            raise ApiProblem(
                422,
                _("This Idempotency-Key was used for a different request. Use a new key."),
                code="idempotency_key_reused",
            ) from None
        if record.status_code is None:
            raise ApiProblem(
                409,
                _("A request with this Idempotency-Key is still running. Retry in a moment."),
                code="idempotency_in_progress",
                headers={"Retry-After": "1"},
            ) from None
        return _replay(record)
    try:
        status, body = run()
    except BaseException:
        IdempotentRequest.objects.filter(pk=record.pk).delete()
        raise
    data = body.model_dump(mode="json")
    IdempotentRequest.objects.filter(pk=record.pk).update(status_code=status, response_body=data)
    return JsonResponse(data, status=status)

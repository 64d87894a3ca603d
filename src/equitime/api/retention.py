"""How long the API's own records are kept.

* Idempotency records (``EQUITIME_RETENTION["idempotency_records_days"]``,
  never less than the replay window ``EQUITIME_IDEMPOTENCY_HOURS``): each holds
  the answer to a request, which can name members and exchanges.
* API tokens that expired or were revoked (``"api_tokens_days"``), counted
  from when they stopped working: kept a while so their use stays explainable,
  then deleted. A closed (erased) member's tokens go at once: they can no
  longer be used, and their names are the member's words.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from equitime.api.models import ApiToken, IdempotentRequest
from equitime.core.retention import ERASED_DOMAIN, retention_cutoff


def idempotent_requests_expired(*, now: datetime | None = None) -> QuerySet[IdempotentRequest]:
    now = now or timezone.now()
    # A record still inside its replay window answers a retry: never sooner.
    cutoff = min(
        retention_cutoff("idempotency_records", now=now),
        now - timedelta(hours=settings.EQUITIME_IDEMPOTENCY_HOURS),
    )
    return IdempotentRequest.objects.filter(created_at__lt=cutoff)


def idempotent_request_purge_expired(*, now: datetime | None = None) -> int:
    deleted, _ = idempotent_requests_expired(now=now).delete()
    return deleted


def api_tokens_expired(*, now: datetime | None = None) -> QuerySet[ApiToken]:
    cutoff = retention_cutoff("api_tokens", now=now)
    return ApiToken.objects.filter(
        Q(revoked_at__lt=cutoff)
        | Q(expires_at__lt=cutoff)
        | Q(member__email__endswith=f"@{ERASED_DOMAIN}")
    )


def api_token_purge_expired(*, now: datetime | None = None) -> int:
    deleted, _ = api_tokens_expired(now=now).delete()
    return deleted

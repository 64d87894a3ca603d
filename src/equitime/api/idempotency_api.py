"""API: what happened to a request whose answer the client never received.

A client that sent a POST with an Idempotency-Key and lost the answer (a
timeout, a dropped connection) asks ``GET /idempotency/{key}``: 200 with the
stored answer means the request was done, exactly once; 404 means nothing was
done with that key (it failed and was rolled back, never arrived, or its record
expired), so sending the same request again with the same key is safe.
"""

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.http import Http404
from ninja import Field, Router, Schema

from equitime.api.auth import ApiRequest
from equitime.api.idempotency import record_get
from equitime.api.models import IdempotentRequest
from equitime.api.problems import PROBLEM_RESPONSES

router = Router(tags=["Idempotency"])


class IdempotentOutcomeOut(Schema):
    key: str
    path: str = Field(description="Where the request was sent, e.g. /api/v1/exchanges.")
    status: int = Field(description="The HTTP status it was answered with.")
    body: Any = Field(description="The body it was answered with, as it was sent.")
    resource_url: str | None = Field(
        description="The address of what the request made or changed (an exchange, a "
        "transfer); null when that has no address of its own."
    )
    created_at: datetime
    expires_at: datetime = Field(
        description="After this the key is forgotten and may be used for a new request."
    )

    @staticmethod
    def resolve_status(obj: IdempotentRequest) -> int | None:
        return obj.status_code

    @staticmethod
    def resolve_body(obj: IdempotentRequest) -> Any:
        return obj.response_body

    @staticmethod
    def resolve_resource_url(obj: IdempotentRequest) -> str | None:
        return obj.resource_url or None

    @staticmethod
    def resolve_expires_at(obj: IdempotentRequest) -> datetime:
        return obj.created_at + timedelta(hours=settings.EQUITIME_IDEMPOTENCY_HOURS)


@router.get(
    "/{path:key}",
    response={200: IdempotentOutcomeOut, **PROBLEM_RESPONSES},
    summary="What became of my request with this Idempotency-Key",
    description="The stored answer to the caller's own request with this key: the status, "
    "the body and the address of the resource. 404 when the caller has no answered request "
    "with this key (it failed and changed nothing, never arrived, or was forgotten after "
    f"{settings.EQUITIME_IDEMPOTENCY_HOURS} hours): sending it again with the same key is "
    "then safe. Another member's keys are never found.",
    operation_id="idempotency_get",
)
def idempotency_get(request: ApiRequest, key: str) -> IdempotentRequest:
    record = record_get(member=request.auth, key=key)
    if record is None:
        raise Http404
    return record

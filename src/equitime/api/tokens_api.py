"""API: the caller's personal access tokens (listing and revoking; tokens are
made on the web page, where the secret can be shown once to a person)."""

from datetime import datetime

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from equitime.api.auth import ApiRequest
from equitime.api.models import ApiToken
from equitime.api.problems import PROBLEM_RESPONSES
from equitime.api.services import api_token_revoke

router = Router(tags=["Tokens"])


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    read_only: bool
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None


@router.get("", response={200: list[TokenOut], **PROBLEM_RESPONSES}, summary="My API tokens")
def token_list(request: ApiRequest) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(member=request.auth).order_by("-created_at")


@router.post(
    "/{token_id}/revoke",
    response={200: TokenOut, **PROBLEM_RESPONSES},
    summary="Revoke one of my tokens",
)
def token_revoke(request: ApiRequest, token_id: int) -> ApiToken:
    token = get_object_or_404(ApiToken, pk=token_id, member=request.auth)
    return api_token_revoke(token=token, member=request.auth)

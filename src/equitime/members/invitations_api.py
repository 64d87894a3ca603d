"""API: invitations and roles, for community administrators
(``members.invite_member``, ``members.assign_role``)."""

from datetime import datetime
from typing import Annotated, Literal

from django.core.validators import validate_email
from django.db.models import QuerySet
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from equitime.api.auth import ApiRequest, member_with_permission
from equitime.api.idempotency import idempotent
from equitime.api.pagination import PageNumberPagination
from equitime.api.problems import PROBLEM_RESPONSES
from equitime.api.schemas import MemberRef, django_validated, required_text
from equitime.members.models import Invitation, Member
from equitime.members.roles import member_roles
from equitime.members.selectors import member_get_visible
from equitime.members.services import (
    invitation_send,
    invitation_withdraw,
    member_role_grant,
    member_role_revoke,
)

router = Router(tags=["Invitations and roles"])


class InvitationOut(Schema):
    id: int
    email: str
    invited_by: MemberRef
    created_at: datetime
    expires_at: datetime
    accepted_at: datetime | None
    accepted_by: MemberRef | None
    revoked_at: datetime | None
    pending: bool = Field(description="Not used, withdrawn or expired yet.")

    @staticmethod
    def resolve_pending(obj: Invitation) -> bool:
        return obj.is_pending


class InvitationIn(Schema):
    email: Annotated[
        str,
        required_text(254, description="The address to invite; the link works once."),
        django_validated(validate_email),
    ]


@router.get(
    "",
    response={200: list[InvitationOut], **PROBLEM_RESPONSES},
    summary="Invitations sent",
    description="Every invitation, newest first. Community administrators only.",
    operation_id="invitation_list",
)
@paginate(PageNumberPagination, page_size=20, max_page_size=100)
def invitation_list(request: ApiRequest) -> QuerySet[Invitation]:
    member_with_permission(request, "members.invite_member")
    return Invitation.objects.select_related("invited_by", "accepted_by").order_by(
        "-created_at", "-id"
    )


@router.post(
    "",
    response={201: InvitationOut, **PROBLEM_RESPONSES},
    summary="Invite someone",
    description="E-mails a link that lets this one address join, even from outside the "
    "allowed domains. Inviting an address again withdraws the earlier invitation.",
    operation_id="invitation_send",
    url_name="invitation_send",
)
def invitation_create(request: ApiRequest, payload: InvitationIn) -> JsonResponse:
    member_with_permission(request, "members.invite_member")
    email = payload.email

    def run() -> tuple[int, InvitationOut]:
        invitation, _token = invitation_send(email=email, by=request.auth)
        return 201, InvitationOut.from_orm(invitation)

    return idempotent(request, run)


@router.post(
    "/{int:invitation_id}/withdraw",
    response={200: InvitationOut, **PROBLEM_RESPONSES},
    summary="Withdraw an invitation",
    operation_id="invitation_withdraw",
    url_name="invitation_withdraw",
)
def invitation_withdraw_op(request: ApiRequest, invitation_id: int) -> Invitation:
    member_with_permission(request, "members.invite_member")
    invitation = get_object_or_404(Invitation, pk=invitation_id)
    return invitation_withdraw(invitation=invitation, by=request.auth)


# --- Roles ---------------------------------------------------------------------------

roles_router = Router(tags=["Invitations and roles"])


class RoleChangeIn(Schema):
    role: Literal["moderator", "community_admin"]
    action: Literal["grant", "revoke"]


class MemberRolesOut(Schema):
    id: int
    display_name: str
    roles: list[str]

    @staticmethod
    def resolve_roles(obj: Member) -> list[str]:
        return member_roles(obj)


@roles_router.post(
    "/members/{int:member_id}/roles",
    response={200: MemberRolesOut, **PROBLEM_RESPONSES},
    summary="Give or take a member's role",
    description="Community administrators make members moderators; only the service's staff "
    "appoint community administrators.",
    operation_id="member_role_change",
)
def member_role_change(request: ApiRequest, member_id: int, payload: RoleChangeIn) -> Member:
    member = member_get_visible(pk=member_id, viewer=request.auth)
    change = member_role_grant if payload.action == "grant" else member_role_revoke
    return change(member=member, role=payload.role, by=request.auth)

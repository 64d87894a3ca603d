"""API: who could help with a request, invitations to help, and the caller's
choice about being suggested.

The same rules as the pages, held by ``services``: only a request's poster and
a coordinator see its helpers and ask them (404 for anyone else, as for a
listing that is not theirs); an invitation is seen by its helper, the poster
and whoever asked (404 for anyone else); refusals are problems.
"""

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal

from django.http import Http404
from ninja import Field, Router, Schema, Status
from pydantic import StrictBool

from equitime.api.auth import ApiRequest
from equitime.api.problems import PROBLEM_RESPONSES
from equitime.api.schemas import MemberRef, member_ref, text
from equitime.listings.access import listing_get_visible
from equitime.listings.models import Listing
from equitime.matching import selectors, services
from equitime.matching.access import help_invitation_get_visible
from equitime.matching.models import NOTE_MAX_LENGTH, HelpInvitation
from equitime.members.models import Member

router = Router(tags=["Who can help"])

if TYPE_CHECKING:
    InvitationStatus = str
else:
    InvitationStatus = Literal[tuple(HelpInvitation.Status.values)]
Move = Literal["accept", "decline", "withdraw"]


class HelperOut(Schema):
    member: MemberRef
    score: float = Field(description="Higher is a better match; only the order means anything.")
    reasons: list[str] = Field(description="Why they are suggested, in words a person reads.")


class HelperListOut(Schema):
    items: list[HelperOut]
    offers: list[int] = Field(description="Ids of open offers that might answer the request.")


class HelpInvitationOut(Schema):
    id: int
    listing_id: int
    helper: MemberRef
    asked_by: MemberRef
    status: InvitationStatus
    note: str
    decline_reason: str
    exchange_id: int | None = Field(description="The exchange proposed when the helper accepted.")
    created_at: datetime
    decided_at: datetime | None
    allowed_actions: list[Move] = Field(
        description="What the caller may do now: POST /help-invitations/{id}/<action>."
    )

    @staticmethod
    def resolve_helper(obj: HelpInvitation) -> MemberRef | None:
        return member_ref(obj.helper)

    @staticmethod
    def resolve_asked_by(obj: HelpInvitation) -> MemberRef | None:
        return member_ref(obj.asked_by)

    @staticmethod
    def resolve_allowed_actions(obj: HelpInvitation, context: dict[str, Any]) -> list[str]:
        return sorted(
            services.help_invitation_moves_for(invitation=obj, member=context["request"].auth)
        )


class AskIn(Schema):
    helper_id: int = Field(description="A member from GET /listings/{id}/helpers, or any other.")
    note: Annotated[str, text(NOTE_MAX_LENGTH, description="A short note for them.")] = ""


class AcceptIn(Schema):
    message: Annotated[str, text(NOTE_MAX_LENGTH, description="A message for the poster.")] = ""


class DeclineIn(Schema):
    reason: Annotated[str, text(NOTE_MAX_LENGTH, description="Why not; the poster sees it.")] = ""


class SuggestionsOut(Schema):
    suggestable: bool = Field(
        description="Whether posters of matching requests may see you among those who could help."
    )


class SuggestionsIn(Schema):
    suggestable: StrictBool


class RequestMatchOut(Schema):
    listing_id: int
    title: str
    score: float
    reasons: list[str]


def _out(request: ApiRequest, invitation: HelpInvitation) -> HelpInvitationOut:
    fresh = help_invitation_get_visible(member=request.auth, pk=invitation.pk)
    return HelpInvitationOut.from_orm(fresh, context={"request": request})


def _request_for_helpers(request: ApiRequest, listing_id: int) -> Listing:
    listing = listing_get_visible(member=request.auth, pk=listing_id)
    if not services.may_see_helpers(listing=listing, member=request.auth):
        raise Http404
    return listing


@router.get(
    "/listings/{int:listing_id}/helpers",
    response={200: HelperListOut, **PROBLEM_RESPONSES},
    summary="Who could help with a request",
    description="The members best placed to help, best first, with the reasons. Only the "
    "request's poster and coordinators see it (404 for anyone else, and for offers).",
    operation_id="listing_helpers",
)
def listing_helpers(request: ApiRequest, listing_id: int) -> HelperListOut:
    listing = _request_for_helpers(request, listing_id)
    return HelperListOut(
        items=[
            HelperOut(
                member=MemberRef(id=s.member.pk, display_name=s.member.display_name),
                score=s.score,
                reasons=s.reasons,
            )
            for s in selectors.helpers_for_request(listing)
        ],
        offers=[offer.pk for offer in selectors.offers_for_request(listing)],
    )


@router.post(
    "/listings/{int:listing_id}/help-invitations",
    response={201: HelpInvitationOut, **PROBLEM_RESPONSES},
    summary="Ask a colleague to help with a request",
    description=f"The poster (or a coordinator) asks; the helper is told by e-mail. At most "
    f"{services.MAX_OPEN_INVITATIONS} invitations wait at once, and nobody is asked twice "
    "about one request (409).",
    operation_id="help_invitation_create",
)
def help_invitation_create(
    request: ApiRequest, listing_id: int, payload: AskIn
) -> Status[HelpInvitationOut]:
    listing = _request_for_helpers(request, listing_id)
    helper = Member.objects.filter(pk=payload.helper_id).first()
    if helper is None:
        raise Http404
    invitation = services.help_invitation_ask(
        listing=listing, helper=helper, member=request.auth, note=payload.note
    )
    return Status(201, _out(request, invitation))


@router.get(
    "/help-invitations/{int:invitation_id}",
    response={200: HelpInvitationOut, **PROBLEM_RESPONSES},
    summary="One invitation to help",
    description="Seen by the helper, the poster and whoever asked.",
    operation_id="help_invitation_get",
)
def help_invitation_get(request: ApiRequest, invitation_id: int) -> HelpInvitationOut:
    return _out(request, help_invitation_get_visible(member=request.auth, pk=invitation_id))


@router.post(
    "/help-invitations/{int:invitation_id}/accept",
    response={200: HelpInvitationOut, **PROBLEM_RESPONSES},
    summary="Accept an invitation to help",
    description="The helper says yes: an exchange of the request's estimate is proposed, the "
    "helper giving the time (see exchange_id); the poster accepts it as any proposal.",
    operation_id="help_invitation_accept",
)
def help_invitation_accept(
    request: ApiRequest, invitation_id: int, payload: AcceptIn
) -> HelpInvitationOut:
    invitation = help_invitation_get_visible(member=request.auth, pk=invitation_id)
    return _out(
        request,
        services.help_invitation_accept(
            invitation=invitation, member=request.auth, message=payload.message
        ),
    )


@router.post(
    "/help-invitations/{int:invitation_id}/decline",
    response={200: HelpInvitationOut, **PROBLEM_RESPONSES},
    summary="Decline an invitation to help",
    operation_id="help_invitation_decline",
)
def help_invitation_decline(
    request: ApiRequest, invitation_id: int, payload: DeclineIn
) -> HelpInvitationOut:
    invitation = help_invitation_get_visible(member=request.auth, pk=invitation_id)
    return _out(
        request,
        services.help_invitation_decline(
            invitation=invitation, member=request.auth, reason=payload.reason
        ),
    )


@router.post(
    "/help-invitations/{int:invitation_id}/withdraw",
    response={200: HelpInvitationOut, **PROBLEM_RESPONSES},
    summary="Withdraw an invitation to help",
    description="The poster (or whoever asked) frees the place for someone else.",
    operation_id="help_invitation_withdraw",
)
def help_invitation_withdraw(request: ApiRequest, invitation_id: int) -> HelpInvitationOut:
    invitation = help_invitation_get_visible(member=request.auth, pk=invitation_id)
    return _out(
        request, services.help_invitation_withdraw(invitation=invitation, member=request.auth)
    )


@router.get(
    "/me/suggestions",
    response={200: SuggestionsOut, **PROBLEM_RESPONSES},
    summary="Whether I may be suggested as a helper",
    operation_id="suggestion_settings_get",
)
def suggestion_settings_get(request: ApiRequest) -> SuggestionsOut:
    return SuggestionsOut(suggestable=services.is_suggestable(request.auth))


@router.put(
    "/me/suggestions",
    response={200: SuggestionsOut, **PROBLEM_RESPONSES},
    summary="Turn being suggested as a helper on or off",
    operation_id="suggestion_settings_update",
)
def suggestion_settings_update(request: ApiRequest, payload: SuggestionsIn) -> SuggestionsOut:
    settings = services.suggestion_settings_update(
        member=request.auth, suggestable=payload.suggestable
    )
    return SuggestionsOut(suggestable=settings.suggestable)


@router.get(
    "/me/requests-to-help",
    response={200: list[RequestMatchOut], **PROBLEM_RESPONSES},
    summary="Open requests I could help with",
    description="The ranking read the other way: open requests matching my skills, my own "
    "words or the areas I have helped in, best first (at most 20).",
    operation_id="requests_for_me",
)
def requests_for_me(request: ApiRequest) -> list[RequestMatchOut]:
    return [
        RequestMatchOut(
            listing_id=match.listing.pk,
            title=match.listing.title,
            score=match.score,
            reasons=match.reasons,
        )
        for match in selectors.requests_for_helper(member=request.auth, limit=20)
    ]

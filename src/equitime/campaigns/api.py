"""API: campaigns and their progress, joining and featuring listings, group
sessions joining, and the ambassadors' new members.

Any member reads campaigns. Administrators (``campaigns.add_campaign`` /
``change_campaign``) create and change them (the image is uploaded on the
page; the API shows its address and description); a listing's owner, or a
group session's organiser, adds it to a running campaign and takes it out (an
administrator may take anything out);
ambassadors and administrators feature listings and welcome new members. The
services hold every rule; their refusals are problems.
"""

from datetime import date, datetime
from typing import Annotated, Any

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from equitime.api.auth import ApiRequest
from equitime.api.problems import PROBLEM_RESPONSES, ApiProblem
from equitime.api.schemas import MemberRef, member_ref, required_text, storable_ids
from equitime.campaigns import selectors, services
from equitime.campaigns.images import image_url
from equitime.campaigns.models import (
    WELCOME_MAX_LENGTH,
    Campaign,
    CampaignListing,
    CampaignSession,
    Welcome,
)
from equitime.campaigns.services import MAX_TARGET_HOURS
from equitime.core.errors import DomainError, ErrorKind
from equitime.core.units import MINUTES_PER_CREDIT
from equitime.listings.models import Listing
from equitime.members.models import Member
from equitime.scheduling.models import Session
from equitime.skills.api import ImprovementAreaOut
from equitime.skills.models import ImprovementArea

router = Router(tags=["Campaigns"])
ambassadors_router = Router(tags=["Campaigns"])


# --- Output -----------------------------------------------------------------------


class CampaignOut(Schema):
    slug: str
    title: str
    description: str
    improvement_area: ImprovementAreaOut
    starts_on: date
    ends_on: date
    target_minutes: int
    progress_minutes: int = Field(
        description="Minutes given in COMPLETED exchanges on the campaign's listings, "
        "completed between starts_on and the end of ends_on (UTC)."
    )
    running: bool
    image_url: str | None = Field(
        description="The campaign's image (JPEG, PNG or WebP), for signed-in members; "
        "null when it has none. Uploaded on the campaign's page."
    )
    image_alt: str = Field(description="What the image shows, for people who cannot see it.")


class CampaignListingOut(Schema):
    listing_id: int
    title: str
    kind: str
    owner: MemberRef
    featured: bool

    @staticmethod
    def resolve_title(obj: CampaignListing) -> str:
        return obj.listing.title

    @staticmethod
    def resolve_kind(obj: CampaignListing) -> str:
        return obj.listing.kind

    @staticmethod
    def resolve_owner(obj: CampaignListing) -> MemberRef | None:
        return member_ref(obj.listing.owner)


class CampaignSessionOut(Schema):
    session_id: int
    title: str
    starts_at: datetime | None
    organiser: MemberRef

    @staticmethod
    def resolve_title(obj: CampaignSession) -> str:
        return obj.session.title

    @staticmethod
    def resolve_starts_at(obj: CampaignSession) -> datetime | None:
        return obj.session.starts_at

    @staticmethod
    def resolve_organiser(obj: CampaignSession) -> MemberRef | None:
        return member_ref(obj.session.organiser)


class CampaignDetailOut(CampaignOut):
    listings: list[CampaignListingOut] = Field(
        description="Its open offers and requests, featured first."
    )
    sessions: list[CampaignSessionOut] = Field(
        description="Its group sessions still to come, soonest first."
    )
    organisations: list[str]
    professions: list[str]


def _campaign(slug: str) -> Campaign:
    if "\x00" in slug:
        raise Http404
    try:
        return selectors.campaign_get(slug=slug)
    except DomainError:
        raise Http404 from None


def _summary(campaign: Campaign) -> dict[str, Any]:
    from django.utils import timezone

    [campaign] = selectors.with_progress([campaign])
    return {
        "slug": campaign.slug,
        "title": campaign.title,
        "description": campaign.description,
        "improvement_area": campaign.improvement_area,
        "starts_on": campaign.starts_on,
        "ends_on": campaign.ends_on,
        "target_minutes": campaign.target_minutes,
        "progress_minutes": campaign.progress_minutes,
        "running": campaign.is_active_on(timezone.now().date()),
        "image_url": image_url(campaign),
        "image_alt": campaign.image_alt,
    }


def _detail(campaign: Campaign) -> dict[str, Any]:
    _count, organisations, professions = selectors.campaign_participants(campaign)
    return _summary(campaign) | {
        "listings": selectors.campaign_listings(campaign),
        "sessions": selectors.campaign_sessions(campaign),
        "organisations": organisations,
        "professions": professions,
    }


# --- Reading ----------------------------------------------------------------------


@router.get(
    "",
    response={200: list[CampaignOut], **PROBLEM_RESPONSES},
    summary="Campaigns",
    description="Every campaign, newest first, with its progress (at most 100).",
    operation_id="campaign_list",
)
def campaign_list(request: ApiRequest) -> list[dict[str, Any]]:
    return [_summary(c) for c in selectors.campaigns_all()[:100]]


@router.get(
    "/{slug}",
    response={200: CampaignDetailOut, **PROBLEM_RESPONSES},
    summary="One campaign",
    description="Its progress, its open listings (featured first) and who takes part.",
    operation_id="campaign_get",
)
def campaign_get(request: ApiRequest, slug: str) -> dict[str, Any]:
    return _detail(_campaign(slug))


# --- Administrators ----------------------------------------------------------------


class CampaignIn(Schema):
    title: Annotated[str, required_text(120)]
    description: Annotated[str, required_text(4000)]
    improvement_area_id: int = Field(description="See GET /improvement-areas.")
    starts_on: date
    ends_on: date
    target_hours: int = Field(ge=1, le=MAX_TARGET_HOURS, description="Whole hours.")


class CampaignPatch(Schema):
    title: Annotated[str, required_text(120)] | None = None
    description: Annotated[str, required_text(4000)] | None = None
    improvement_area_id: int | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    target_hours: int | None = Field(None, ge=1, le=MAX_TARGET_HOURS)


def _area(pk: int) -> ImprovementArea:
    area = ImprovementArea.objects.filter(pk__in=storable_ids([pk])).first()
    if area is None:
        problem = ApiProblem(
            422, _("Some fields are not valid; see errors."), code="invalid_fields"
        )
        problem.errors = [
            {"field": "improvement_area_id", "message": _("There is no such improvement area.")}
        ]
        raise problem
    return area


def _require(member: Member, permission: str) -> None:
    if not member.has_perm(permission):
        raise DomainError(
            _("You do not have permission to do this."), code="forbidden", kind=ErrorKind.FORBIDDEN
        )


@router.post(
    "",
    response={201: CampaignDetailOut, **PROBLEM_RESPONSES},
    summary="Create a campaign",
    description="Community administrators only. Its address (slug) is made from the title.",
    operation_id="campaign_create",
)
def campaign_create(request: ApiRequest, payload: CampaignIn) -> Status[dict[str, Any]]:
    _require(request.auth, "campaigns.add_campaign")
    campaign = services.campaign_create(
        by=request.auth,
        title=payload.title,
        description=payload.description,
        improvement_area=_area(payload.improvement_area_id),
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        target_hours=payload.target_hours,
    )
    return Status(201, _detail(campaign))


@router.patch(
    "/{slug}",
    response={200: CampaignDetailOut, **PROBLEM_RESPONSES},
    summary="Change a campaign",
    description="Community administrators only. Fields left out keep their value; the "
    "address stays.",
    operation_id="campaign_update",
)
def campaign_update(request: ApiRequest, slug: str, payload: CampaignPatch) -> dict[str, Any]:
    _require(request.auth, "campaigns.change_campaign")
    campaign = _campaign(slug)
    area = (
        _area(payload.improvement_area_id)
        if payload.improvement_area_id is not None
        else campaign.improvement_area
    )
    campaign = services.campaign_update(
        campaign=campaign,
        by=request.auth,
        title=payload.title if payload.title is not None else campaign.title,
        description=(
            payload.description if payload.description is not None else campaign.description
        ),
        improvement_area=area,
        starts_on=payload.starts_on or campaign.starts_on,
        ends_on=payload.ends_on or campaign.ends_on,
        target_hours=(
            payload.target_hours
            if payload.target_hours is not None
            else campaign.target_minutes // MINUTES_PER_CREDIT
        ),
    )
    return _detail(campaign)


# --- Listings ------------------------------------------------------------------------


class JoinIn(Schema):
    listing_id: int = Field(description="One of the caller's own open listings.")


class FeatureIn(Schema):
    featured: bool = True


def _listing(pk: int) -> Listing:
    listing = Listing.objects.filter(pk__in=storable_ids([pk])).first()
    if listing is None:
        raise Http404
    return listing


@router.post(
    "/{slug}/listings",
    response={200: CampaignDetailOut, **PROBLEM_RESPONSES},
    summary="Add a listing to a campaign",
    description="The listing's owner, while the campaign runs and the listing is open.",
    operation_id="campaign_listing_join",
)
def campaign_listing_join(request: ApiRequest, slug: str, payload: JoinIn) -> dict[str, Any]:
    campaign = _campaign(slug)
    services.campaign_listing_join(
        campaign=campaign, listing=_listing(payload.listing_id), member=request.auth
    )
    return _detail(campaign)


@router.delete(
    "/{slug}/listings/{int:listing_id}",
    response={200: CampaignDetailOut, **PROBLEM_RESPONSES},
    summary="Take a listing out of a campaign",
    description="Its owner, or a community administrator. Its hours leave the progress.",
    operation_id="campaign_listing_leave",
)
def campaign_listing_leave(request: ApiRequest, slug: str, listing_id: int) -> dict[str, Any]:
    campaign = _campaign(slug)
    services.campaign_listing_leave(
        campaign=campaign, listing=_listing(listing_id), member=request.auth
    )
    return _detail(campaign)


@router.post(
    "/{slug}/listings/{int:listing_id}/feature",
    response={200: CampaignDetailOut, **PROBLEM_RESPONSES},
    summary="Feature a listing in a campaign, or stop featuring it",
    description="Ambassadors and community administrators: featured listings come first.",
    operation_id="campaign_listing_feature",
)
def campaign_listing_feature(
    request: ApiRequest, slug: str, listing_id: int, payload: FeatureIn
) -> dict[str, Any]:
    _require(request.auth, "campaigns.feature_listing")
    campaign = _campaign(slug)
    services.campaign_listing_feature(
        campaign=campaign,
        listing=_listing(listing_id),
        member=request.auth,
        featured=payload.featured,
    )
    return _detail(campaign)


# --- Group sessions ----------------------------------------------------------------


class SessionJoinIn(Schema):
    session_id: int = Field(description="A group session the caller organises.")


def _group_session(pk: int) -> Session:
    session = Session.objects.filter(pk__in=storable_ids([pk]), kind=Session.Kind.GROUP).first()
    if session is None:
        raise Http404
    return session


@router.post(
    "/{slug}/sessions",
    response={200: CampaignDetailOut, **PROBLEM_RESPONSES},
    summary="Add a group session to a campaign",
    description="The session's organiser, while the campaign runs and the session is not "
    "cancelled. It is shown on the campaign but adds nothing to its progress.",
    operation_id="campaign_session_join",
)
def campaign_session_join(request: ApiRequest, slug: str, payload: SessionJoinIn) -> dict[str, Any]:
    campaign = _campaign(slug)
    services.campaign_session_join(
        campaign=campaign, session=_group_session(payload.session_id), member=request.auth
    )
    return _detail(campaign)


@router.delete(
    "/{slug}/sessions/{int:session_id}",
    response={200: CampaignDetailOut, **PROBLEM_RESPONSES},
    summary="Take a group session out of a campaign",
    description="Its organiser, or a community administrator.",
    operation_id="campaign_session_leave",
)
def campaign_session_leave(request: ApiRequest, slug: str, session_id: int) -> dict[str, Any]:
    campaign = _campaign(slug)
    services.campaign_session_leave(
        campaign=campaign, session=_group_session(session_id), member=request.auth
    )
    return _detail(campaign)


# --- Ambassadors: new members ----------------------------------------------------------


class NewMemberOut(Schema):
    member: MemberRef
    joined_at: datetime
    welcomed_by: MemberRef | None


class WelcomeIn(Schema):
    message: Annotated[str, required_text(WELCOME_MAX_LENGTH)]


class WelcomeOut(Schema):
    member: MemberRef
    welcomed_by: MemberRef
    message: str
    created_at: datetime


def _welcome_out(welcome: Welcome) -> dict[str, Any]:
    return {
        "member": member_ref(welcome.member),
        "welcomed_by": member_ref(welcome.ambassador),
        "message": welcome.message,
        "created_at": welcome.created_at,
    }


def _welcomed_by(member: Member) -> MemberRef | None:
    welcome = getattr(member, "welcome", None)  # none: the reverse one-to-one is missing
    return member_ref(welcome.ambassador) if welcome is not None else None


@ambassadors_router.get(
    "",
    response={200: list[NewMemberOut], **PROBLEM_RESPONSES},
    summary="New members who have not yet exchanged",
    description="Ambassadors and community administrators: members who joined in the last "
    "30 days and have taken part in no exchange, newest first (at most 200), with who "
    "welcomed them.",
    operation_id="new_member_list",
)
def new_member_list(request: ApiRequest) -> list[dict[str, Any]]:
    _require(request.auth, "campaigns.welcome_members")
    members = selectors.members_new_without_exchange().exclude(pk=request.auth.pk)[:200]
    return [
        {
            "member": member_ref(member),
            "joined_at": member.date_joined,
            "welcomed_by": member_ref(
                getattr(member, "welcome", None) and member.welcome.ambassador
            ),
        }
        for member in members
    ]


@ambassadors_router.post(
    "/{int:member_id}/welcome",
    response={201: WelcomeOut, **PROBLEM_RESPONSES},
    summary="Welcome a new member",
    description="Ambassadors and community administrators, once per member: the member "
    "gets a notification with the message (checked by the text rules).",
    operation_id="new_member_welcome",
)
def new_member_welcome(
    request: ApiRequest, member_id: int, payload: WelcomeIn
) -> Status[dict[str, Any]]:
    _require(request.auth, "campaigns.welcome_members")
    member = Member.objects.filter(pk__in=storable_ids([member_id]), is_active=True).first()
    if member is None:
        raise Http404
    welcome = services.member_welcome(
        member=member, ambassador=request.auth, message=payload.message
    )
    return Status(201, _welcome_out(welcome))

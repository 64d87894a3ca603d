"""API: offers and requests.

Thin, like the pages: the browse page's filter form and selector answer
``GET /listings``; the schemas check the shape of what is written, and the
services in ``services.py`` hold the rules and make every change. Reaching a listing goes through
``access.py``: anyone sees open listings, the owner also sees their own in any
status, and only the owner may change one (404 for anyone else).
"""

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal

from django.db.models import QuerySet
from django.http import HttpResponse
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext, gettext_lazy
from ninja import Field, Query, Router, Schema, Status
from ninja.decorators import decorate_view
from ninja.pagination import paginate

from equitime.api.auth import ApiRequest
from equitime.api.pagination import PageNumberPagination
from equitime.api.problems import PROBLEM_RESPONSES, ApiProblem
from equitime.api.schemas import (
    MemberRef,
    member_ref,
    required_text,
    shared_text,
    storable_ids,
    text,
)
from equitime.core.forms import MAX_QUERY_LENGTH
from equitime.core.pagecache import member_api_list
from equitime.core.paging import KeysetPage
from equitime.core.units import MAX_ESTIMATE_MINUTES, minutes_fault, steps_text
from equitime.listings import services
from equitime.listings.access import listing_get_for_owner, listing_get_visible
from equitime.listings.filters import Sort
from equitime.listings.models import Format, Listing
from equitime.listings.selectors import listing_browse_page, listing_list_for_owner
from equitime.members.forms import split_tags
from equitime.members.models import Organisation
from equitime.skills.models import ImprovementArea, Skill
from equitime.skills.selectors import taxonomy

router = Router(tags=["Listings"])

# The model's choices, as enums in the schema (Literal of a tuple: one value
# each), built at run time, which mypy reads as the str each is.
if TYPE_CHECKING:
    KindValue = str
    StatusValue = str
    FormatValue = str
    FormatFilterValue = str
    OrganisationKindValue = str
    SortValue = str
else:
    KindValue = Literal[tuple(Listing.Kind.values)]
    StatusValue = Literal[tuple(Listing.Status.values)]
    FormatValue = Literal[tuple(Format.values)]
    FormatFilterValue = Literal[Format.REMOTE.value, Format.IN_PERSON.value]
    OrganisationKindValue = Literal[tuple(Organisation.Kind.values)]
    SortValue = Literal[tuple(value for value, _label in Sort.choices)]


# Text limits, as the listing page's form sets them.
_MAX_LENGTH = {"title": 120, "description": 4000, "benefit": 250, "place": 120}
LANGUAGES_LENGTH = 1000  # the languages, written out with commas


def _max_length(name: str) -> int:
    return _MAX_LENGTH[name]


# --- Output ---------------------------------------------------------------------------


class ImprovementAreaRef(Schema):
    id: int
    name: str
    slug: str


class SkillRef(Schema):
    id: int
    name: str


class ListingOwner(MemberRef):
    organisation: str | None = Field(description="The name of the owner's organisation.")


class ListingLinks(Schema):
    self: str = Field(description="This listing's URL in the API.")


class ListingOut(Schema):
    """An offer ("I can help with this") or a request ("I need help with this")."""

    id: int
    kind: KindValue
    status: StatusValue
    title: str
    description: str
    benefit: str = Field(description="How it helps health and care, in one sentence.")
    improvement_area: ImprovementAreaRef
    skills: list[SkillRef]
    estimated_minutes: int = Field(description=f"In quarter-hours: {steps_text(4)} ...")
    format: FormatValue
    place: str
    languages: list[str]
    owner: ListingOwner
    recorded_by: MemberRef | None = Field(
        description="The coordinator who posted it for its owner, with the owner's consent."
    )
    created_at: datetime
    updated_at: datetime
    expires_at: datetime = Field(description="It closes then, unless renewed.")
    links: ListingLinks

    @staticmethod
    def resolve_skills(obj: Listing) -> list[Skill]:
        return list(obj.skills.all())

    @staticmethod
    def resolve_languages(obj: Listing) -> list[str]:
        return [language for language in obj.languages or [] if isinstance(language, str)]

    @staticmethod
    def resolve_owner(obj: Listing) -> dict[str, object]:
        owner = obj.owner
        profile = getattr(owner, "profile", None)
        organisation = profile.organisation if profile is not None else None
        return {
            "id": owner.pk,
            "display_name": owner.display_name,
            "organisation": organisation.name if organisation is not None else None,
        }

    @staticmethod
    def resolve_recorded_by(obj: Listing) -> MemberRef | None:
        return member_ref(obj.recorded_by) if obj.recorded_by_id else None

    @staticmethod
    def resolve_links(obj: Listing, context: dict[str, Any] | None) -> dict[str, str]:
        path = reverse("api:listing_get", kwargs={"listing_id": obj.pk})
        request = (context or {}).get("request")
        return {"self": request.build_absolute_uri(path) if request is not None else path}


# --- Input ------------------------------------------------------------------------------


# The listing service asks the text rules of the languages too; asked here, a
# refusal is a field error, as on the page.
Languages = Annotated[list[str], Field(max_length=20), shared_text("languages")]


class ListingIn(Schema):
    kind: KindValue
    title: Annotated[str, required_text(_max_length("title"))]
    description: Annotated[
        str,
        required_text(
            _max_length("description"),
            description="Never anything that could identify a patient or service user.",
        ),
    ]
    improvement_area_id: int = Field(description="The improvement area it serves (rule 1).")
    benefit: Annotated[
        str,
        required_text(
            _max_length("benefit"),
            description="One sentence: how it helps health and care (rule 1).",
        ),
    ]
    skill_ids: list[int] = Field([], max_length=50)
    estimated_minutes: int = Field(
        description=f"In quarter-hours: {steps_text(3)} ... at most {MAX_ESTIMATE_MINUTES}."
    )
    format: FormatValue = Format.EITHER.value
    place: Annotated[str, text(_max_length("place"))] = ""
    languages: Languages = []


class ListingUpdateIn(Schema):
    """Only the fields sent are changed."""

    title: Annotated[str, required_text(_max_length("title"))] | None = None
    description: Annotated[str, required_text(_max_length("description"))] | None = None
    improvement_area_id: int | None = None
    benefit: Annotated[str, required_text(_max_length("benefit"))] | None = None
    skill_ids: list[int] | None = Field(None, max_length=50)
    estimated_minutes: int | None = None
    format: FormatValue | None = None
    place: Annotated[str, text(_max_length("place"))] | None = None
    languages: Languages | None = None


class ListingFilters(Schema):
    """The browse page's search and filters, by the same names."""

    q: str = Field(
        "",
        max_length=1000,
        description="Words from the title, description, skills or poster; best match first.",
    )
    kind: KindValue | None = None
    category: str = Field("", max_length=80, description="A skill category slug.")
    skill: str = Field("", max_length=80, description="A skill slug.")
    area: str = Field("", max_length=80, description="An improvement area slug.")
    organisation_kind: OrganisationKindValue | None = Field(
        None, description="The kind of organisation the poster works for."
    )
    format: FormatFilterValue | None = Field(
        None, description="remote (or either), in_person (or either)."
    )
    language: str = Field("", max_length=50, description="e.g. Welsh")
    sort: SortValue | None = Field(
        None, description="Default: relevance when searching, newest otherwise."
    )


class MineFilters(Schema):
    status: StatusValue | None = None


# --- From the API's fields to the service's arguments -----------------------------------

ESTIMATE_MESSAGE = format_lazy(
    gettext_lazy("Estimate the time in quarter-hours, in minutes: {steps} … at most {maximum}."),
    steps=steps_text(4),
    maximum=MAX_ESTIMATE_MINUTES,
)
REQUIRED = ("title", "description", "benefit", "improvement_area_id", "estimated_minutes")


def _field_problem(errors: list[dict[str, str]]) -> ApiProblem:
    problem = ApiProblem(
        422, gettext("Some fields are not valid; see errors."), code="invalid_fields"
    )
    problem.errors = errors
    return problem


def _not_a_choice(value: object) -> str:
    return gettext("Select a valid choice. %(value)s is not one of the available choices.") % {
        "value": value
    }


def _listing_fields(values: dict[str, Any]) -> dict[str, Any]:
    """The service's arguments from API values: the shape checked here (what
    the schema cannot: that the area and skills exist, the estimate's steps),
    the rules by the service. A field error is reported by the API's name."""
    errors: list[dict[str, str]] = []
    for name in REQUIRED:
        if values.get(name) in (None, ""):
            errors.append({"field": name, "message": gettext("This field is required.")})
    minutes = values.get("estimated_minutes")
    if minutes is not None and minutes_fault(minutes, maximum=MAX_ESTIMATE_MINUTES) is not None:
        errors.append({"field": "estimated_minutes", "message": str(ESTIMATE_MESSAGE)})
    area = None
    if values.get("improvement_area_id") is not None:
        area = ImprovementArea.objects.filter(
            pk__in=storable_ids([values["improvement_area_id"]])
        ).first()
        if area is None:
            message = gettext(
                "Select a valid choice. That choice is not one of the available choices."
            )
            errors.append({"field": "improvement_area_id", "message": message})
    skill_ids = list(values.get("skill_ids") or [])
    skills = list(Skill.objects.filter(pk__in=storable_ids(skill_ids)))
    missing = sorted(set(skill_ids) - {skill.pk for skill in skills})
    if missing:
        errors.append({"field": "skill_ids", "message": _not_a_choice(missing[0])})
    written = ", ".join(values.get("languages") or [])
    if len(written) > LANGUAGES_LENGTH:
        message = gettext(
            "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d)."
        ) % {"limit_value": LANGUAGES_LENGTH, "show_value": len(written)}
        errors.append({"field": "languages", "message": message})
    if errors:
        raise _field_problem(errors)
    return {
        "title": values["title"],
        "description": values["description"],
        "improvement_area": area,
        "benefit": values["benefit"],
        "skills": skills,
        "estimated_minutes": minutes,
        "format": values.get("format") or Format.EITHER.value,
        "place": values.get("place") or "",
        "languages": split_tags(written),
    }


def _current_values(listing: Listing) -> dict[str, Any]:
    return {
        "title": listing.title,
        "description": listing.description,
        "improvement_area_id": listing.improvement_area_id,
        "benefit": listing.benefit,
        "skill_ids": [skill.pk for skill in listing.skills.all()],
        "estimated_minutes": listing.estimated_minutes,
        "format": listing.format,
        "place": listing.place,
        "languages": list(listing.languages or []),
    }


# --- Reading ------------------------------------------------------------------------------


@router.get(
    "",
    response={200: list[ListingOut], **PROBLEM_RESPONSES},
    summary="Browse and search open offers and requests",
    description=(
        "What the browse page shows, searched and filtered the same way: open listings, "
        "best match first when searching (`q`), otherwise newest first."
    ),
    operation_id="listing_list",
)
@decorate_view(member_api_list)
@paginate(PageNumberPagination, page_size=20, max_page_size=100)
def listing_list(request: ApiRequest, filters: Query[ListingFilters]) -> "BrowsePager":
    return BrowsePager(_browse_filters(filters))


def _browse_filters(filters: "ListingFilters") -> dict[str, Any]:
    """The browse page's filters, by the same names: each slug one the taxonomy
    knows (else a 422 naming it); the search words as the page keeps them."""
    known = taxonomy()
    slugs = {
        "category": {slug for slug, _name in known.categories},
        "skill": {slug for _group, skills in known.skills_by_category for slug, _name in skills},
        "area": {slug for slug, _name in known.areas},
    }
    values = {name: value for name, value in filters.model_dump().items() if value}
    values["q"] = values.get("q", "").strip()[:MAX_QUERY_LENGTH]
    values["language"] = values.get("language", "").strip()
    errors = [
        {"field": name, "message": _not_a_choice(values[name])}
        for name, known_slugs in slugs.items()
        if name in values and values[name] not in known_slugs
    ]
    if errors:
        raise _field_problem(errors)
    return {name: value for name, value in values.items() if value}


class BrowsePager:
    """The browse page's own pages (a search is ranked inside the index)."""

    def __init__(self, filters: dict[str, Any]) -> None:
        self.filters = filters

    def page(self, *, cursor: str | None, number: int | None, size: int) -> KeysetPage:
        return listing_browse_page(
            cursor=cursor, number=number, size=size, clamp=False, **self.filters
        )


@router.get(
    "/mine",
    response={200: list[ListingOut], **PROBLEM_RESPONSES},
    summary="My offers and requests, in every status",
    operation_id="listing_mine",
)
@decorate_view(member_api_list)
@paginate(PageNumberPagination, page_size=20, max_page_size=100)
def listing_mine(request: ApiRequest, filters: Query[MineFilters]) -> QuerySet[Listing]:
    return listing_list_for_owner(member=request.auth, status=filters.status or "")


@router.get(
    "/{listing_id}",
    response={200: ListingOut, **PROBLEM_RESPONSES},
    summary="One listing: any open one, or one of mine",
    operation_id="listing_get",
    url_name="listing_get",
)
def listing_get(request: ApiRequest, listing_id: int) -> Listing:
    return listing_get_visible(member=request.auth, pk=listing_id)


# --- Writing ------------------------------------------------------------------------------


def _link(operation_id: str, description: str) -> dict[str, object]:
    return {
        "operationId": operation_id,
        "parameters": {"listing_id": "$response.body#/id"},
        "description": description,
    }


CREATED_LINKS = {
    "GetListing": _link("listing_get", "The listing just posted."),
    "UpdateListing": _link("listing_update", "Change it."),
    "PauseListing": _link("listing_pause", "Pause it."),
    "ResumeListing": _link("listing_resume", "Open it again after a pause."),
    "CloseListing": _link("listing_close", "Close it."),
    "RenewListing": _link("listing_renew", "Open it for another expiry period."),
}


@router.post(
    "",
    response={201: ListingOut, **PROBLEM_RESPONSES},
    summary="Post an offer or a request",
    description=(
        "Every listing names the improvement area it serves and says in one sentence how "
        "it helps (rule 1); text asking for money (rule 2) or that could identify a "
        "patient is refused with 422."
    ),
    operation_id="listing_create",
    openapi_extra={"responses": {201: {"links": CREATED_LINKS}}},
)
def listing_create(
    request: ApiRequest, payload: ListingIn, response: HttpResponse
) -> Status[Listing]:
    values = payload.model_dump()
    kind = values.pop("kind")
    listing = services.listing_create(owner=request.auth, kind=kind, **_listing_fields(values))
    response["Location"] = reverse("api:listing_get", kwargs={"listing_id": listing.pk})
    return Status(201, listing_get_visible(member=request.auth, pk=listing.pk))


@router.patch(
    "/{listing_id}",
    response={200: ListingOut, **PROBLEM_RESPONSES},
    summary="Change one of my listings",
    operation_id="listing_update",
)
def listing_update(request: ApiRequest, listing_id: int, payload: ListingUpdateIn) -> Listing:
    listing = listing_get_for_owner(member=request.auth, pk=listing_id)
    values = _current_values(listing) | payload.model_dump(exclude_unset=True)
    services.listing_update(listing=listing, member=request.auth, **_listing_fields(values))
    return listing_get_visible(member=request.auth, pk=listing.pk)


def _act(request: ApiRequest, listing_id: int, service: Callable[..., Listing]) -> Listing:
    listing = listing_get_for_owner(member=request.auth, pk=listing_id)
    service(listing=listing, member=request.auth)
    return listing_get_visible(member=request.auth, pk=listing.pk)


@router.post(
    "/{listing_id}/pause",
    response={200: ListingOut, **PROBLEM_RESPONSES},
    summary="Pause one of my listings: nobody can take it up",
    operation_id="listing_pause",
)
def listing_pause(request: ApiRequest, listing_id: int) -> Listing:
    return _act(request, listing_id, services.listing_pause)


@router.post(
    "/{listing_id}/resume",
    response={200: ListingOut, **PROBLEM_RESPONSES},
    summary="Open a paused listing again",
    operation_id="listing_resume",
)
def listing_resume(request: ApiRequest, listing_id: int) -> Listing:
    return _act(request, listing_id, services.listing_resume)


@router.post(
    "/{listing_id}/close",
    response={200: ListingOut, **PROBLEM_RESPONSES},
    summary="Close one of my listings",
    operation_id="listing_close",
)
def listing_close(request: ApiRequest, listing_id: int) -> Listing:
    return _act(request, listing_id, services.listing_close)


@router.post(
    "/{listing_id}/renew",
    response={200: ListingOut, **PROBLEM_RESPONSES},
    summary="Renew one of my listings for another expiry period",
    operation_id="listing_renew",
)
def listing_renew(request: ApiRequest, listing_id: int) -> Listing:
    return _act(request, listing_id, services.listing_renew)

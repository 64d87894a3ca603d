"""API: offers and requests.

Thin, like the pages: the browse page's filter form and selector answer
``GET /listings``, the listing form checks what is written, and the services
in ``services.py`` make every change. Reaching a listing goes through
``access.py``: anyone sees open listings, the owner also sees their own in any
status, and only the owner may change one (404 for anyone else).
"""

from datetime import datetime
from typing import Literal

from django.http import HttpResponse, QueryDict
from django.urls import reverse
from django.utils.translation import gettext_lazy
from ninja import Field, Query, Router, Schema, Status
from ninja.decorators import decorate_view
from ninja.pagination import paginate

from equitime.api.forms import FormInvalid, form_cleaned
from equitime.api.pagination import PageNumberPagination
from equitime.api.problems import PROBLEM_RESPONSES, ApiProblem
from equitime.api.schemas import MemberRef
from equitime.core.errors import DomainError
from equitime.core.pagecache import member_api_list
from equitime.core.rules import check_shared_text
from equitime.listings import services
from equitime.listings.access import listing_get_for_owner, listing_get_visible
from equitime.listings.filters import ListingFilterForm, Sort
from equitime.listings.forms import ListingForm
from equitime.listings.models import Format, Listing
from equitime.listings.selectors import listing_browse_page, listing_list_for_owner
from equitime.members.models import Organisation

router = Router(tags=["Listings"])

# The model's choices, as enums in the schema (Literal of a tuple: one value each).
KindValue = Literal[tuple(Listing.Kind.values)]
StatusValue = Literal[tuple(Listing.Status.values)]
FormatValue = Literal[tuple(Format.values)]
OrganisationKindValue = Literal[tuple(Organisation.Kind.values)]
SortValue = Literal[tuple(value for value, _label in Sort.choices)]


def _max_length(name: str) -> int:
    """The web form's limit for a field, so the schema states the same one."""
    return ListingForm.base_fields[name].max_length


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
    estimated_minutes: int = Field(description="In quarter-hours: 15, 30, 45, 60 ...")
    format: FormatValue
    place: str
    languages: list[str]
    owner: ListingOwner
    created_at: datetime
    updated_at: datetime
    expires_at: datetime = Field(description="It closes then, unless renewed.")
    links: ListingLinks

    @staticmethod
    def resolve_skills(obj) -> list:
        return list(obj.skills.all())

    @staticmethod
    def resolve_languages(obj) -> list[str]:
        return [language for language in obj.languages or [] if isinstance(language, str)]

    @staticmethod
    def resolve_owner(obj) -> dict:
        owner = obj.owner
        profile = getattr(owner, "profile", None)
        organisation = profile.organisation if profile is not None else None
        return {
            "id": owner.pk,
            "display_name": owner.display_name,
            "organisation": organisation.name if organisation is not None else None,
        }

    @staticmethod
    def resolve_links(obj, context) -> dict:
        path = reverse("api:listing_get", kwargs={"listing_id": obj.pk})
        request = (context or {}).get("request")
        return {"self": request.build_absolute_uri(path) if request is not None else path}


# --- Input ------------------------------------------------------------------------------


class ListingIn(Schema):
    kind: KindValue
    title: str = Field(max_length=_max_length("title"))
    description: str = Field(
        max_length=_max_length("description"),
        description="Never anything that could identify a patient or service user.",
    )
    improvement_area_id: int = Field(description="The improvement area it serves (rule 1).")
    benefit: str = Field(
        max_length=_max_length("benefit"),
        description="One sentence: how it helps health and care (rule 1).",
    )
    skill_ids: list[int] = Field([], max_length=50)
    estimated_minutes: int = Field(description="In quarter-hours: 15, 30, 45 ... at most 2400.")
    format: FormatValue = Format.EITHER.value
    place: str = Field("", max_length=_max_length("place"))
    languages: list[str] = Field([], max_length=20)


class ListingUpdateIn(Schema):
    """Only the fields sent are changed."""

    title: str | None = Field(None, max_length=_max_length("title"))
    description: str | None = Field(None, max_length=_max_length("description"))
    improvement_area_id: int | None = None
    benefit: str | None = Field(None, max_length=_max_length("benefit"))
    skill_ids: list[int] | None = Field(None, max_length=50)
    estimated_minutes: int | None = None
    format: FormatValue | None = None
    place: str | None = Field(None, max_length=_max_length("place"))
    languages: list[str] | None = Field(None, max_length=20)


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
    format: Literal[Format.REMOTE.value, Format.IN_PERSON.value] | None = Field(
        None, description="remote (or either), in_person (or either)."
    )
    language: str = Field("", max_length=50, description="e.g. Welsh")
    sort: SortValue | None = Field(
        None, description="Default: relevance when searching, newest otherwise."
    )


class MineFilters(Schema):
    status: StatusValue | None = None


# --- Between the API's fields and the web form's ---------------------------------------

# API field -> form field. Hours on the page, minutes in the API.
_FORM_NAMES = {
    "improvement_area_id": "improvement_area",
    "skill_ids": "skills",
    "estimated_minutes": "hours",
}
_API_NAMES = {form: api for api, form in _FORM_NAMES.items()}
ESTIMATE_MESSAGE = gettext_lazy(
    "Estimate the time in quarter-hours, in minutes: 15, 30, 45, 60 … at most 2400."
)
CHECKED_TEXT = ("title", "description", "benefit", "place")


def _hours(minutes: int) -> str:
    """Minutes as the form's hours, to its two decimals, in exact arithmetic
    (any size of number). Cutting to two decimals cannot turn minutes that are
    not a quarter-hour into one, so the form's check still refuses them."""
    hundredths = abs(minutes) * 100 // 60
    sign = "-" if minutes < 0 else ""
    return f"{sign}{hundredths // 100}.{hundredths % 100:02d}"


def _form_data(values: dict) -> QueryDict:
    data = QueryDict(mutable=True)
    for name, value in values.items():
        field = _FORM_NAMES.get(name, name)
        if value is None:
            value = [] if name in ("skill_ids", "languages") else ""
        if name == "skill_ids":
            data.setlist(field, [str(pk) for pk in value])
        elif name == "languages":
            data[field] = ", ".join(value)
        elif name == "estimated_minutes" and value != "":
            data[field] = _hours(value)
        else:
            data[field] = str(value)
    return data


def _listing_fields(values: dict) -> dict:
    """The service's arguments from API values, checked by the listing form.

    A field error is reported by the API's name for the field."""
    try:
        form_cleaned(form := ListingForm(_form_data(values)))
    except FormInvalid as invalid:
        for error in invalid.errors:
            error["field"] = _API_NAMES.get(error["field"], error["field"])
            if error["field"] == "estimated_minutes":
                error["message"] = str(ESTIMATE_MESSAGE)
        raise
    return form.service_fields()


def _refused_text(error: DomainError, fields: dict) -> ApiProblem:
    """A service's refusal of what was written, with the field it is about.

    The services check the texts all at once; asking the same check about each
    text in turn finds which one it meant."""
    problem = ApiProblem(422, error.message, code=error.code)
    for name in CHECKED_TEXT:
        try:
            check_shared_text(**{name: fields.get(name) or ""})
        except DomainError:
            problem.errors = [{"field": name, "message": error.message}]
            break
    return problem


def _current_values(listing) -> dict:
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
def listing_list(request, filters: Query[ListingFilters]):
    values = {name: value for name, value in filters.model_dump().items() if value}
    cleaned = form_cleaned(ListingFilterForm(values))
    return BrowsePager({name: value for name, value in cleaned.items() if value})


class BrowsePager:
    """The browse page's own pages (a search is ranked inside the index)."""

    def __init__(self, filters: dict):
        self.filters = filters

    def page(self, *, cursor, number, size):
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
def listing_mine(request, filters: Query[MineFilters]):
    return listing_list_for_owner(member=request.auth, status=filters.status or "")


@router.get(
    "/{listing_id}",
    response={200: ListingOut, **PROBLEM_RESPONSES},
    summary="One listing: any open one, or one of mine",
    operation_id="listing_get",
    url_name="listing_get",
)
def listing_get(request, listing_id: int):
    return listing_get_visible(member=request.auth, pk=listing_id)


# --- Writing ------------------------------------------------------------------------------


def _link(operation_id: str, description: str) -> dict:
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
def listing_create(request, payload: ListingIn, response: HttpResponse):
    values = payload.model_dump()
    kind = values.pop("kind")
    fields = _listing_fields(values)
    try:
        listing = services.listing_create(owner=request.auth, kind=kind, **fields)
    except DomainError as error:
        if error.code in ("money", "patient_data", "benefit_required"):
            raise _refused_text(error, fields) from error
        raise
    response["Location"] = reverse("api:listing_get", kwargs={"listing_id": listing.pk})
    return Status(201, listing_get_visible(member=request.auth, pk=listing.pk))


@router.patch(
    "/{listing_id}",
    response={200: ListingOut, **PROBLEM_RESPONSES},
    summary="Change one of my listings",
    operation_id="listing_update",
)
def listing_update(request, listing_id: int, payload: ListingUpdateIn):
    listing = listing_get_for_owner(member=request.auth, pk=listing_id)
    values = _current_values(listing) | payload.model_dump(exclude_unset=True)
    fields = _listing_fields(values)
    try:
        services.listing_update(listing=listing, member=request.auth, **fields)
    except DomainError as error:
        if error.code in ("money", "patient_data", "benefit_required"):
            raise _refused_text(error, fields) from error
        raise
    return listing_get_visible(member=request.auth, pk=listing.pk)


def _act(request, listing_id: int, service):
    listing = listing_get_for_owner(member=request.auth, pk=listing_id)
    service(listing=listing, member=request.auth)
    return listing_get_visible(member=request.auth, pk=listing.pk)


@router.post(
    "/{listing_id}/pause",
    response={200: ListingOut, **PROBLEM_RESPONSES},
    summary="Pause one of my listings: nobody can take it up",
    operation_id="listing_pause",
)
def listing_pause(request, listing_id: int):
    return _act(request, listing_id, services.listing_pause)


@router.post(
    "/{listing_id}/resume",
    response={200: ListingOut, **PROBLEM_RESPONSES},
    summary="Open a paused listing again",
    operation_id="listing_resume",
)
def listing_resume(request, listing_id: int):
    return _act(request, listing_id, services.listing_resume)


@router.post(
    "/{listing_id}/close",
    response={200: ListingOut, **PROBLEM_RESPONSES},
    summary="Close one of my listings",
    operation_id="listing_close",
)
def listing_close(request, listing_id: int):
    return _act(request, listing_id, services.listing_close)


@router.post(
    "/{listing_id}/renew",
    response={200: ListingOut, **PROBLEM_RESPONSES},
    summary="Renew one of my listings for another expiry period",
    operation_id="listing_renew",
)
def listing_renew(request, listing_id: int):
    return _act(request, listing_id, services.listing_renew)

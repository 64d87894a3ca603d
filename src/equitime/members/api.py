"""API: the signed-in member, the members directory and organisations."""

from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone, translation
from django.utils.translation import gettext
from django_countries import countries
from ninja import Field, Query, Router, Schema
from ninja.decorators import decorate_view
from ninja.pagination import paginate
from ninja.params import functions as param_functions

from equitime.api.auth import ApiRequest
from equitime.api.pagination import PageNumberPagination
from equitime.api.problems import PROBLEM_RESPONSES, ApiProblem
from equitime.api.schemas import storable_ids
from equitime.core.locale import LANGUAGE_CODES, language_chosen
from equitime.core.pagecache import member_api_list
from equitime.core.rules import TextRuleError, check_shared_text, tags_text
from equitime.core.units import MINUTES_PER_CREDIT
from equitime.core.zones import zone_of
from equitime.ledger.selectors import account_for_member
from equitime.members.directory import member_directory_list, skills_shown
from equitime.members.forms import split_tags
from equitime.members.models import TIME_ZONE_CHOICES, Member, Organisation, Profile
from equitime.members.roles import member_roles
from equitime.members.rules import member_email_verified
from equitime.members.selectors import member_get_visible
from equitime.members.services import PROFILE_TEXT_FIELDS, profile_update
from equitime.skills.models import Skill

router = Router(tags=["Members"])

# The languages a member may choose, as the API writes them: "en-gb, cy, ar".
LANGUAGES_TEXT = ", ".join(code for code, _name in settings.LANGUAGES)


class OrganisationOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    country: str

    @staticmethod
    def resolve_kind_label(obj: Organisation) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_country(obj: Organisation) -> str:
        return str(obj.country)


class ProfileOut(Schema):
    """A member as colleagues see them."""

    id: int
    display_name: str
    organisation: OrganisationOut | None
    profession: str
    division: str
    country: str
    languages: list[str]
    bio: str
    skills: list[str] = Field(description="Taxonomy skills, then the member's own words.")
    availability: str
    preference: str

    @staticmethod
    def resolve_organisation(obj: Member) -> Organisation | None:
        return obj.profile.organisation

    @staticmethod
    def resolve_skills(obj: Member) -> list[str]:
        return skills_shown(obj.profile)

    @staticmethod
    def resolve_country(obj: Member) -> str:
        return str(obj.profile.country)

    @staticmethod
    def resolve_languages(obj: Member) -> list[str]:
        return list(obj.profile.languages or [])

    @staticmethod
    def resolve_profession(obj: Member) -> str:
        return obj.profile.profession

    @staticmethod
    def resolve_division(obj: Member) -> str:
        return obj.profile.division

    @staticmethod
    def resolve_bio(obj: Member) -> str:
        return obj.profile.bio

    @staticmethod
    def resolve_availability(obj: Member) -> str:
        return obj.profile.availability

    @staticmethod
    def resolve_preference(obj: Member) -> str:
        return obj.profile.preference


class BalanceOut(Schema):
    balance_minutes: int = Field(
        description=f"Credits held, in minutes ({MINUTES_PER_CREDIT} = one credit)."
    )
    held_minutes: int = Field(description="Set aside for accepted exchanges.")
    available_minutes: int = Field(description="What can be committed or given now.")


def balance_out(member: Member) -> BalanceOut:
    account = account_for_member(member=member)
    return BalanceOut(
        balance_minutes=account.balance if account else 0,
        held_minutes=account.held if account else 0,
        available_minutes=account.available if account else 0,
    )


class MeOut(ProfileOut):
    """The signed-in member: their profile, and what only they see."""

    email: str
    time_zone: str
    language: str = Field(
        description="The language Equitime speaks to you in, on pages, in e-mails and in "
        "API answers: one of " + LANGUAGES_TEXT + ', or "" for your browser\'s '
        "(Accept-Language)."
    )
    date_joined: datetime
    email_verified: bool = Field(description="Trading waits until the address is confirmed.")
    roles: list[str] = Field(description="moderator, community_admin")
    balance: BalanceOut
    named_to_organisation_leads: bool = Field(
        description="Whether your organisation's leads may see your name beside your hours "
        "in its impact report (off unless you turn it on)."
    )

    @staticmethod
    def resolve_time_zone(obj: Member) -> str:
        return obj.profile.time_zone

    @staticmethod
    def resolve_language(obj: Member) -> str:
        return language_chosen(obj)

    @staticmethod
    def resolve_email_verified(obj: Member) -> bool:
        return member_email_verified(obj)

    @staticmethod
    def resolve_roles(obj: Member) -> list[str]:
        return member_roles(obj)

    @staticmethod
    def resolve_balance(obj: Member) -> BalanceOut:
        return balance_out(obj)

    @staticmethod
    def resolve_named_to_organisation_leads(obj: Member) -> bool:
        return obj.profile.named_to_organisation_leads


class ProfileUpdateIn(Schema):
    """Only the fields sent are changed."""

    display_name: str | None = Field(None, max_length=100)
    organisation_id: int | None = None
    profession: str | None = Field(None, max_length=100)
    division: str | None = Field(None, max_length=100)
    country: str | None = Field(None, max_length=2)
    time_zone: str | None = Field(None, max_length=64)
    language: str | None = Field(
        None,
        max_length=10,
        description="One of " + LANGUAGES_TEXT + ', or "" for your browser\'s.',
    )
    languages: list[str] | None = Field(None, max_length=20)
    skill_ids: list[int] | None = Field(None, max_length=100)
    skills_offered: list[str] | None = Field(None, max_length=20)
    availability: str | None = Field(None, max_length=200)
    preference: str | None = Field(None, max_length=10)
    bio: str | None = Field(None, max_length=2000)
    named_to_organisation_leads: bool | None = Field(
        None, description="Let your organisation's leads see your name beside your hours."
    )


@router.get("/me", response={200: MeOut, **PROBLEM_RESPONSES}, summary="The signed-in member")
def me(request: ApiRequest) -> Member:
    return member_get_visible(pk=request.auth.pk)


@router.patch("/me", response={200: MeOut, **PROBLEM_RESPONSES}, summary="Change my profile")
def me_update(request: ApiRequest, payload: ProfileUpdateIn) -> Member:
    member = member_get_visible(pk=request.auth.pk)
    fields, display_name = _profile_fields(member, payload.model_dump(exclude_unset=True))
    profile_update(member=member, display_name=display_name, **fields)
    updated = member_get_visible(pk=member.pk)
    # The answer on the clock and in the language just chosen (the middleware
    # puts the zone back after; the next request activates its own language).
    timezone.activate(zone_of(updated))
    language = language_chosen(updated)
    if language:
        translation.activate(language)
        request.LANGUAGE_CODE = language
    return updated


# --- From the API's fields to the profile service's -----------------------------------
# Shape only, as the profile page checks it; the service holds the rules. Field
# errors name the profile's fields (``organisation``, ``skills``), as they always have.

TAGS_LENGTH = 1000  # languages or other skills, written out with commas
_TIME_ZONES = {name for name, _label in TIME_ZONE_CHOICES}


def _not_a_choice(value: object = None) -> str:
    if value is None:
        return gettext("Select a valid choice. That choice is not one of the available choices.")
    return gettext("Select a valid choice. %(value)s is not one of the available choices.") % {
        "value": value
    }


def _profile_fields(member: Member, sent: dict[str, Any]) -> tuple[dict[str, Any], str]:
    """The profile service's arguments: the member's profile as it is, with
    what was sent; a 422 listing every field that is not valid."""
    profile = member.profile
    values = {
        "display_name": member.display_name,
        "organisation_id": profile.organisation_id,
        "profession": profile.profession,
        "division": profile.division,
        "country": str(profile.country),
        "time_zone": profile.time_zone,
        "language": profile.language,
        "languages": list(profile.languages or []),
        "skill_ids": list(profile.skills.values_list("pk", flat=True)),
        "skills_offered": list(profile.skills_offered or []),
        "availability": profile.availability,
        "preference": profile.preference,
        "bio": profile.bio,
        "named_to_organisation_leads": profile.named_to_organisation_leads,
    } | sent
    errors: dict[str, str] = {}
    required = gettext("This field is required.")

    def text(name: str) -> str:
        return (values.get(name) or "").strip()

    display_name = " ".join((values.get("display_name") or "").split())
    if not display_name:
        errors["display_name"] = required
    fields: dict[str, Any] = {
        name: text(name) for name in ("profession", "division", "availability", "bio")
    }
    for name in ("languages", "skills_offered"):
        written = ", ".join(values.get(name) or [])
        if len(written) > TAGS_LENGTH:
            errors[name] = gettext(
                "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d)."
            ) % {"limit_value": TAGS_LENGTH, "show_value": len(written)}
        fields[name] = split_tags(written)
    named = values.get("named_to_organisation_leads")
    # null (sent or not) keeps the choice as it is.
    fields["named_to_organisation_leads"] = (
        profile.named_to_organisation_leads if named is None else bool(named)
    )
    fields["organisation"] = None
    if values.get("organisation_id") is not None:
        fields["organisation"] = Organisation.objects.filter(
            pk__in=storable_ids([values["organisation_id"]])
        ).first()
        if fields["organisation"] is None:
            errors["organisation"] = _not_a_choice()
    for name, known in (
        ("country", countries),
        ("time_zone", _TIME_ZONES),
        ("preference", Profile.Preference.values),
    ):
        fields[name] = text(name)
        if not fields[name]:
            errors[name] = required
        elif fields[name] not in known:
            errors[name] = _not_a_choice(fields[name])
    fields["language"] = (values.get("language") or "").strip()
    if fields["language"] and fields["language"] not in LANGUAGE_CODES:
        errors["language"] = gettext(
            'Equitime does not speak “%(value)s”. Choose one of %(codes)s, or "" for your '
            "browser's language."
        ) % {"value": fields["language"], "codes": LANGUAGES_TEXT}
    skill_ids = list(values.get("skill_ids") or [])
    fields["skills"] = list(Skill.objects.filter(pk__in=storable_ids(skill_ids)))
    missing = sorted(set(skill_ids) - {skill.pk for skill in fields["skills"]})
    if missing:
        errors["skills"] = _not_a_choice(missing[0])
    # The service asks the text rules again; asked here, each refusal names its field.
    for name in ("display_name", *PROFILE_TEXT_FIELDS):
        if name in errors:
            continue
        written = display_name if name == "display_name" else tags_text(fields[name])
        try:
            check_shared_text(**{name: written})
        except TextRuleError as error:
            errors[name] = error.message
    if errors:
        problem = ApiProblem(
            422, gettext("Some fields are not valid; see errors."), code="invalid_fields"
        )
        problem.errors = [{"field": name, "message": message} for name, message in errors.items()]
        raise problem
    return fields, display_name


class DirectoryFilters(Schema):
    q: str = Field("", max_length=200, description="Words in a name, skill, profession, team.")
    organisation_kind: str = Field("", description="An organisation kind, e.g. nhs_trust.")
    category: str = Field("", description="A skill category slug.")


@router.get(
    "/members",
    response={200: list[ProfileOut], **PROBLEM_RESPONSES},
    summary="The members directory",
)
@decorate_view(member_api_list)
@paginate(PageNumberPagination, page_size=20, max_page_size=100)
def member_list(request: ApiRequest, filters: Query[DirectoryFilters]) -> QuerySet[Member]:
    kind = filters.organisation_kind if filters.organisation_kind in Organisation.Kind else ""
    members = member_directory_list(q=filters.q, organisation_kind=kind, category=filters.category)
    return members


@router.get(
    "/members/{member_id}",
    response={200: ProfileOut, **PROBLEM_RESPONSES},
    summary="One member's profile",
)
def member_detail(request: ApiRequest, member_id: int) -> Member:
    return member_get_visible(pk=member_id)


@router.get(
    "/organisations",
    response={200: list[OrganisationOut], **PROBLEM_RESPONSES},
    summary="Organisations",
)
@paginate(PageNumberPagination, page_size=50, max_page_size=100)
def organisation_list(
    request: ApiRequest, kind: str = "", q: str = param_functions.Query("", max_length=100)
) -> QuerySet[Organisation]:
    organisations = Organisation.objects.order_by("name", "pk")
    if kind:
        organisations = organisations.filter(kind=kind)
    if q:
        organisations = organisations.filter(name__icontains=q)
    return organisations


@router.get(
    "/organisations/{organisation_id}",
    response={200: OrganisationOut, **PROBLEM_RESPONSES},
    summary="One organisation",
)
def organisation_detail(request: ApiRequest, organisation_id: int) -> Organisation:
    return get_object_or_404(Organisation, pk=organisation_id)

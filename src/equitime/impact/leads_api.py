"""API: organisation leads (community administrators appoint and remove them),
and a lead's view of their organisation's members.

The rules are the pages', held by ``leads``: without the permission, a 403
problem and nothing written; a refused appointment (a suspended member, a
staff account, someone who works elsewhere, a duplicate) is a problem naming
its ``code``. Amounts are minutes.
"""

from datetime import date, datetime

from django.db.models import QuerySet
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from equitime.api.auth import ApiRequest, member_with_permission
from equitime.api.idempotency import idempotent
from equitime.api.pagination import PageNumberPagination
from equitime.api.problems import PROBLEM_RESPONSES, ApiProblem
from equitime.api.schemas import MemberRef, member_ref, storable_ids
from equitime.impact import leads
from equitime.impact.access import impact_access
from equitime.impact.filters import Scope, month_parse, period_resolve
from equitime.impact.models import OrganisationLead
from equitime.members.models import Member, Organisation

router = Router(tags=["Impact"])


class OrganisationRef(Schema):
    id: int
    name: str


class LeadOut(Schema):
    id: int
    member: MemberRef
    organisation: OrganisationRef
    appointed_by: MemberRef
    appointed_at: datetime
    standing: bool = Field(
        description="false when the lead's profile names another organisation now: "
        "they see nothing of this one until they return or are removed."
    )

    @staticmethod
    def resolve_member(obj: OrganisationLead) -> MemberRef | None:
        return member_ref(obj.member)

    @staticmethod
    def resolve_appointed_by(obj: OrganisationLead) -> MemberRef | None:
        return member_ref(obj.appointed_by)

    @staticmethod
    def resolve_organisation(obj: OrganisationLead) -> OrganisationRef:
        return OrganisationRef(id=obj.organisation.pk, name=obj.organisation.name)

    @staticmethod
    def resolve_standing(obj: OrganisationLead) -> bool:
        return obj.member.profile.organisation_id == obj.organisation_id


class LeadIn(Schema):
    member_id: int = Field(description="The member to appoint.")
    organisation_id: int | None = Field(
        None,
        description="Optional: the organisation they work at (their profile's). Another "
        "is refused (422 other_organisation).",
    )


@router.get(
    "/leads",
    response={200: list[LeadOut], **PROBLEM_RESPONSES},
    summary="Organisation leads",
    description="Every appointment, by organisation (its id), then by when it was made. "
    "Community administrators only.",
    operation_id="impact_lead_list",
)
@paginate(PageNumberPagination, page_size=50, max_page_size=100)
def lead_list(request: ApiRequest) -> QuerySet[OrganisationLead]:
    member_with_permission(request, leads.APPOINT)
    # Pages are read by keyset, which follows the row's own fields only.
    return leads.leads_listed().order_by("organisation_id", "id")


def _member(member_id: int) -> Member:
    """Any account with this id: the service says why a suspended or closed one
    cannot lead (a 409 naming it), rather than a 404 that hides the reason."""
    member = (
        Member.objects.select_related("profile__organisation")
        .filter(pk__in=storable_ids([member_id]))
        .first()
    )
    if member is None:
        raise ApiProblem(404, _("There is no member with this id."), code="member_not_found")
    return member


@router.post(
    "/leads",
    response={201: LeadOut, **PROBLEM_RESPONSES},
    summary="Appoint an organisation lead",
    description="Community administrators. The member leads the organisation on their "
    "profile and is told. Refused: a suspended or closed account (409), a staff account, "
    "no organisation, another organisation, oneself (422), a duplicate (409 lead_exists).",
    operation_id="impact_lead_appoint",
    url_name="impact_lead_appoint",
)
def lead_appoint(request: ApiRequest, payload: LeadIn) -> JsonResponse:
    member_with_permission(request, leads.APPOINT)

    def run() -> tuple[int, LeadOut]:
        member = _member(payload.member_id)
        organisation = None
        if payload.organisation_id is not None:
            ids = storable_ids([payload.organisation_id])
            organisation = Organisation.objects.filter(pk__in=ids).first()
            if organisation is None:
                problem = ApiProblem(
                    422, _("Some fields are not valid; see errors."), code="invalid_fields"
                )
                problem.errors = [
                    {"field": "organisation_id", "message": _("There is no such organisation.")}
                ]
                raise problem
        lead = leads.lead_appoint(member=member, by=request.auth, organisation=organisation)
        return 201, LeadOut.from_orm(leads.lead_get(pk=lead.pk))

    return idempotent(request, run)


@router.delete(
    "/leads/{int:lead_id}",
    response={200: LeadOut, **PROBLEM_RESPONSES},
    summary="Remove an organisation lead",
    description="Community administrators. Answers with the appointment as it was; the "
    "member is told; 404 if there is no such appointment (or it has ended).",
    operation_id="impact_lead_remove",
    url_name="impact_lead_remove",
)
def lead_remove(request: ApiRequest, lead_id: int) -> LeadOut:
    member_with_permission(request, leads.REMOVE)
    lead = get_object_or_404(leads.leads_listed(), pk__in=storable_ids([lead_id]))
    was = LeadOut.from_orm(lead)
    leads.lead_remove(lead=lead, by=request.auth)
    return was


# --- The organisation's members ----------------------------------------------------------


class PeriodIn(Schema):
    first: str = Field("", max_length=7, description="First month, YYYY-MM (default: a year ago).")
    last: str = Field("", max_length=7, description="Last month, YYYY-MM (default: this month).")


class NamedMemberOut(Schema):
    member: MemberRef
    given_minutes: int
    received_minutes: int
    given_across_minutes: int = Field(description="Given to members of other organisations.")


class OthersOut(Schema):
    """The members who keep their names to themselves, as one line."""

    withheld: bool = Field(
        description="true when they are fewer than 5: every figure is then null."
    )
    members: int | None
    given_minutes: int | None
    received_minutes: int | None
    given_across_minutes: int | None


class OrganisationMembersOut(Schema):
    organisation: OrganisationRef
    first: date = Field(description="The first day of the first month.")
    last: date = Field(description="The first day of the last month.")
    named: list[NamedMemberOut] = Field(
        description="Members who allow their names, by hours given."
    )
    others: OthersOut | None = Field(description="null when every member allows their name.")


@router.get(
    "/organisations/{int:organisation_id}/members",
    response={200: OrganisationMembersOut, **PROBLEM_RESPONSES},
    summary="An organisation's members, as its leads see them",
    description="A lead of the organisation, or a community administrator (403 for anyone "
    "else). Members who allow it are named with their hours in the period (completed "
    "exchanges, by completion month, UTC); the others are one line, withheld when fewer "
    "than 5.",
    operation_id="impact_organisation_members",
)
def organisation_members(
    request: ApiRequest, organisation_id: int, period: Query[PeriodIn]
) -> OrganisationMembersOut:
    access = impact_access(request.auth)
    if not access.may_see_organisation(organisation_id):
        raise ApiProblem(
            403, _("Only this organisation's leads and administrators see it."), code="forbidden"
        )
    organisation = get_object_or_404(Organisation, pk__in=storable_ids([organisation_id]))
    # The page's rules for a period (impact.filters), asked without its form;
    # a refusal names its field (a 422 problem).
    first, last = period_resolve(
        month_parse(period.first, field="first"), month_parse(period.last, field="last")
    )
    scope = Scope(first=first, last=last, organisation_id=organisation.pk)
    report = leads.organisation_members(organisation=organisation, scope=scope)
    others = report.others
    return OrganisationMembersOut(
        organisation=OrganisationRef(id=organisation.pk, name=organisation.name),
        first=report.scope.first,
        last=report.scope.last,
        named=[
            NamedMemberOut(
                member=MemberRef(id=row.member_id, display_name=row.name),
                given_minutes=row.given,
                received_minutes=row.received,
                given_across_minutes=row.given_across,
            )
            for row in report.named
        ],
        others=None
        if others is None
        else OthersOut(
            withheld=others.withheld,
            members=others.members,
            given_minutes=others.given,
            received_minutes=others.received,
            given_across_minutes=others.given_across,
        ),
    )

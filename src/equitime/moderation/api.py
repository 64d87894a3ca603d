"""API: reporting listings, and the moderators' work (rule 1 in practice).

What the moderation pages let a member do, through the same services:

- any member reports a listing they can see: ``POST /listings/{id}/reports``;
- moderators (``members.moderate``) read the queue, as the queue page shows it
  (``GET /moderation/reports``, ``/moderation/disputes``,
  ``/moderation/suspended-members``, ``/moderation/new-accounts-paying-one-member``),
  and decide the reports on a listing
  (``POST /moderation/listings/{id}/uphold`` or ``/dismiss``);
- members who may suspend (``members.suspend_member``) suspend and reinstate
  a member: ``POST /members/{id}/suspend``, ``/reinstate``.

The pages answer anyone without the permission with 403; so does this, before
it looks anything up. Beyond that the services decide (a moderator deciding
on their own listing or report, suspending an administrator, a report decided
meanwhile ...) and their refusals become problems. The queue page decides a
listing's reports through its oldest open one, and the service applies the
decision to all of them; the API names the listing and does the same.
"""

from collections.abc import Callable
from datetime import datetime
from types import SimpleNamespace
from typing import TYPE_CHECKING, Annotated, Literal

from django.db.models import QuerySet, prefetch_related_objects
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from equitime.api.auth import ApiRequest, member_with_permission
from equitime.api.pagination import PageNumberPagination
from equitime.api.problems import PROBLEM_RESPONSES, ApiProblem
from equitime.api.schemas import MemberRef, member_ref, private_text, required_text, text
from equitime.core.choices import choice_label
from equitime.exchanges.api import ExchangeSummaryOut
from equitime.exchanges.models import Exchange
from equitime.listings.access import listing_get_visible
from equitime.listings.api import ListingOut
from equitime.listings.models import Listing
from equitime.members import services as member_services
from equitime.members.models import Member
from equitime.members.selectors import member_get_visible
from equitime.moderation import selectors, services
from equitime.moderation.models import ListingFlag
from equitime.moderation.selectors import FlaggedListing, PayingOneMember
from equitime.moderation.services import NOTE_MAX_LENGTH

router = Router(tags=["Moderation"])

# From the model: the schema lists exactly the values the database holds
# (a Literal built at run time, which mypy reads as the str it is).
if TYPE_CHECKING:
    ReasonValue = str
    ReportStatus = str
else:
    ReasonValue = Literal[tuple(ListingFlag.Reason.values)]
    ReportStatus = Literal[tuple(ListingFlag.Status.values)]

MODERATE = "members.moderate"
SUSPEND = "members.suspend_member"
SUSPENSION_REASON_LENGTH = 500  # as the suspension page takes it


# --- Output -----------------------------------------------------------------------


class ReportOut(Schema):
    """A member's report that a listing breaks the rules."""

    id: int
    listing_id: int
    reason: ReasonValue
    reason_label: str
    note: str
    status: ReportStatus = Field(description="open until a moderator upholds or dismisses it.")
    created_at: datetime

    @staticmethod
    def resolve_reason_label(obj: ListingFlag) -> str:
        return choice_label(obj, "reason")


class ModeratedReportOut(ReportOut):
    """A report as moderators see it: who made it, and the decision."""

    reported_by: MemberRef | None = Field(
        description="Who reported it; null for an automatic report (see automatic)."
    )
    automatic: bool = Field(
        description="True when the money check reported it: words that may be payment."
    )
    decided_at: datetime | None
    decided_by: MemberRef | None
    decision_note: str

    @staticmethod
    def resolve_reported_by(obj: ListingFlag) -> MemberRef | None:
        return member_ref(obj.flagged_by)

    @staticmethod
    def resolve_decided_by(obj: ListingFlag) -> MemberRef | None:
        return member_ref(obj.decided_by)


class ReportedListingOut(Schema):
    """One listing in the queue with its open reports, oldest first."""

    listing: ListingOut
    report_count: int
    reasons: list[ReasonValue] = Field(description="Each reason given, once, first given first.")
    first_reported_at: datetime
    reports: list[ModeratedReportOut]

    @staticmethod
    def resolve_report_count(obj: FlaggedListing) -> int:
        return obj.count

    @staticmethod
    def resolve_reasons(obj: FlaggedListing) -> list[str]:
        return list(dict.fromkeys(flag.reason for flag in obj.flags))

    @staticmethod
    def resolve_first_reported_at(obj: FlaggedListing) -> datetime:
        return obj.oldest

    @staticmethod
    def resolve_reports(obj: FlaggedListing) -> list[ListingFlag]:
        return obj.flags


class DecisionOut(Schema):
    """A moderator's decision on every open report of a listing."""

    decision: Literal["upheld", "dismissed"]
    note: str = Field(description="The moderator's note, as the members involved read it.")
    decided_at: datetime
    listing: ListingOut = Field(description="The listing after the decision: closed if upheld.")
    reports: list[ModeratedReportOut] = Field(description="The reports decided.")


class DisputedExchangeOut(ExchangeSummaryOut):
    """A disputed exchange waiting for a moderator. GET /exchanges/{id} shows its
    history; POST /exchanges/{id}/resolve settles it."""

    disputed_at: datetime | None
    dispute_reason: str


class SuspensionOut(Schema):
    """A member's standing, as those who may suspend members see it."""

    id: int
    display_name: str
    suspended: bool
    suspended_at: datetime | None
    suspended_by: MemberRef | None
    suspension_reason: str

    @staticmethod
    def resolve_suspended(obj: Member) -> bool:
        return obj.suspended_at is not None

    @staticmethod
    def resolve_suspended_by(obj: Member) -> MemberRef | None:
        return member_ref(obj.suspended_by)


class PayingOneMemberOut(Schema):
    """A new account whose only activity is paying or giving credits to one member."""

    payer: MemberRef
    payer_joined_at: datetime
    recipient: MemberRef
    minutes: int = Field(description="Posted so far, in minutes.")
    payments: int
    last_paid_at: datetime
    payers_to_recipient: int = Field(
        description="How many new accounts like this one pay the same member."
    )

    @staticmethod
    def resolve_payer(obj: PayingOneMember) -> MemberRef | None:
        return member_ref(obj.payer)

    @staticmethod
    def resolve_payer_joined_at(obj: PayingOneMember) -> datetime:
        return obj.payer.date_joined

    @staticmethod
    def resolve_recipient(obj: PayingOneMember) -> MemberRef | None:
        return member_ref(obj.recipient)


# --- Input ------------------------------------------------------------------------


class ReportIn(Schema):
    reason: ReasonValue = Field(description="What is wrong with the listing.")
    note: Annotated[
        str,
        text(
            NOTE_MAX_LENGTH,
            description="Tell the moderators more; needed when the reason is other. "
            "Never anything that could identify a patient or service user.",
        ),
    ] = ""


class DecisionIn(Schema):
    note: Annotated[
        str,
        text(
            NOTE_MAX_LENGTH,
            description="If the listing is closed, its owner reads this; if the reports are "
            "dismissed, the members who reported it read it.",
        ),
    ]


class SuspendIn(Schema):
    # The suspension service asks the patient-data rule too; asked here, it names the field.
    reason: Annotated[
        str,
        required_text(
            SUSPENSION_REASON_LENGTH,
            description="Why: moderators see it on the profile, and it is kept in the audit log.",
        ),
        private_text("reason"),
    ]


# --- Reporting a listing -------------------------------------------------------------


@router.post(
    "/listings/{listing_id}/reports",
    response={201: ReportOut, **PROBLEM_RESPONSES},
    summary="Report a listing that breaks the rules",
    description="Any member may report a listing they can see, except their own, once "
    "until a moderator decides (409 already_flagged). Moderators decide; the reporter is "
    "told the outcome, and the owner never learns who reported it.",
    operation_id="listing_report",
)
def listing_report(request: ApiRequest, listing_id: int, payload: ReportIn) -> Status[ListingFlag]:
    member = request.auth
    listing = listing_get_visible(member=member, pk=listing_id)
    # As the report page: whether this member may report it at all comes first.
    services.listing_flag_check_may(listing=listing, member=member)
    flag = services.listing_flag(
        listing=listing, member=member, reason=payload.reason, note=payload.note
    )
    return Status(201, flag)


# --- The moderation queue ---------------------------------------------------------


@router.get(
    "/moderation/reports",
    response={200: list[ReportedListingOut], **PROBLEM_RESPONSES},
    summary="Reported listings waiting for a decision (moderators)",
    description="Listings with open reports, grouped by listing, the longest-waiting "
    "first, as the moderation queue shows them.",
    operation_id="moderation_report_list",
)
@paginate(PageNumberPagination, page_size=20, max_page_size=100)
def moderation_report_list(request: ApiRequest) -> list[FlaggedListing]:
    member_with_permission(request, MODERATE)
    groups = selectors.listings_flagged_open()
    listings = [group.listing for group in groups]
    prefetch_related_objects(listings, "owner__profile__organisation", "improvement_area", "skills")
    return groups


@router.get(
    "/moderation/disputes",
    response={200: list[DisputedExchangeOut], **PROBLEM_RESPONSES},
    summary="Disputed exchanges waiting for a moderator (moderators)",
    description="The longest-waiting first.",
    operation_id="moderation_dispute_list",
)
@paginate(PageNumberPagination, page_size=20, max_page_size=100)
def moderation_dispute_list(request: ApiRequest) -> QuerySet[Exchange]:
    member_with_permission(request, MODERATE)
    return selectors.exchanges_disputed().select_related("proposed_by", "improvement_area")


@router.get(
    "/moderation/suspended-members",
    response={200: list[SuspensionOut], **PROBLEM_RESPONSES},
    summary="Suspended members (moderators)",
    description="The most recently suspended first; POST /members/{id}/reinstate lifts "
    "a suspension.",
    operation_id="moderation_suspended_list",
)
@paginate(PageNumberPagination, page_size=20, max_page_size=100)
def moderation_suspended_list(request: ApiRequest) -> QuerySet[Member]:
    member_with_permission(request, MODERATE)
    return selectors.members_suspended()


@router.get(
    "/moderation/new-accounts-paying-one-member",
    response={200: list[PayingOneMemberOut], **PROBLEM_RESPONSES},
    summary="New accounts that only pay one member (moderators)",
    description="Accounts younger than 30 days whose only activity is paying or giving "
    "credits to one member: perhaps second accounts made for their welcome gifts. The "
    "members most paid by such accounts first. POST /members/{id}/suspend if it is so.",
    operation_id="moderation_paying_one_member_list",
)
@paginate(PageNumberPagination, page_size=20, max_page_size=100)
def moderation_paying_one_member_list(request: ApiRequest) -> list[PayingOneMember]:
    member_with_permission(request, MODERATE)
    return selectors.new_accounts_paying_one_member()


# --- Deciding reports ----------------------------------------------------------------


def _flag_to_decide(listing: Listing) -> ListingFlag:
    """The report the queue page would decide: the oldest open one. With none
    open, the latest decided one, so that the service says it is decided."""
    flags = ListingFlag.objects.filter(listing=listing)
    flag = flags.filter(status=ListingFlag.Status.OPEN).order_by("created_at", "pk").first()
    if flag is None:
        flag = flags.order_by("-decided_at", "-pk").first()
    if flag is None:
        raise ApiProblem(
            409,
            _("Nobody has reported this listing: there is nothing to decide."),
            code="no_reports",
        )
    return flag


def _decide(
    request: ApiRequest,
    listing_id: int,
    payload: DecisionIn,
    service: Callable[..., list[ListingFlag]],
    decision: str,
) -> SimpleNamespace:
    moderator = member_with_permission(request, MODERATE)
    listing = listing_get_visible(member=moderator, pk=listing_id)
    flag = _flag_to_decide(listing)
    note = payload.note
    # As the page: a report decided meanwhile is refused by the service, note or no note.
    if flag.status == ListingFlag.Status.OPEN and not note:
        problem = ApiProblem(
            422, _("Some fields are not valid; see errors."), code="invalid_fields"
        )
        problem.errors = [{"field": "note", "message": _("This field is required.")}]
        raise problem
    flags = service(flag=flag, moderator=moderator, note=note)
    prefetch_related_objects(flags, "flagged_by", "decided_by")
    return SimpleNamespace(
        decision=decision,
        note=flags[0].decision_note,
        decided_at=flags[0].decided_at,
        listing=listing_get_visible(member=moderator, pk=listing.pk),
        reports=flags,
    )


@router.post(
    "/moderation/listings/{listing_id}/uphold",
    response={200: DecisionOut, **PROBLEM_RESPONSES},
    summary="Uphold the reports on a listing: close it (moderators)",
    description="Closes the listing and marks every open report on it upheld; the owner "
    "is told why (the note) and the reporters are thanked. A moderator never decides on "
    "their own listing or on a listing they reported.",
    operation_id="moderation_listing_uphold",
)
def moderation_listing_uphold(
    request: ApiRequest, listing_id: int, payload: DecisionIn
) -> SimpleNamespace:
    return _decide(request, listing_id, payload, services.listing_flag_uphold, "upheld")


@router.post(
    "/moderation/listings/{listing_id}/dismiss",
    response={200: DecisionOut, **PROBLEM_RESPONSES},
    summary="Dismiss the reports on a listing: it stays (moderators)",
    description="Marks every open report on the listing dismissed and tells the reporters "
    "why (the note). The listing is not touched.",
    operation_id="moderation_listing_dismiss",
)
def moderation_listing_dismiss(
    request: ApiRequest, listing_id: int, payload: DecisionIn
) -> SimpleNamespace:
    return _decide(request, listing_id, payload, services.listing_flag_dismiss, "dismissed")


# --- Suspending and reinstating members ------------------------------------------------


@router.post(
    "/members/{member_id}/suspend",
    response={200: SuspensionOut, **PROBLEM_RESPONSES},
    summary="Suspend a member (moderators)",
    description="The member is signed out, cannot sign in, and their open listings are "
    "paused; their ledger and exchanges are left as they are. A moderator cannot suspend "
    "a community administrator or staff, nor themselves.",
    operation_id="member_suspend",
)
def member_suspend(request: ApiRequest, member_id: int, payload: SuspendIn) -> Member:
    moderator = member_with_permission(request, SUSPEND)
    member = member_get_visible(pk=member_id, viewer=moderator)
    return services.member_suspend(member=member, by=moderator, reason=payload.reason)


@router.post(
    "/members/{member_id}/reinstate",
    response={200: SuspensionOut, **PROBLEM_RESPONSES},
    summary="Reinstate a suspended member (moderators)",
    description="They can sign in again; their paused listings stay paused until they reopen them.",
    operation_id="member_reinstate",
)
def member_reinstate(request: ApiRequest, member_id: int) -> Member:
    moderator = member_with_permission(request, SUSPEND)
    member = member_get_visible(pk=member_id, viewer=moderator)
    return member_services.member_reinstate(member=member, by=moderator)

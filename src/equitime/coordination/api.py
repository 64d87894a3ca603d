"""API: coordinators acting for members, with the members' consent.

The same rules as the pages, held by ``coordination.services``: anyone without
the coordinator's permission gets 403 on every coordinator endpoint and
nothing is written; acting without a standing consent, for oneself, as the
other party or for both parties is a 403 problem naming the reason (its
``code``). Every member may read and withdraw the consents they gave
(``/coordinate/my-coordinators``). Writes accept an Idempotency-Key.
"""

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Literal

from django.db.models import QuerySet
from django.http import Http404, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from equitime.api.auth import ApiRequest
from equitime.api.idempotency import idempotent, request_key
from equitime.api.problems import PROBLEM_RESPONSES, ApiProblem, fields_named
from equitime.api.schemas import MemberRef, member_ref, required_text, storable_ids, text
from equitime.coordination import selectors, services
from equitime.coordination.access import consent_get_for_member, coordinator_required
from equitime.coordination.models import Consent
from equitime.exchanges.api import idempotency_parameter, proposal_key
from equitime.exchanges.models import Exchange
from equitime.listings.access import listing_get_visible
from equitime.listings.api import ListingIn, ListingOut, _listing_fields
from equitime.members.models import Member
from equitime.members.selectors import member_get_visible
from equitime.skills.models import ImprovementArea

router = Router(tags=["Coordination"])
_IDEMPOTENT = {"parameters": [idempotency_parameter()]}

if TYPE_CHECKING:
    MethodValue = str
else:
    MethodValue = Literal[tuple(Consent.Method.values)]


class ConsentOut(Schema):
    id: int
    coordinator: MemberRef
    member: MemberRef
    method: MethodValue = Field(description="How the member agreed.")
    note: str
    recorded_at: datetime
    withdrawn_at: datetime | None
    standing: bool = Field(description="true until withdrawn: the coordinator may act.")

    @staticmethod
    def resolve_coordinator(obj: Consent) -> MemberRef | None:
        return member_ref(obj.coordinator)

    @staticmethod
    def resolve_member(obj: Consent) -> MemberRef | None:
        return member_ref(obj.member)

    @staticmethod
    def resolve_standing(obj: Consent) -> bool:
        return obj.is_standing


class CoordinatedExchangeOut(Schema):
    """The exchange as its coordinator sees it: the parties, where it stands."""

    id: int
    status: str
    title: str
    provider: MemberRef
    receiver: MemberRef
    proposed_minutes: int
    logged_minutes: int | None
    recorded_by: MemberRef | None

    @staticmethod
    def resolve_provider(obj: Exchange) -> MemberRef | None:
        return member_ref(obj.provider)

    @staticmethod
    def resolve_receiver(obj: Exchange) -> MemberRef | None:
        return member_ref(obj.receiver)

    @staticmethod
    def resolve_recorded_by(obj: Exchange) -> MemberRef | None:
        return member_ref(obj.recorded_by) if obj.recorded_by_id else None


def _consent_list_url(_body: object = None) -> str:
    return reverse("api:coordination_consent_list")


def _member(member_id: int) -> Member:
    try:
        return member_get_visible(pk=storable_ids([member_id])[0])
    except (Http404, IndexError):
        raise Http404 from None


def _exchange_out(exchange_id: int) -> CoordinatedExchangeOut:
    exchange = Exchange.objects.select_related("provider", "receiver", "recorded_by").get(
        pk=exchange_id
    )
    return CoordinatedExchangeOut.from_orm(exchange)


# --- Consent ----------------------------------------------------------------------


@router.get(
    "/consents",
    response={200: list[ConsentOut], **PROBLEM_RESPONSES},
    summary="The members I act for",
    description="Coordinators only: every consent recorded, standing ones first.",
    operation_id="coordination_consent_list",
    url_name="coordination_consent_list",
)
def consent_list(request: ApiRequest) -> QuerySet[Consent]:
    coordinator_required(request.auth)
    return selectors.consents_held(coordinator=request.auth).select_related("coordinator")


class ConsentIn(Schema):
    member_id: int = Field(description="The member who agreed.")
    method: MethodValue = Field(description="in_person, phone or paper.")
    note: Annotated[str, text(500)] = ""


@router.post(
    "/consents",
    response={201: ConsentOut, **PROBLEM_RESPONSES},
    summary="Record a member's consent",
    description="Coordinators only; not for oneself; one standing consent per member "
    "(409 consent_exists). The member is told.",
    operation_id="coordination_consent_record",
    url_name="coordination_consent_record",
    openapi_extra=_IDEMPOTENT,
)
def consent_record(request: ApiRequest, payload: ConsentIn) -> JsonResponse:
    coordinator_required(request.auth)

    def run() -> tuple[int, ConsentOut]:
        member = _member(payload.member_id)
        consent = services.consent_record(
            coordinator=request.auth, member=member, method=payload.method, note=payload.note
        )
        return 201, ConsentOut.from_orm(consent)

    return idempotent(request, run, location=_consent_list_url)


@router.get(
    "/my-coordinators",
    response={200: list[ConsentOut], **PROBLEM_RESPONSES},
    summary="Who may act for me",
    description="Every consent the caller gave a coordinator, standing ones first.",
    operation_id="coordination_my_coordinators",
    url_name="coordination_my_coordinators",
)
def my_coordinators(request: ApiRequest) -> QuerySet[Consent]:
    return selectors.consents_given(member=request.auth).select_related("member")


@router.post(
    "/consents/{int:consent_id}/withdraw",
    response={200: ConsentOut, **PROBLEM_RESPONSES},
    summary="Withdraw a consent",
    description="The member who gave it, or the coordinator who holds it; 404 for anyone "
    "else. Withdrawing twice answers the same.",
    operation_id="coordination_consent_withdraw",
    url_name="coordination_consent_withdraw",
    openapi_extra=_IDEMPOTENT,
)
def consent_withdraw(request: ApiRequest, consent_id: int) -> JsonResponse:
    def run() -> tuple[int, ConsentOut]:
        consent = consent_get_for_member(member=request.auth, pk=consent_id)
        return 200, ConsentOut.from_orm(services.consent_withdraw(consent=consent, by=request.auth))

    return idempotent(request, run)


# --- Acting -----------------------------------------------------------------------


@router.post(
    "/members/{int:member_id}/listings",
    response={201: ListingOut, **PROBLEM_RESPONSES},
    summary="Post a listing for a member",
    description="The listing is the member's, marked as posted by the coordinator "
    "(recorded_by). Needs the member's standing consent (403 no_consent).",
    operation_id="coordination_listing_create",
    url_name="coordination_listing_create",
    openapi_extra=_IDEMPOTENT,
)
def listing_create(request: ApiRequest, member_id: int, payload: ListingIn) -> JsonResponse:
    coordinator_required(request.auth)

    def run() -> tuple[int, ListingOut]:
        member = _member(member_id)
        values = payload.model_dump()
        kind = values.pop("kind")
        listing = services.coordinated_listing_create(
            coordinator=request.auth, member=member, kind=kind, **_listing_fields(values)
        )
        shown = listing_get_visible(member=member, pk=listing.pk)
        return 201, ListingOut.from_orm(shown, context={"request": request})

    return idempotent(
        request,
        run,
        location=lambda body: reverse("api:listing_get", kwargs={"listing_id": body.id}),
    )


class CoordinatedProposeIn(Schema):
    """An exchange between the member and a colleague; the colleague accepts it."""

    colleague_id: int = Field(description="The other party: not the coordinator.")
    member_gives: bool = Field(
        description="true: the member gave the time (provider); false: the colleague did."
    )
    title: Annotated[str, required_text(120)]
    improvement_area_id: int = Field(description="See GET /improvement-areas.")
    benefit: Annotated[
        str, required_text(250, description="In one sentence, how it helps health and care.")
    ]
    minutes: int = Field(gt=0, description="In quarter-hours.")
    message: Annotated[str, text(4000)] = ""


def _field_problem(field: str, message: str) -> ApiProblem:
    problem = ApiProblem(422, _("Some fields are not valid; see errors."), code="invalid_fields")
    problem.errors = [{"field": field, "message": message}]
    return problem


@router.post(
    "/members/{int:member_id}/exchanges",
    response={201: CoordinatedExchangeOut, **PROBLEM_RESPONSES},
    summary="Propose an exchange for a member",
    description="Proposed as the member, recorded by the coordinator; the colleague "
    "accepts and confirms as usual. Not with the coordinator as the colleague (403 "
    "coordinator_is_party).",
    operation_id="coordination_exchange_propose",
    url_name="coordination_exchange_propose",
    openapi_extra=_IDEMPOTENT,
)
def exchange_propose(
    request: ApiRequest, member_id: int, payload: CoordinatedProposeIn
) -> JsonResponse:
    coordinator_required(request.auth)

    def run() -> tuple[int, CoordinatedExchangeOut]:
        member = _member(member_id)
        try:
            colleague = _member(payload.colleague_id)
        except Http404:
            raise _field_problem("colleague_id", _("There is no member with this id.")) from None
        area = ImprovementArea.objects.filter(
            pk__in=storable_ids([payload.improvement_area_id])
        ).first()
        if area is None:
            raise _field_problem(
                "improvement_area_id",
                _("Select a valid choice. That choice is not one of the available choices."),
            )
        with fields_named(other="colleague_id"):
            exchange = services.coordinated_exchange_propose(
                coordinator=request.auth,
                member=member,
                other=colleague,
                member_gives=payload.member_gives,
                title=payload.title,
                improvement_area=area,
                benefit=payload.benefit,
                minutes=payload.minutes,
                message=payload.message,
                request_key=proposal_key(request.auth, request_key(request)),
            )
        return 201, _exchange_out(exchange.pk)

    return idempotent(request, run)


class ActIn(Schema):
    minutes: int | None = Field(None, description="For deliver: the time the member gave.")
    confirm_over_agreed: bool = False
    reason: Annotated[str, text(1000)] = ""


def _act(
    request: ApiRequest, member_id: int, exchange_id: int, action: str, payload: ActIn | None
) -> JsonResponse:
    payload = payload or ActIn(minutes=None)
    coordinator_required(request.auth)

    def run() -> tuple[int, CoordinatedExchangeOut]:
        member = _member(member_id)
        exchange = Exchange.objects.filter(pk__in=storable_ids([exchange_id])).first()
        if exchange is None:
            raise Http404
        done = services.coordinated_exchange_act(
            coordinator=request.auth,
            member=member,
            exchange=exchange,
            action=action,
            minutes=payload.minutes,
            reason=payload.reason,
            confirm_over_agreed=payload.confirm_over_agreed,
        )
        return 200, _exchange_out(done.pk)

    return idempotent(request, run)


def _move(action: str, *, summary: str, description: str) -> None:
    """One endpoint per move a coordinator may make for a member (``services.ACTIONS``)."""

    def move(
        request: ApiRequest, member_id: int, exchange_id: int, payload: ActIn | None = None
    ) -> JsonResponse:
        return _act(request, member_id, exchange_id, action, payload)

    move.__name__ = f"coordination_exchange_{action}"
    router.post(
        f"/members/{{int:member_id}}/exchanges/{{int:exchange_id}}/{action}",
        response={200: CoordinatedExchangeOut, **PROBLEM_RESPONSES},
        summary=summary,
        description=description
        + " Only where the member may make this move now; never where the coordinator is "
        "the other party, nor for both parties of one exchange.",
        operation_id=f"coordination_exchange_{action}",
        url_name=f"coordination_exchange_{action}",
        openapi_extra=_IDEMPOTENT,
    )(move)


_move("accept", summary="Accept for a member", description="The member's credits are held.")
_move("decline", summary="Decline for a member", description="With a reason.")
_move("deliver", summary="Log the hours a member gave", description="With minutes.")
_move("confirm", summary="Confirm the hours for a member", description="The credits move.")
_move("cancel", summary="Cancel for a member", description="Any hold is released.")

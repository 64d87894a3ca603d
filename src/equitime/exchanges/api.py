"""API: the caller's exchanges, from proposal to thanks.

Every endpoint checks the shape of what is sent with its schema, calls the
services the pages call (which hold every rule), and reaches an exchange only through
``exchange_get_for_member`` (the two parties; a moderator also sees disputed
exchanges and those they resolved; anyone else gets 404).

An exchange is proposed in one of two ways, one endpoint each:

- ``POST /exchanges``: take up an offer or answer a request (a listing);
- ``POST /exchanges/direct``: record time given to, or received from, a named
  colleague without a listing.

Each lifecycle move is ``POST /exchanges/{id}/<move>`` and answers with the
exchange. Every POST (and the reflection's PUT) accepts an Idempotency-Key;
a proposal also hands the key to the service as its request key, so even a
retry after the key's record has gone makes no second exchange.
"""

import hashlib
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeVar

from django.db.models import Model, Prefetch, QuerySet, prefetch_related_objects
from django.http import Http404, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.decorators import decorate_view
from ninja.pagination import paginate

from equitime.api.auth import ApiRequest
from equitime.api.idempotency import HEADER, idempotent, key_created_with, request_key
from equitime.api.pagination import PageNumberPagination
from equitime.api.problems import PROBLEM_RESPONSES, ApiProblem, fields_named
from equitime.api.schemas import MemberRef, member_ref, required_text, storable_ids, text
from equitime.core.choices import choice_label
from equitime.core.pagecache import member_api_list
from equitime.core.units import MAX_EXCHANGE_MINUTES, STEP_MINUTES, format_credits, steps_text
from equitime.exchanges import services
from equitime.exchanges.access import exchange_get_for_member
from equitime.exchanges.models import (
    OPEN_STATUSES,
    Exchange,
    ExchangeEvent,
    ExchangeMessage,
    Reflection,
    Status,
    Thanks,
)
from equitime.exchanges.selectors import exchanges_for_member
from equitime.listings.access import listing_get_visible
from equitime.listings.models import Format
from equitime.members.models import Member
from equitime.members.selectors import member_get_visible
from equitime.skills.api import ImprovementAreaOut
from equitime.skills.models import ImprovementArea

router = Router(tags=["Exchanges"])
View = TypeVar("View", bound=Callable[..., Any])
Written = TypeVar("Written", bound=Model)
Out = TypeVar("Out", bound=Schema)
Verb = ExchangeEvent.Verb

# From the models: the schema lists exactly the values the database holds
# (a Literal built at run time, which mypy reads as the str it is).
if TYPE_CHECKING:
    ExchangeStatus = str
    ExchangeFormat = str
    EventVerb = str
else:
    ExchangeStatus = Literal[tuple(Status.values)]
    ExchangeFormat = Literal[tuple(Format.values)]
    EventVerb = Literal[tuple(Verb.values)]
Action = Literal["accept", "decline", "cancel", "deliver", "confirm", "dispute", "resolve"]

# The services' moves, as the API names them (a resolution is one endpoint).
ACTIONS: dict[str, str] = {
    Verb.ACCEPT: "accept",
    Verb.DECLINE: "decline",
    Verb.CANCEL: "cancel",
    Verb.DELIVER: "deliver",
    Verb.CONFIRM: "confirm",
    Verb.DISPUTE: "dispute",
    Verb.RESOLVE_POST: "resolve",
    Verb.RESOLVE_VOID: "resolve",
}
_ACTION_ORDER = ["accept", "decline", "deliver", "confirm", "dispute", "resolve", "cancel"]


def _minutes(default: Any = ..., *, description: str = "") -> Any:
    """A field of whole minutes in quarter-hours, at most the exchange maximum."""
    return Field(
        default,
        gt=0,
        le=MAX_EXCHANGE_MINUTES,
        multiple_of=STEP_MINUTES,
        description=description
        or f"Whole minutes in quarter-hours ({steps_text(4)} ...), "
        f"at most {format_credits(MAX_EXCHANGE_MINUTES)} hours.",
    )


# Text limits, as the pages' forms set them.
MESSAGE_LENGTH = 4000
REASON_LENGTH = 1000
STANDARDS_LENGTH = 500
TITLE_LENGTH = 120
BENEFIT_LENGTH = 250


# --- Shared helpers --------------------------------------------------------------


def _caller(context: dict[str, Any]) -> Member:
    request: ApiRequest = context["request"]
    return request.auth


def _field_problem(field: str, message: str) -> ApiProblem:
    problem = ApiProblem(422, _("Some fields are not valid; see errors."), code="invalid_fields")
    problem.errors = [{"field": field, "message": message}]
    return problem


def proposal_key(member: Member, key: str | None) -> str | None:
    """The service's request key for an Idempotency-Key: the member's own
    namespace, so no two members' keys meet; hashed when too long to store."""
    if key is None:
        return None
    plain = f"api:{member.pk}:{key}"
    limit = Exchange._meta.get_field("request_key").max_length
    assert limit is not None  # a CharField's
    if len(plain) <= limit:
        return plain
    digest = hashlib.sha256(key.encode()).hexdigest()
    return f"api:{member.pk}:#{digest}"[:limit]


def idempotency_parameter(*, required: bool = False) -> dict[str, Any]:
    """The Idempotency-Key header as the OpenAPI document describes it (the
    header is read and checked by ``api.idempotency``, which answers 400)."""
    description = (
        "Up to 255 visible ASCII characters. A retry with the same key and body gets the "
        "first answer again (Idempotent-Replayed: true); the same key with another body "
        "is refused (422)."
    )
    if required:
        description = "Required. " + description
    return {
        "in": "header",
        "name": HEADER,
        "required": required,
        "description": description,
        "schema": {"type": "string", "minLength": 1, "maxLength": 255},
    }


_IDEMPOTENT = {"parameters": [idempotency_parameter()]}


def _links() -> dict[str, Any]:
    """From a new exchange (201) to what a client does next with it."""
    by_id = {"exchange_id": "$response.body#/id"}
    return {
        "GetExchange": {
            "operationId": "exchange_get",
            "parameters": by_id,
            "description": "The exchange just proposed.",
        },
        "AcceptExchange": {
            "operationId": "exchange_accept",
            "parameters": by_id,
            "description": "The colleague accepts it (their credits, or yours, are held).",
        },
        "CancelExchange": {
            "operationId": "exchange_cancel",
            "parameters": by_id,
            "description": "Either party cancels it.",
        },
    }


# --- Output -----------------------------------------------------------------------


class ExchangeSummaryOut(Schema):
    """An exchange as the caller's list shows it."""

    id: int
    status: ExchangeStatus
    status_label: str
    role: Literal["provider", "receiver"] | None = Field(
        description="The caller's part: provider gives time, receiver gets it; "
        "null for a moderator."
    )
    provider: MemberRef
    receiver: MemberRef
    proposed_by: MemberRef
    listing_id: int | None
    title: str
    improvement_area: ImprovementAreaOut
    benefit: str
    format: ExchangeFormat
    proposed_minutes: int
    logged_minutes: int | None = Field(description="The time the provider logged as given.")
    created_at: datetime
    updated_at: datetime
    allowed_actions: list[Action] = Field(
        description="The moves the caller may make now: POST /exchanges/{id}/<action>."
    )
    waiting_for_me: bool = Field(
        description="The next step is the caller's (cancelling, always open, does not count)."
    )
    idempotency_key: str | None = Field(
        description="The Idempotency-Key the caller proposed it with; null if proposed "
        "without one, or by the other party."
    )

    @staticmethod
    def resolve_status_label(obj: Exchange) -> str:
        return choice_label(obj, "status")

    @staticmethod
    def resolve_idempotency_key(obj: Exchange, context: dict[str, Any]) -> str | None:
        return key_created_with(
            request=context["request"],
            service_key=obj.request_key,
            resource_url=exchange_url(obj.pk),
        )

    @staticmethod
    def resolve_role(obj: Exchange, context: dict[str, Any]) -> str | None:
        return obj.party_role(_caller(context))

    @staticmethod
    def resolve_provider(obj: Exchange) -> MemberRef | None:
        return member_ref(obj.provider)

    @staticmethod
    def resolve_receiver(obj: Exchange) -> MemberRef | None:
        return member_ref(obj.receiver)

    @staticmethod
    def resolve_proposed_by(obj: Exchange) -> MemberRef | None:
        return member_ref(obj.proposed_by)

    @staticmethod
    def resolve_allowed_actions(obj: Exchange, context: dict[str, Any]) -> list[str]:
        moves = services.exchange_moves_for(exchange=obj, member=_caller(context))
        names = {ACTIONS[verb] for verb in moves}
        return [name for name in _ACTION_ORDER if name in names]

    @staticmethod
    def resolve_waiting_for_me(obj: Exchange, context: dict[str, Any]) -> bool:
        moves = services.exchange_moves_for(exchange=obj, member=_caller(context))
        return bool(moves - {Verb.CANCEL})


class ExchangeEventOut(Schema):
    verb: EventVerb
    description: str
    actor: MemberRef | None = Field(description="Null when Equitime acted (auto-confirm).")
    recorded_by: MemberRef | None = Field(
        description="The coordinator who made this move for the actor, with their consent."
    )
    from_status: ExchangeStatus | None
    to_status: ExchangeStatus
    minutes: int | None
    note: str
    created_at: datetime

    @staticmethod
    def resolve_description(obj: ExchangeEvent) -> str:
        return choice_label(obj, "verb")

    @staticmethod
    def resolve_actor(obj: ExchangeEvent) -> MemberRef | None:
        return member_ref(obj.actor)

    @staticmethod
    def resolve_recorded_by(obj: ExchangeEvent) -> MemberRef | None:
        return member_ref(obj.recorded_by) if obj.recorded_by_id else None

    @staticmethod
    def resolve_from_status(obj: ExchangeEvent) -> str | None:
        return obj.from_status or None


class ExchangeMessageOut(Schema):
    id: int
    author: MemberRef
    body: str
    created_at: datetime

    @staticmethod
    def resolve_author(obj: ExchangeMessage) -> MemberRef | None:
        return member_ref(obj.author)


class ThanksOut(Schema):
    id: int
    author: MemberRef
    recipient: MemberRef
    message: str
    impact: str
    show_on_profile: bool
    created_at: datetime

    @staticmethod
    def resolve_author(obj: Thanks) -> MemberRef | None:
        return member_ref(obj.author)

    @staticmethod
    def resolve_recipient(obj: Thanks) -> MemberRef | None:
        return member_ref(obj.recipient)


class ReflectionOut(Schema):
    """A private reflective account: only its author ever sees it."""

    text: str = Field(description="What happened.")
    learned: str = Field(description="What I learned.")
    practice_change: str = Field(description="How it changed, or will change, my practice.")
    standards: str = Field(description="The professional standards it relates to.")
    updated_at: datetime


class ExchangeOut(ExchangeSummaryOut):
    """One exchange with its timeline, thread and thanks."""

    held_minutes: int | None = Field(description="Held from the receiver until it is settled.")
    paid_minutes: int | None = Field(description="Moved to the provider on completion.")
    accepted_at: datetime | None
    declined_at: datetime | None
    decline_reason: str
    delivered_at: datetime | None
    completed_at: datetime | None
    disputed_at: datetime | None
    dispute_reason: str
    cancelled_at: datetime | None
    cancelled_by: MemberRef | None
    recorded_by: MemberRef | None = Field(
        description="The first coordinator who acted for a party (see each event's recorded_by)."
    )
    resolved_at: datetime | None
    resolution_note: str
    events: list[ExchangeEventOut]
    messages: list[ExchangeMessageOut]
    thanks: list[ThanksOut]
    my_reflection: ReflectionOut | None = Field(
        description="The caller's private reflection, if they wrote one."
    )

    @staticmethod
    def resolve_held_minutes(obj: Exchange) -> int | None:
        hold = obj.hold
        if hold is None or hasattr(hold, "resolution"):
            return None
        return hold.amount

    @staticmethod
    def resolve_paid_minutes(obj: Exchange) -> int | None:
        return obj.payment.amount if obj.payment is not None else None

    @staticmethod
    def resolve_cancelled_by(obj: Exchange) -> MemberRef | None:
        return member_ref(obj.cancelled_by)

    @staticmethod
    def resolve_recorded_by(obj: Exchange) -> MemberRef | None:
        return member_ref(obj.recorded_by) if obj.recorded_by_id else None

    @staticmethod
    def resolve_events(obj: Exchange) -> list[ExchangeEvent]:
        return list(obj.events.all())

    @staticmethod
    def resolve_messages(obj: Exchange) -> list[ExchangeMessage]:
        return list(obj.messages.all())

    @staticmethod
    def resolve_thanks(obj: Exchange) -> list[Thanks]:
        return list(obj.thanks.all())

    @staticmethod
    def resolve_my_reflection(obj: Exchange, context: dict[str, Any]) -> Reflection | None:
        member = _caller(context)
        if obj.party_role(member) is None:
            return None
        return Reflection.objects.filter(exchange=obj, author=member).first()


def _exchange_get(member: Member, exchange_id: int) -> Exchange:
    """The exchange as the caller may see it, with everything the detail shows."""
    exchange = exchange_get_for_member(member=member, pk=exchange_id)
    prefetch_related_objects(
        [exchange],
        "proposed_by",
        "cancelled_by",
        "hold__resolution",
        Prefetch("events", queryset=ExchangeEvent.objects.select_related("actor", "recorded_by")),
        Prefetch("messages", queryset=ExchangeMessage.objects.select_related("author")),
        Prefetch("thanks", queryset=Thanks.objects.select_related("author", "recipient")),
    )
    return exchange


def exchange_url(exchange_id: int) -> str:
    return reverse("api:exchange_get", kwargs={"exchange_id": exchange_id})


def _location(body: ExchangeOut) -> str:
    return exchange_url(body.id)


def _exchange_out(request: ApiRequest, exchange_id: int) -> ExchangeOut:
    exchange = _exchange_get(request.auth, exchange_id)
    return ExchangeOut.from_orm(exchange, context={"request": request})


# --- Reading ----------------------------------------------------------------------


class ExchangeFilters(Schema):
    # A filter left out is None, but the OpenAPI document shows each as its plain
    # type (not "or null"), so the annotations say the type and mypy is told.
    status: ExchangeStatus = Field(None, description="Only exchanges in this status.")  # type: ignore[assignment]  # None when left out
    role: Literal["provider", "receiver"] = Field(
        None,  # type: ignore[arg-type]  # None when left out
        description="Only those where the caller gives (provider) or gets (receiver) time.",
    )
    open: bool = Field(  # type: ignore[assignment]  # None when left out
        None, description="true: proposed, accepted, delivered or disputed; false: finished."
    )
    ordering: Literal["-created_at", "created_at", "-updated_at", "updated_at"] = Field(
        "-created_at", description="Newest proposals first by default; '-updated_at': latest news."
    )


@router.get(
    "",
    response={200: list[ExchangeSummaryOut], **PROBLEM_RESPONSES},
    summary="My exchanges",
    description="The exchanges the caller gives or receives time in, newest first "
    "unless `ordering` says otherwise.",
    operation_id="exchange_list",
)
@decorate_view(member_api_list)
@paginate(PageNumberPagination, page_size=20, max_page_size=100)
def exchange_list(request: ApiRequest, filters: Query[ExchangeFilters]) -> QuerySet[Exchange]:
    member = request.auth
    exchanges = exchanges_for_member(member=member).select_related("proposed_by")
    if filters.status:
        exchanges = exchanges.filter(status=filters.status)
    if filters.role == "provider":
        exchanges = exchanges.filter(provider=member)
    elif filters.role == "receiver":
        exchanges = exchanges.filter(receiver=member)
    if filters.open is True:
        exchanges = exchanges.filter(status__in=OPEN_STATUSES)
    elif filters.open is False:
        exchanges = exchanges.exclude(status__in=OPEN_STATUSES)
    tie = "-id" if filters.ordering.startswith("-") else "id"
    return exchanges.order_by(filters.ordering, tie)


@router.get(
    "/{int:exchange_id}",
    response={200: ExchangeOut, **PROBLEM_RESPONSES},
    summary="One exchange",
    description="Its parties, status, what the caller may do next, timeline, messages and "
    "thanks. Only the two parties see it; a moderator also sees a disputed exchange.",
    operation_id="exchange_get",
)
def exchange_get(request: ApiRequest, exchange_id: int) -> Exchange:
    return _exchange_get(request.auth, exchange_id)


# --- Proposing ----------------------------------------------------------------------


class ProposeIn(Schema):
    """Take up an offer (the caller receives time) or answer a request (the caller gives it)."""

    listing_id: int = Field(description="An open listing of another member.")
    minutes: int = _minutes()
    message: Annotated[str, text(MESSAGE_LENGTH)] = ""


class DirectProposeIn(Schema):
    """Record time with a colleague, no listing: the colleague accepts it."""

    member_id: int = Field(description="The colleague, an active member.")
    member_gives: bool = Field(
        description="true: the caller gave the time (provider); false: the caller received it."
    )
    title: Annotated[str, required_text(TITLE_LENGTH)]
    improvement_area_id: int = Field(description="See GET /improvement-areas.")
    benefit: Annotated[
        str,
        required_text(BENEFIT_LENGTH, description="In one sentence, how it helps health and care."),
    ]
    minutes: int = _minutes()
    message: Annotated[str, text(MESSAGE_LENGTH)] = ""


@router.post(
    "",
    response={201: ExchangeOut, **PROBLEM_RESPONSES},
    summary="Propose an exchange from a listing",
    description="Take up an offer or answer a request. The listing's owner accepts or "
    "declines. For time with a colleague without a listing, use POST /exchanges/direct.",
    operation_id="exchange_propose",
    openapi_extra={
        "responses": {201: {"links": _links()}},
        **_IDEMPOTENT,
    },
)
def exchange_propose(request: ApiRequest, payload: ProposeIn) -> JsonResponse:
    member = request.auth

    def run() -> tuple[int, ExchangeOut]:
        try:
            listing = listing_get_visible(member=member, pk=payload.listing_id)
        except Http404:
            raise _field_problem(
                "listing_id", _("There is no open listing with this id.")
            ) from None
        exchange = services.exchange_propose_from_listing(
            listing=listing,
            member=member,
            minutes=payload.minutes,
            message=payload.message,
            request_key=proposal_key(member, request_key(request)),
        )
        return 201, _exchange_out(request, exchange.pk)

    return idempotent(request, run, location=_location)


@router.post(
    "/direct",
    response={201: ExchangeOut, **PROBLEM_RESPONSES},
    summary="Propose an exchange with a colleague, without a listing",
    description="Record time the caller gave to (member_gives: true) or received from "
    "(member_gives: false) a colleague. The colleague accepts or declines it.",
    operation_id="exchange_propose_direct",
    openapi_extra={
        "responses": {201: {"links": _links()}},
        **_IDEMPOTENT,
    },
)
def exchange_propose_direct(request: ApiRequest, payload: DirectProposeIn) -> JsonResponse:
    member = request.auth

    def run() -> tuple[int, ExchangeOut]:
        try:
            colleague = member_get_visible(pk=payload.member_id)
        except Http404:
            raise _field_problem("member_id", _("There is no member with this id.")) from None
        if colleague.pk == member.pk:  # the service refuses it too; this names the field
            raise _field_problem("member_id", _("Choose a colleague, not yourself."))
        area = ImprovementArea.objects.filter(
            pk__in=storable_ids([payload.improvement_area_id])
        ).first()
        if area is None:
            raise _field_problem(
                "improvement_area_id",
                _("Select a valid choice. That choice is not one of the available choices."),
            )
        exchange = services.exchange_propose_direct(
            member=member,
            other=colleague,
            member_gives=payload.member_gives,
            title=payload.title,
            improvement_area=area,
            benefit=payload.benefit,
            minutes=payload.minutes,
            message=payload.message,
            request_key=proposal_key(member, request_key(request)),
        )
        return 201, _exchange_out(request, exchange.pk)

    return idempotent(request, run, location=_location)


# --- Moving through the lifecycle ------------------------------------------------


def _move(
    request: ApiRequest, exchange_id: int, call: Callable[[Exchange, Member], Exchange]
) -> JsonResponse:
    """Run one move on the exchange the caller may see; answer with the exchange."""
    member = request.auth

    def run() -> tuple[int, ExchangeOut]:
        exchange = exchange_get_for_member(member=member, pk=exchange_id)
        call(exchange, member)
        return 200, _exchange_out(request, exchange.pk)

    return idempotent(request, run, location=_location)


def _transition(
    path: str, *, summary: str, description: str, operation_id: str
) -> Callable[[View], View]:
    return router.post(
        f"/{{int:exchange_id}}/{path}",
        response={200: ExchangeOut, **PROBLEM_RESPONSES},
        summary=summary,
        description=description,
        operation_id=operation_id,
        openapi_extra=_IDEMPOTENT,
    )


class ReasonIn(Schema):
    reason: Annotated[str, required_text(REASON_LENGTH)]


class OptionalReasonIn(Schema):
    reason: Annotated[str, text(REASON_LENGTH)] = ""


class DeliverIn(Schema):
    minutes: int = _minutes(description="The time actually given.")
    confirm_over_agreed: bool = Field(
        False,
        description="Required (true) to log more than twice the agreed minutes, or more "
        "than 120 minutes over them; otherwise 422 `over_agreed` with an error on this field.",
    )


class ResolveIn(Schema):
    outcome: Literal["post", "void"] = Field(
        description="post: move `minutes` to the provider (completed); "
        "void: release the hold, no credits move."
    )
    minutes: int | None = _minutes(None, description="Required when outcome is post.")
    note: Annotated[
        str, required_text(REASON_LENGTH, description="The decision, explained to both members.")
    ]


@_transition(
    "accept",
    summary="Accept a proposed exchange",
    description="The party who did not propose accepts; the proposed minutes are held "
    "on the receiver's account (409 insufficient_credit if they do not have them).",
    operation_id="exchange_accept",
)
def exchange_accept(request: ApiRequest, exchange_id: int) -> JsonResponse:
    return _move(
        request, exchange_id, lambda ex, m: services.exchange_accept(exchange=ex, member=m)
    )


@_transition(
    "decline",
    summary="Decline a proposed exchange",
    description="The party who did not propose declines, saying why.",
    operation_id="exchange_decline",
)
def exchange_decline(request: ApiRequest, exchange_id: int, payload: ReasonIn) -> JsonResponse:
    return _move(
        request,
        exchange_id,
        lambda ex, m: services.exchange_decline(exchange=ex, member=m, reason=payload.reason),
    )


@_transition(
    "cancel",
    summary="Cancel an exchange",
    description="Either party, before the time is logged; any hold is released. "
    "The body (a reason) is optional.",
    operation_id="exchange_cancel",
)
def exchange_cancel(
    request: ApiRequest, exchange_id: int, payload: OptionalReasonIn | None = None
) -> JsonResponse:
    reason = payload.reason if payload else ""
    return _move(
        request,
        exchange_id,
        lambda ex, m: services.exchange_cancel(exchange=ex, member=m, reason=reason),
    )


@_transition(
    "deliver",
    summary="Log the time given",
    description="The provider logs the minutes actually given; the receiver then confirms "
    "or disputes. Far more than agreed (more than twice the proposed minutes, or more than "
    "120 over) needs `confirm_over_agreed: true`.",
    operation_id="exchange_deliver",
)
def exchange_deliver(request: ApiRequest, exchange_id: int, payload: DeliverIn) -> JsonResponse:
    def deliver(ex: Exchange, m: Member) -> Exchange:
        return services.exchange_deliver(
            exchange=ex,
            member=m,
            minutes=payload.minutes,
            confirm_over_agreed=payload.confirm_over_agreed,
        )

    return _move(request, exchange_id, deliver)


@_transition(
    "confirm",
    summary="Confirm the time given",
    description="The receiver confirms: the logged minutes move to the provider and the "
    "hold is released.",
    operation_id="exchange_confirm",
)
def exchange_confirm(request: ApiRequest, exchange_id: int) -> JsonResponse:
    return _move(
        request, exchange_id, lambda ex, m: services.exchange_confirm(exchange=ex, member=m)
    )


@_transition(
    "dispute",
    summary="Dispute the time logged",
    description="The receiver says what is wrong; a moderator resolves it. The credits "
    "stay held meanwhile.",
    operation_id="exchange_dispute",
)
def exchange_dispute(request: ApiRequest, exchange_id: int, payload: ReasonIn) -> JsonResponse:
    return _move(
        request,
        exchange_id,
        lambda ex, m: services.exchange_dispute(exchange=ex, member=m, reason=payload.reason),
    )


@_transition(
    "resolve",
    summary="Resolve a dispute (moderators)",
    description="A moderator who is not a party settles a disputed exchange: move some "
    "minutes (post) or none (void).",
    operation_id="exchange_resolve",
)
def exchange_resolve(request: ApiRequest, exchange_id: int, payload: ResolveIn) -> JsonResponse:
    posting = payload.outcome == "post"
    if posting and payload.minutes is None:
        raise _field_problem("minutes", _("Give the minutes to move when the outcome is post."))
    return _move(
        request,
        exchange_id,
        lambda ex, m: services.exchange_resolve(
            exchange=ex,
            moderator=m,
            minutes=payload.minutes if posting else None,
            note=payload.note,
        ),
    )


# --- Conversation, thanks, reflection -------------------------------------------


class MessageIn(Schema):
    body: Annotated[str, required_text(MESSAGE_LENGTH)]


class ThanksIn(Schema):
    message: Annotated[str, required_text(REASON_LENGTH)]
    impact: Annotated[
        str, text(REASON_LENGTH, description="What changed, or will change, for health and care.")
    ] = ""
    show_on_profile: bool = Field(True, description="Show the thanks on the colleague's profile.")


class ReflectionIn(Schema):
    """The whole reflective account: a part left out is saved empty (PUT replaces)."""

    text: Annotated[str, required_text(MESSAGE_LENGTH, description="What happened.")]
    learned: Annotated[str, text(MESSAGE_LENGTH, description="What I learned.")] = ""
    practice_change: Annotated[
        str, text(MESSAGE_LENGTH, description="How it changed, or will change, my practice.")
    ] = ""
    standards: Annotated[
        str,
        text(
            STANDARDS_LENGTH,
            description="The standards it relates to, e.g. 'NMC Code: Practise effectively'.",
        ),
    ] = ""


def _party_write(
    request: ApiRequest,
    exchange_id: int,
    status: int,
    write: Callable[[Exchange, Member], Written],
    schema: type[Out],
) -> JsonResponse:
    member = request.auth

    def run() -> tuple[int, Out]:
        exchange = exchange_get_for_member(member=member, pk=exchange_id)
        written = write(exchange, member)
        return status, schema.from_orm(written, context={"request": request})

    # A message, thanks or reflection has no address of its own: its exchange has.
    return idempotent(request, run, location=lambda body: exchange_url(exchange_id))


@router.post(
    "/{int:exchange_id}/messages",
    response={201: ExchangeMessageOut, **PROBLEM_RESPONSES},
    summary="Write to the other party",
    description="Only the two parties write in an exchange's thread.",
    operation_id="exchange_message_post",
    openapi_extra=_IDEMPOTENT,
)
def exchange_message_post(
    request: ApiRequest, exchange_id: int, payload: MessageIn
) -> JsonResponse:
    def write(ex: Exchange, m: Member) -> ExchangeMessage:
        with fields_named(message="body"):
            return services.exchange_message_post(exchange=ex, member=m, body=payload.body)

    return _party_write(request, exchange_id, 201, write, ExchangeMessageOut)


@router.post(
    "/{int:exchange_id}/thanks",
    response={201: ThanksOut, **PROBLEM_RESPONSES},
    summary="Thank the other party",
    description="Once the exchange is completed, each party may leave thanks once, with a "
    "note on its impact.",
    operation_id="exchange_thanks_give",
    openapi_extra=_IDEMPOTENT,
)
def exchange_thanks_give(request: ApiRequest, exchange_id: int, payload: ThanksIn) -> JsonResponse:
    def write(ex: Exchange, m: Member) -> Thanks:
        with fields_named(thanks="message"):
            return services.thanks_give(
                exchange=ex,
                member=m,
                message=payload.message,
                impact=payload.impact,
                show_on_profile=payload.show_on_profile,
            )

    return _party_write(request, exchange_id, 201, write, ThanksOut)


@router.put(
    "/{int:exchange_id}/reflection",
    response={200: ReflectionOut, **PROBLEM_RESPONSES},
    summary="Write my private reflection",
    description="Create or replace the caller's private note on the exchange, for their "
    "CPD or appraisal record. Only its author ever sees it.",
    operation_id="exchange_reflection_save",
    openapi_extra=_IDEMPOTENT,
)
def exchange_reflection_save(
    request: ApiRequest, exchange_id: int, payload: ReflectionIn
) -> JsonResponse:
    def write(ex: Exchange, m: Member) -> Reflection:
        with fields_named(reflection="text"):
            return services.reflection_save(
                exchange=ex,
                member=m,
                text=payload.text,
                learned=payload.learned,
                practice_change=payload.practice_change,
                standards=payload.standards,
            )

    return _party_write(request, exchange_id, 200, write, ReflectionOut)

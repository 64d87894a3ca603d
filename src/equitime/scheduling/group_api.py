"""API: group sessions, their places and their waiting lists.

Any member may list and read group sessions; the services hold every rule
(who may sign up, who may cancel or record attendance), and their refusals
are problems. Every write accepts an Idempotency-Key (``api.idempotency``):
a sign-up, a leaving, a cancellation and a record of attendance move or
release credits, so a retry with the key gets the first answer and moves
nothing twice. Underneath, the ledger's own keys come from the session and
the seat, so credits move once even without it.
"""

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal

from django.db.models import QuerySet
from django.http import Http404, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from equitime.api.auth import ApiRequest
from equitime.api.idempotency import idempotent
from equitime.api.pagination import PageNumberPagination
from equitime.api.problems import PROBLEM_RESPONSES, ApiProblem, fields_named
from equitime.api.schemas import Instant, MemberRef, member_ref, required_text, storable_ids, text
from equitime.core.units import STEP_MINUTES
from equitime.exchanges.api import idempotency_parameter
from equitime.listings.access import listing_get_for_owner
from equitime.members.models import Member
from equitime.scheduling import group_selectors as selectors
from equitime.scheduling import groups
from equitime.scheduling.api_schemas import SessionCoreOut
from equitime.scheduling.group_selectors import free_places, group_sessions_upcoming
from equitime.scheduling.models import CreditPolicy, Seat, Session
from equitime.scheduling.slots import MAX_SESSION_MINUTES, Slot
from equitime.skills.api import ImprovementAreaOut
from equitime.skills.models import ImprovementArea

router = Router(tags=["Group sessions"])

if TYPE_CHECKING:
    Policy = str
    SeatStatus = str
else:
    Policy = Literal[tuple(CreditPolicy.values)]
    SeatStatus = Literal[tuple(Seat.Status.values)]
Action = Literal["sign_up", "leave", "cancel", "attendance"]
_IDEMPOTENT = {"parameters": [idempotency_parameter()]}


# --- Output -----------------------------------------------------------------------


class SeatOut(Schema):
    member: MemberRef
    status: SeatStatus
    joined_at: datetime

    @staticmethod
    def resolve_member(obj: Seat) -> MemberRef | None:
        return member_ref(obj.member)


class MySeatOut(Schema):
    status: SeatStatus
    position: int | None = Field(description="The caller's place in the waiting list, from 1.")
    held_minutes: int | None = Field(description="Held from the caller for their place.")


class GroupSessionOut(SessionCoreOut):
    description: str
    improvement_area: ImprovementAreaOut | None
    benefit: str
    listing_id: int | None
    starts_at: datetime
    ends_at: datetime
    minutes: int
    capacity: int
    places_left: int
    waiting: int = Field(description="How many are on the waiting list.")
    credit_policy: Policy = Field(
        description="free: the community pool pays the organiser; shared: each place "
        "costs share_minutes, held at sign-up and paid only on attendance."
    )
    share_minutes: int = Field(description="What a place costs its holder (0 when free).")
    cancel_reason: str
    attendance_recorded_at: datetime | None
    my_seat: MySeatOut | None = Field(description="The caller's place, if they have one.")
    seats: list[SeatOut] | None = Field(
        description="Who has a place or waits, in order; for the organiser only."
    )
    allowed_actions: list[Action] = Field(
        description="What the caller may do now: POST /group-sessions/{id}/<action>."
    )

    @staticmethod
    def resolve_places_left(obj: Session) -> int:
        return free_places(obj)

    @staticmethod
    def resolve_waiting(obj: Session) -> int:
        waiting = getattr(obj, "waiting", None)
        if waiting is None:
            waiting = obj.seats.filter(status=Seat.Status.WAITING).count()
        return int(waiting)

    @staticmethod
    def resolve_share_minutes(obj: Session) -> int:
        return groups.seat_share(obj)

    @staticmethod
    def resolve_my_seat(obj: Session, context: dict[str, Any]) -> MySeatOut | None:
        member = context["request"].auth
        seat = (
            obj.seats.select_related("hold")
            .filter(member=member)
            .exclude(status=Seat.Status.LEFT)
            .first()
        )
        if seat is None:
            return None
        position = None
        if seat.status == Seat.Status.WAITING:
            ahead = obj.seats.filter(status=Seat.Status.WAITING, joined_at__lt=seat.joined_at)
            position = ahead.count() + 1
        held = seat.hold.amount if seat.hold and seat.status == Seat.Status.BOOKED else None
        return MySeatOut(status=seat.status, position=position, held_minutes=held)

    @staticmethod
    def resolve_seats(obj: Session, context: dict[str, Any]) -> list[Seat] | None:
        if obj.organiser_id != context["request"].auth.pk:
            return None
        return list(
            obj.seats.select_related("member")
            .exclude(status=Seat.Status.LEFT)
            .order_by("joined_at", "pk")
        )

    @staticmethod
    def resolve_allowed_actions(obj: Session, context: dict[str, Any]) -> list[str]:
        return groups.group_moves_for(session=obj, member=context["request"].auth)


def group_session_url(session_id: int) -> str:
    return reverse("api:group_session_get", kwargs={"session_id": session_id})


def _out(request: ApiRequest, session_id: int) -> GroupSessionOut:
    session = selectors.group_session_get(pk=session_id)
    return GroupSessionOut.from_orm(session, context={"request": request})


def _location(body: GroupSessionOut) -> str:
    return group_session_url(body.id)


def _session(session_id: int) -> Session:
    return selectors.group_session_get(pk=session_id)


# --- Reading ----------------------------------------------------------------------


class GroupFilters(Schema):
    area: str = Field("", max_length=100, description="An improvement area's slug.")


@router.get(
    "",
    response={200: list[GroupSessionOut], **PROBLEM_RESPONSES},
    summary="Upcoming group sessions",
    description="Scheduled group sessions not yet started, soonest first.",
    operation_id="group_session_list",
)
@paginate(PageNumberPagination, page_size=20, max_page_size=100)
def group_session_list(request: ApiRequest, filters: Query[GroupFilters]) -> QuerySet[Session]:
    return group_sessions_upcoming(area=filters.area)


@router.get(
    "/{int:session_id}",
    response={200: GroupSessionOut, **PROBLEM_RESPONSES},
    summary="One group session",
    description="Its time, place, places left, waiting list, cost and the caller's place; "
    "the organiser also sees who signed up and who waits.",
    operation_id="group_session_get",
)
def group_session_get(request: ApiRequest, session_id: int) -> Session:
    return _session(session_id)


# --- Creating ----------------------------------------------------------------------


class GroupSessionIn(Schema):
    title: Annotated[str, required_text(120)]
    description: Annotated[str, text(4000)] = ""
    improvement_area_id: int = Field(description="See GET /improvement-areas.")
    benefit: Annotated[
        str, required_text(250, description="In one sentence, how it helps health and care.")
    ]
    starts_at: Instant = Field(description="With its offset, e.g. 2026-03-02T14:00:00+00:00.")
    minutes: int = Field(gt=0, le=MAX_SESSION_MINUTES, multiple_of=STEP_MINUTES)
    capacity: int = Field(ge=groups.MIN_CAPACITY, le=groups.MAX_CAPACITY)
    place: Annotated[str, text(200)] = ""
    video_url: Annotated[str, text(500)] = ""
    listing_id: int | None = Field(None, description="One of the caller's own open offers.")


@router.post(
    "",
    response={201: GroupSessionOut, **PROBLEM_RESPONSES},
    summary="Create a group session",
    description="Scheduled at once; its credits follow the community's policy of the "
    "moment (credit_policy), which it keeps.",
    operation_id="group_session_create",
    openapi_extra=_IDEMPOTENT,
)
def group_session_create(request: ApiRequest, payload: GroupSessionIn) -> JsonResponse:
    member = request.auth

    def run() -> tuple[int, GroupSessionOut]:
        area = ImprovementArea.objects.filter(
            pk__in=storable_ids([payload.improvement_area_id])
        ).first()
        if area is None:
            raise _field_problem("improvement_area_id", _("There is no such improvement area."))
        listing = None
        if payload.listing_id is not None:
            try:
                listing = listing_get_for_owner(
                    member=member, pk=storable_ids([payload.listing_id])[0]
                )
            except (Http404, IndexError):
                raise _field_problem(
                    "listing_id", _("There is no offer of yours with this id.")
                ) from None
        with fields_named(improvement_area="improvement_area_id", listing="listing_id"):
            session = groups.group_session_create(
                organiser=member,
                title=payload.title,
                description=payload.description,
                improvement_area=area,
                benefit=payload.benefit,
                slot=Slot(
                    starts_at=payload.starts_at,
                    minutes=payload.minutes,
                    place=payload.place,
                    video_url=payload.video_url,
                ),
                capacity=payload.capacity,
                listing=listing,
            )
        return 201, _out(request, session.pk)

    return idempotent(request, run, location=_location)


def _field_problem(field: str, message: str) -> ApiProblem:
    problem = ApiProblem(422, _("Some fields are not valid; see errors."), code="invalid_fields")
    problem.errors = [{"field": field, "message": message}]
    return problem


# --- Places, cancelling, attendance --------------------------------------------------


def _move(request: ApiRequest, session_id: int, call: Any) -> JsonResponse:
    member: Member = request.auth

    def run() -> tuple[int, GroupSessionOut]:
        session = _session(session_id)
        call(session, member)
        return 200, _out(request, session.pk)

    return idempotent(request, run, location=_location)


def _write(path: str, *, summary: str, description: str, operation_id: str) -> Any:
    return router.post(
        f"/{{int:session_id}}/{path}",
        response={200: GroupSessionOut, **PROBLEM_RESPONSES},
        summary=summary,
        description=description,
        operation_id=operation_id,
        openapi_extra=_IDEMPOTENT,
    )


@_write(
    "sign-up",
    summary="Take a place, or join the waiting list",
    description="A place if one is free (under shared, its share is held: 409 "
    "insufficient_credit if the caller does not have it), else the waiting list. "
    "Not the organiser; not twice; not once the session has started.",
    operation_id="group_session_sign_up",
)
def group_session_sign_up(request: ApiRequest, session_id: int) -> JsonResponse:
    return _move(request, session_id, lambda s, m: groups.group_sign_up(session=s, member=m))


@_write(
    "leave",
    summary="Give up a place, or leave the waiting list",
    description="Before the start. A place's hold is released and the first on the "
    "waiting list who can take it moves up.",
    operation_id="group_session_leave",
)
def group_session_leave(request: ApiRequest, session_id: int) -> JsonResponse:
    return _move(request, session_id, lambda s, m: groups.group_leave(session=s, member=m))


class CancelIn(Schema):
    reason: Annotated[str, required_text(500, description="Everyone who signed up reads it.")]


@_write(
    "cancel",
    summary="Cancel a group session",
    description="The organiser, before attendance is recorded: every hold is released "
    "and everyone who signed up is told why.",
    operation_id="group_session_cancel",
)
def group_session_cancel(request: ApiRequest, session_id: int, payload: CancelIn) -> JsonResponse:
    return _move(
        request,
        session_id,
        lambda s, m: groups.group_session_cancel(session=s, member=m, reason=payload.reason),
    )


class AttendanceIn(Schema):
    attended_member_ids: list[int] = Field(
        max_length=groups.MAX_CAPACITY,
        description="The members with a place who came; the others pay nothing.",
    )


@_write(
    "attendance",
    summary="Record who attended",
    description="The organiser, once, after the start. The organiser earns the "
    "session's minutes once (if anyone came): under free from the pool; under shared "
    "from the attendees' held shares, the pool paying the rest.",
    operation_id="group_session_attendance",
)
def group_session_attendance(
    request: ApiRequest, session_id: int, payload: AttendanceIn
) -> JsonResponse:
    ids = storable_ids(payload.attended_member_ids)
    with fields_named(attended="attended_member_ids"):
        return _move(
            request,
            session_id,
            lambda s, m: groups.group_attendance_record(
                session=s, member=m, attended_member_ids=ids
            ),
        )

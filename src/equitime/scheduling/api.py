"""API: the caller's sessions, and arranging an exchange's one-to-one session.

The same services as the pages, reached through the same access helpers (the
exchange's two parties; anyone else gets 404). Times go both ways as ISO 8601
instants with their offset ("2026-03-10T14:00:00Z", "2026-03-10T10:00:00-04:00");
a time without one is refused (422), since nobody can tell whose clock it is on.

- ``GET /sessions``: the caller's sessions to come (one-to-one and group);
- ``GET /sessions/{id}``: one one-to-one session, its open times and timeline;
- ``POST /exchanges/{id}/session/times``: propose one to three times;
- ``POST /sessions/{id}/choose``: choose a time the other party proposed;
- ``POST /sessions/{id}/move`` and ``/cancel``: at once, with a reason.
"""

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal

from django.db.models import QuerySet
from django.http import JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.decorators import decorate_view
from ninja.pagination import paginate
from pydantic import AwareDatetime

from equitime.api.auth import ApiRequest
from equitime.api.idempotency import idempotent
from equitime.api.pagination import PageNumberPagination
from equitime.api.problems import PROBLEM_RESPONSES, ApiProblem
from equitime.api.schemas import MemberRef, member_ref, required_text, text
from equitime.core import zones
from equitime.core.choices import choice_label
from equitime.core.pagecache import member_api_list
from equitime.core.units import STEP_MINUTES
from equitime.exchanges.api import idempotency_parameter
from equitime.members.models import Member
from equitime.scheduling import services
from equitime.scheduling.api_schemas import INSTANT_OUT, SessionCoreOut
from equitime.scheduling.models import ProposedTime, Session, SessionEvent
from equitime.scheduling.selectors import (
    exchange_get_for_party,
    session_for_exchange,
    session_get_for_party,
    sessions_upcoming_for_member,
)
from equitime.scheduling.slots import MAX_SESSION_MINUTES, Slot

router = Router(tags=["Sessions"])

if TYPE_CHECKING:
    SessionKind = str
    EventVerb = str
    TimeStatus = str
else:
    SessionKind = Literal[tuple(Session.Kind.values)]
    EventVerb = Literal[tuple(SessionEvent.Verb.values)]
    TimeStatus = Literal[tuple(ProposedTime.Status.values)]
Action = Literal["propose", "choose", "move", "cancel"]

_IDEMPOTENT = {"parameters": [idempotency_parameter()]}
PLACE_LENGTH = 200
LINK_LENGTH = 500
INSTANT = (
    "ISO 8601 with its offset, e.g. 2026-03-10T14:00:00Z or 2026-03-10T10:00:00-04:00; "
    "a time without an offset is refused."
)


def _caller(context: dict[str, Any]) -> Member:
    request: ApiRequest = context["request"]
    return request.auth


def _field_problem(field: str, message: str) -> ApiProblem:
    problem = ApiProblem(422, _("Some fields are not valid; see errors."), code="invalid_fields")
    problem.errors = [{"field": field, "message": message}]
    return problem


# --- Output -------------------------------------------------------------------------


class ProposedTimeOut(Schema):
    id: int
    starts_at: datetime = Field(description=INSTANT_OUT)
    ends_at: datetime
    minutes: int
    place: str
    video_url: str
    status: TimeStatus
    proposed_by: MemberRef

    @staticmethod
    def resolve_ends_at(obj: ProposedTime) -> datetime:
        return Slot(starts_at=obj.starts_at, minutes=obj.minutes).ends_at

    @staticmethod
    def resolve_proposed_by(obj: ProposedTime) -> MemberRef | None:
        return member_ref(obj.proposed_by)


class SessionEventOut(Schema):
    verb: EventVerb
    description: str
    actor: MemberRef | None
    starts_at: datetime | None
    minutes: int | None
    reason: str
    created_at: datetime

    @staticmethod
    def resolve_description(obj: SessionEvent) -> str:
        return choice_label(obj, "verb")

    @staticmethod
    def resolve_actor(obj: SessionEvent) -> MemberRef | None:
        return member_ref(obj.actor)


class SessionSummaryOut(SessionCoreOut):
    """A session as the caller's list shows it."""

    kind: SessionKind
    exchange_id: int | None = Field(
        description="A one-to-one session's exchange; null for a group."
    )
    other_party: MemberRef | None = Field(
        description="In a one-to-one session, the caller's colleague; null for a group."
    )
    starts_at: datetime | None = Field(description=INSTANT_OUT + " Null until a time is chosen.")
    ends_at: datetime | None
    minutes: int | None
    my_time_zone: str = Field(description="The caller's zone (IANA), as their profile says.")

    @staticmethod
    def resolve_other_party(obj: Session, context: dict[str, Any]) -> MemberRef | None:
        if obj.exchange is None:
            return None
        return member_ref(obj.exchange.other_party(_caller(context)))

    @staticmethod
    def resolve_my_time_zone(obj: Session, context: dict[str, Any]) -> str:
        return str(zones.zone_of(_caller(context)).key)


class SessionOut(SessionSummaryOut):
    """A one-to-one session: its time, the times on offer, its timeline."""

    proposed_times: list[ProposedTimeOut] = Field(
        description="The times on offer now: the other party chooses one."
    )
    events: list[SessionEventOut]
    cancelled_at: datetime | None
    cancel_reason: str
    allowed_actions: list[Action] = Field(
        description="What the caller may do now: propose (POST /exchanges/{exchange_id}/"
        "session/times), choose, move, cancel (POST /sessions/{id}/<action>)."
    )

    @staticmethod
    def resolve_proposed_times(obj: Session) -> list[ProposedTime]:
        return list(obj.open_times)  # type: ignore[attr-defined]  # prefetched

    @staticmethod
    def resolve_events(obj: Session) -> list[SessionEvent]:
        return list(obj.timeline)  # type: ignore[attr-defined]  # prefetched

    @staticmethod
    def resolve_allowed_actions(obj: Session, context: dict[str, Any]) -> list[str]:
        if obj.exchange is None:
            return []
        return services.session_moves_for(
            exchange=obj.exchange, session=obj, member=_caller(context)
        )


def session_url(session_id: int) -> str:
    return reverse("api:session_get", kwargs={"session_id": session_id})


def _session_out(request: ApiRequest, session: Session) -> SessionOut:
    assert session.exchange is not None
    full = session_for_exchange(exchange=session.exchange)
    assert full is not None
    return SessionOut.from_orm(full, context={"request": request})


# --- Reading ----------------------------------------------------------------------------


@router.get(
    "/sessions",
    response={200: list[SessionSummaryOut], **PROBLEM_RESPONSES},
    summary="My sessions to come",
    description="Scheduled sessions the caller takes part in, soonest first: one-to-one "
    "sessions of their exchanges, group sessions they organise or have a place in. A "
    "session that started within the last working day may still be on, and is listed.",
    operation_id="session_list",
)
@decorate_view(member_api_list)
@paginate(PageNumberPagination, page_size=20, max_page_size=100)
def session_list(request: ApiRequest) -> QuerySet[Session]:
    return sessions_upcoming_for_member(member=request.auth)


@router.get(
    "/sessions/{int:session_id}",
    response={200: SessionOut, **PROBLEM_RESPONSES},
    summary="One one-to-one session",
    description="Its time (UTC), place or link, the times on offer and its timeline. "
    "Only the exchange's two parties see it.",
    operation_id="session_get",
)
def session_get(request: ApiRequest, session_id: int) -> SessionOut:
    return _session_out(request, session_get_for_party(member=request.auth, pk=session_id))


# --- Arranging -----------------------------------------------------------------------------


class SlotIn(Schema):
    starts_at: AwareDatetime = Field(description=INSTANT)
    minutes: int = Field(
        gt=0,
        le=MAX_SESSION_MINUTES,
        multiple_of=STEP_MINUTES,
        description=f"Whole minutes in quarter-hours, at most {MAX_SESSION_MINUTES}.",
    )
    place: Annotated[str, text(PLACE_LENGTH)] = ""
    video_url: Annotated[
        str, text(LINK_LENGTH, description="An https:// link; a place, a link or both.")
    ] = ""

    def slot(self) -> Slot:
        return Slot(
            starts_at=self.starts_at,
            minutes=self.minutes,
            place=self.place,
            video_url=self.video_url,
        )


class ProposeTimesIn(Schema):
    times: list[SlotIn] = Field(
        min_length=1,
        max_length=services.MAX_PROPOSED_TIMES,
        description="One to three times; the other party chooses one.",
    )
    reason: Annotated[
        str, text(services.REASON_LENGTH, description="A note for the other party.")
    ] = ""


class ChooseIn(Schema):
    proposed_time_id: int = Field(description="One of the session's open proposed_times.")


class MoveIn(SlotIn):
    reason: Annotated[str, required_text(services.REASON_LENGTH)]


class CancelIn(Schema):
    reason: Annotated[str, required_text(services.REASON_LENGTH)]


def _write(request: ApiRequest, call: Callable[[], Session]) -> JsonResponse:
    def run() -> tuple[int, SessionOut]:
        return 200, _session_out(request, call())

    return idempotent(request, run, location=lambda body: session_url(body.id))


@router.post(
    "/exchanges/{int:exchange_id}/session/times",
    response={200: SessionOut, **PROBLEM_RESPONSES},
    summary="Propose times for an exchange's session",
    description="Either party of a proposed or accepted exchange offers one to three times; "
    "the other chooses one (POST /sessions/{id}/choose). Open times offered before are "
    "withdrawn. On a scheduled session this offers to move it: the scheduled time stands "
    "until a new one is chosen.",
    operation_id="session_propose_times",
    openapi_extra=_IDEMPOTENT,
)
def session_propose_times(
    request: ApiRequest, exchange_id: int, payload: ProposeTimesIn
) -> JsonResponse:
    exchange = exchange_get_for_party(member=request.auth, pk=exchange_id)
    return _write(
        request,
        lambda: services.session_propose_times(
            exchange=exchange,
            member=request.auth,
            slots=[time.slot() for time in payload.times],
            reason=payload.reason,
        ),
    )


@router.post(
    "/sessions/{int:session_id}/choose",
    response={200: SessionOut, **PROBLEM_RESPONSES},
    summary="Choose a proposed time",
    description="The party who did not propose it chooses an open time still to come: the "
    "session is scheduled then (or moved, when it already was).",
    operation_id="session_choose",
    openapi_extra=_IDEMPOTENT,
)
def session_choose(request: ApiRequest, session_id: int, payload: ChooseIn) -> JsonResponse:
    session = session_get_for_party(member=request.auth, pk=session_id)

    def call() -> Session:
        time = ProposedTime.objects.filter(session=session, pk=payload.proposed_time_id).first()
        if time is None:
            raise _field_problem(
                "proposed_time_id", _("This session has no proposed time with this id.")
            )
        return services.session_choose_time(proposed_time=time, member=request.auth)

    return _write(request, call)


@router.post(
    "/sessions/{int:session_id}/move",
    response={200: SessionOut, **PROBLEM_RESPONSES},
    summary="Move a scheduled session",
    description="Either party moves it at once, saying why; the other is told.",
    operation_id="session_move",
    openapi_extra=_IDEMPOTENT,
)
def session_move(request: ApiRequest, session_id: int, payload: MoveIn) -> JsonResponse:
    session = session_get_for_party(member=request.auth, pk=session_id)
    return _write(
        request,
        lambda: services.session_move(
            session=session, member=request.auth, slot=payload.slot(), reason=payload.reason
        ),
    )


@router.post(
    "/sessions/{int:session_id}/cancel",
    response={200: SessionOut, **PROBLEM_RESPONSES},
    summary="Cancel a session",
    description="Either party calls it off, saying why; the exchange itself stays open.",
    operation_id="session_cancel",
    openapi_extra=_IDEMPOTENT,
)
def session_cancel(request: ApiRequest, session_id: int, payload: CancelIn) -> JsonResponse:
    session = session_get_for_party(member=request.auth, pk=session_id)
    return _write(
        request,
        lambda: services.session_cancel(
            session=session, member=request.auth, reason=payload.reason
        ),
    )

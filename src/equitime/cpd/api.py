"""API: the caller's own CPD record, as the page and the downloads show it.

``GET /api/v1/me/cpd?start=YYYY-MM-DD&end=YYYY-MM-DD``: both days included,
on the caller's clock; without them, the last twelve months. A bad or
reversed period is a 422 problem naming the field. There is no way to ask
for another member's record.
"""

from datetime import date, datetime
from typing import Literal

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from equitime.api.auth import ApiRequest
from equitime.api.problems import PROBLEM_RESPONSES, problem_response
from equitime.core.zones import zone_of
from equitime.cpd.forms import period_from
from equitime.cpd.selectors import Activity, CpdRecord, Row, cpd_record

router = Router(tags=["CPD record"])


class ColleagueOut(Schema):
    name: str
    profession: str = Field(description="Empty when the colleague's profile is not shown.")
    organisation: str = Field(description="Empty when the colleague's profile is not shown.")


class ThanksReceivedOut(Schema):
    author: str
    message: str
    impact: str


class ReflectiveAccountOut(Schema):
    what_happened: str
    learned: str
    practice_change: str
    standards: str


class ActivityOut(Schema):
    kind: Literal["exchange", "group_session"]
    role: Literal["given", "received", "attended"]
    date: date
    minutes: int = Field(
        description="From the ledger for given and received; a group session's length for attended."
    )
    title: str
    skills: list[str]
    improvement_area: str
    id: int = Field(description="The exchange's or the group session's id.")
    colleague: ColleagueOut | None
    attendees: int | None = Field(description="For a group session the caller gave.")
    thanks_received: list[ThanksReceivedOut]
    reflection: ReflectiveAccountOut | None


class HoursRowOut(Schema):
    name: str
    given_minutes: int
    received_minutes: int
    attended_minutes: int


class CpdRecordOut(Schema):
    start: date
    end: date
    time_zone: str
    produced_at: datetime
    member_name: str
    profession: str
    organisation: str
    given_minutes: int
    received_minutes: int
    attended_minutes: int
    by_skill: list[HoursRowOut]
    by_improvement_area: list[HoursRowOut]
    activities: list[ActivityOut]


def _row(row: Row) -> HoursRowOut:
    return HoursRowOut(
        name=row.name,
        given_minutes=row.given,
        received_minutes=row.received,
        attended_minutes=row.attended,
    )


def _activity(a: Activity) -> ActivityOut:
    return ActivityOut(
        kind=a.kind,  # type: ignore[arg-type]
        role=a.role,  # type: ignore[arg-type]
        date=a.day,
        minutes=a.minutes,
        title=a.title,
        skills=list(a.skills),
        improvement_area=a.area,
        id=a.object_id,
        colleague=ColleagueOut(**vars(a.colleague)) if a.colleague else None,
        attendees=a.attendees,
        thanks_received=[ThanksReceivedOut(**vars(t)) for t in a.thanks],
        reflection=ReflectiveAccountOut(**vars(a.reflection)) if a.reflection else None,
    )


def record_out(record: CpdRecord) -> CpdRecordOut:
    period = record.period
    return CpdRecordOut(
        start=period.start,
        end=period.end,
        time_zone=str(period.zone.key),
        produced_at=record.produced_at,  # type: ignore[arg-type]
        member_name=record.member_name,
        profession=record.profession,
        organisation=record.organisation,
        given_minutes=record.given_minutes,
        received_minutes=record.received_minutes,
        attended_minutes=record.attended_minutes,
        by_skill=[_row(row) for row in record.by_skill],
        by_improvement_area=[_row(row) for row in record.by_area],
        activities=[_activity(a) for a in record.activities],
    )


@router.get(
    "/me/cpd",
    response={200: CpdRecordOut, **PROBLEM_RESPONSES},
    summary="My CPD record",
    description="What I gave and received in a period (start and end days included, on my "
    "clock; by default the last twelve months): completed exchanges and group sessions, "
    "the thanks I received and my own reflective accounts, with totals by skill and by "
    "improvement area. Only ever the caller's own record.",
    operation_id="cpd_record_get",
)
def cpd_record_get(
    request: ApiRequest, start: str | None = None, end: str | None = None
) -> CpdRecordOut | JsonResponse:
    form, period = period_from(
        {key: value for key, value in (("start", start), ("end", end)) if value},
        zone=zone_of(request.auth),
    )
    if period is None:
        return _invalid(request, form.errors.get_json_data())
    return record_out(cpd_record(member=request.auth, period=period))


def _invalid(request: HttpRequest, errors: dict[str, list[dict[str, str]]]) -> JsonResponse:
    return problem_response(
        request,
        status=422,
        detail=_("The period is not valid; see errors."),
        code="invalid_fields",
        errors=[
            {"field": field, "message": str(error["message"])}
            for field, field_errors in errors.items()
            for error in field_errors
        ],
    )

"""API: the caller's calendar feed (its secret address: read, made anew,
revoked) and reminder choices. Each member reaches only their own: there is
no other member's id to name."""

from datetime import datetime

from ninja import Field, Router, Schema, Status
from pydantic import StrictBool

from equitime.api.auth import ApiRequest
from equitime.api.problems import PROBLEM_RESPONSES
from equitime.scheduling import calendar_services as services
from equitime.scheduling.calendar_selectors import calendar_settings_of
from equitime.scheduling.calendar_views import feed_url
from equitime.scheduling.models import CalendarSettings

router = Router(tags=["Calendar"])


class FeedOut(Schema):
    url: str | None = Field(
        description="The secret address of your calendar feed (iCalendar), to subscribe to "
        "in Outlook, Google Calendar or Apple Calendar; null when you have none."
    )
    created_at: datetime | None


class RemindersOut(Schema):
    remind_day_before: bool = Field(description="An e-mail 24 hours before each session.")
    remind_hour_before: bool = Field(description="An e-mail 1 hour before each session.")


class RemindersIn(Schema):
    # Left out, a choice stays as it is. Strict: 0 or "yes" is no answer.
    remind_day_before: StrictBool | None = None
    remind_hour_before: StrictBool | None = None


def _feed(settings: CalendarSettings) -> FeedOut:
    token = settings.feed_token
    return FeedOut(url=feed_url(token) if token else None, created_at=settings.feed_created_at)


@router.get(
    "/feed",
    response={200: FeedOut, **PROBLEM_RESPONSES},
    summary="My calendar feed's address",
    operation_id="calendar_feed_get",
)
def calendar_feed_get(request: ApiRequest) -> FeedOut:
    return _feed(calendar_settings_of(request.auth))


@router.post(
    "/feed",
    response={201: FeedOut, **PROBLEM_RESPONSES},
    summary="Make my calendar feed, or give it a new address",
    description="Any address made before stops working at once.",
    operation_id="calendar_feed_create",
)
def calendar_feed_create(request: ApiRequest) -> Status:
    return Status(201, _feed(services.calendar_feed_create(member=request.auth)))


@router.delete(
    "/feed",
    response={200: FeedOut, **PROBLEM_RESPONSES},
    summary="Turn my calendar feed off",
    description="Its address stops working at once. Turning off no feed is no error.",
    operation_id="calendar_feed_revoke",
)
def calendar_feed_revoke(request: ApiRequest) -> FeedOut:
    return _feed(services.calendar_feed_revoke(member=request.auth))


@router.get(
    "/reminders",
    response={200: RemindersOut, **PROBLEM_RESPONSES},
    summary="My reminder choices",
    operation_id="calendar_reminders_get",
)
def calendar_reminders_get(request: ApiRequest) -> CalendarSettings:
    return calendar_settings_of(request.auth)


@router.patch(
    "/reminders",
    response={200: RemindersOut, **PROBLEM_RESPONSES},
    summary="Change my reminder choices",
    operation_id="calendar_reminders_update",
)
def calendar_reminders_update(request: ApiRequest, payload: RemindersIn) -> CalendarSettings:
    return services.calendar_reminders_set(
        member=request.auth,
        day_before=payload.remind_day_before,
        hour_before=payload.remind_hour_before,
    )

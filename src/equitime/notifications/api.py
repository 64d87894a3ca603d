"""API: the caller's notifications, and marking them read.

A member reaches only their own notifications (another's is 404), through
the helpers the notification pages use.
"""

from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from django.db.models import QuerySet
from ninja import Field, Query, Router, Schema
from ninja.decorators import decorate_view
from ninja.pagination import paginate

from equitime.api.auth import ApiRequest
from equitime.api.pagination import PageNumberPagination
from equitime.api.problems import PROBLEM_RESPONSES
from equitime.core.choices import choice_label
from equitime.core.pagecache import member_api_list

# The pages' helpers: the one access rule for a notification, and which links are safe.
from equitime.notifications.access import is_safe_local, notification_get_for_member
from equitime.notifications.models import Notification
from equitime.notifications.selectors import notifications_for_member, unread_count
from equitime.notifications.services import notifications_mark_read

router = Router(tags=["Notifications"])

# Built from the model, so a kind added there is never an answer the schema refuses
# (at run time: mypy reads it as the str it is).
if TYPE_CHECKING:
    NotificationKind = str
else:
    NotificationKind = Literal[tuple(Notification.Kind.values)]


class NotificationOut(Schema):
    id: int
    kind: NotificationKind
    kind_label: str
    message: str
    url: str = Field(description="A path on this site to what it is about, or empty.")
    exchange_id: int | None
    listing_id: int | None
    created_at: datetime
    read: bool
    read_at: datetime | None

    @staticmethod
    def resolve_kind_label(obj: Notification) -> str:
        return choice_label(obj, "kind")

    @staticmethod
    def resolve_url(obj: Notification, context: dict[str, Any]) -> str:
        # Only a path on this site is ever linked to, whatever a row holds.
        url = obj.url
        return url if url and is_safe_local(context["request"], url) else ""

    @staticmethod
    def resolve_read(obj: Notification) -> bool:
        return obj.read_at is not None


class NotificationFilters(Schema):
    # Left out, it is None; the OpenAPI document shows the plain type, not "or null".
    unread: bool = Field(None, description="true: only unread; false: only read ones.")  # type: ignore[assignment]  # None when left out
    ordering: Literal["-created_at", "created_at"] = Field(
        "-created_at", description="Newest first by default; 'created_at' for oldest first."
    )


class UnreadOut(Schema):
    unread: int


class MarkedOut(Schema):
    marked: int = Field(description="How many notifications were unread and are now read.")


@router.get(
    "",
    response={200: list[NotificationOut], **PROBLEM_RESPONSES},
    summary="My notifications",
    description="Newest first.",
    operation_id="notification_list",
)
@decorate_view(member_api_list)
@paginate(PageNumberPagination, page_size=20, max_page_size=100)
def notification_list(
    request: ApiRequest, filters: Query[NotificationFilters]
) -> QuerySet[Notification]:
    notifications = notifications_for_member(member=request.auth)
    if filters.unread is True:
        notifications = notifications.filter(read_at__isnull=True)
    elif filters.unread is False:
        notifications = notifications.filter(read_at__isnull=False)
    tie = "-id" if filters.ordering.startswith("-") else "id"
    return notifications.order_by(filters.ordering, tie)


@router.get(
    "/unread-count",
    response={200: UnreadOut, **PROBLEM_RESPONSES},
    summary="How many notifications are unread",
    operation_id="notification_unread_count",
)
def notification_unread_count(request: ApiRequest) -> UnreadOut:
    return UnreadOut(unread=unread_count(member=request.auth))


@router.post(
    "/read-all",
    response={200: MarkedOut, **PROBLEM_RESPONSES},
    summary="Mark all my notifications read",
    operation_id="notifications_read_all",
)
def notifications_read_all(request: ApiRequest) -> MarkedOut:
    return MarkedOut(marked=notifications_mark_read(member=request.auth))


@router.post(
    "/{int:notification_id}/read",
    response={200: NotificationOut, **PROBLEM_RESPONSES},
    summary="Mark one notification read",
    operation_id="notification_read",
)
def notification_read(request: ApiRequest, notification_id: int) -> Notification:
    notification = notification_get_for_member(member=request.auth, pk=notification_id)
    notifications_mark_read(member=request.auth, ids=[notification.pk])
    notification.refresh_from_db(fields=["read_at"])
    return notification

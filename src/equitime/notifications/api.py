"""API: the caller's notifications, marking them read, and their preferences.

A member reaches only their own notifications (another's is 404), through
the helpers the notification pages use.
"""

from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.decorators import decorate_view
from ninja.pagination import paginate
from pydantic import StrictBool, StrictInt

from equitime.api.auth import ApiRequest
from equitime.api.pagination import PageNumberPagination
from equitime.api.problems import PROBLEM_RESPONSES
from equitime.api.schemas import storable_ids
from equitime.core.choices import choice_label
from equitime.core.errors import DomainError, ErrorKind
from equitime.core.pagecache import member_api_list

# The pages' helpers: the one access rule for a notification, and which links are safe.
from equitime.notifications.access import is_safe_local, notification_get_for_member
from equitime.notifications.models import Notification, NotificationPreferences
from equitime.notifications.preferences import email_choices_all, preferences_of
from equitime.notifications.selectors import notifications_for_member, unread_count
from equitime.notifications.services import notification_preferences_set, notifications_mark_read
from equitime.skills.models import ImprovementArea, Skill

router = Router(tags=["Notifications"])

# Built from the model, so a kind added there is never an answer the schema refuses
# (at run time: mypy reads it as the str it is).
if TYPE_CHECKING:
    from django.contrib.auth.models import _User as Member

    NotificationKind = str
else:
    NotificationKind = Literal[tuple(Notification.Kind.values)]


class NotificationOut(Schema):
    id: int
    kind: NotificationKind
    kind_label: str
    message: str = Field(
        description="What happened, in the caller's language (their profile's, else the "
        "request's) and on their clock."
    )
    variant: str = Field(
        description="Which of the kind's sentences it is ('' when the kind has one; "
        "'legacy': a message from before, shown as written)."
    )
    params: dict[str, Any] = Field(
        description="What the sentence is made from: names and titles as they were, ids, "
        "instants (ISO 8601, UTC) and minutes."
    )
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
    def resolve_message(obj: Notification) -> str:
        # In the caller's language, active already (api.auth, members.middleware).
        return obj.message

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


# --- Preferences ---------------------------------------------------------------------------


class PreferencesOut(Schema):
    emails: dict[str, bool] = Field(
        description="Every kind of notification, and whether it is e-mailed to me. "
        "In-app notifications always appear."
    )
    digest: bool = Field(description="Whether the weekly digest is e-mailed to me.")
    followed_skills: list[int] = Field(
        description="Skill ids followed besides my profile's skills (for the digest)."
    )
    followed_areas: list[int] = Field(description="Improvement area ids followed.")


class PreferencesIn(Schema):
    # Left out, a choice stays as it is. Strict: 0 or "yes" is no answer.
    emails: dict[NotificationKind, StrictBool] | None = None
    digest: StrictBool | None = None
    followed_skills: list[StrictInt] | None = None
    followed_areas: list[StrictInt] | None = None


def _preferences_out(member: "Member") -> PreferencesOut:
    preferences = preferences_of(member)
    saved = (
        preferences.pk is not None
        and NotificationPreferences.objects.filter(pk=preferences.pk).exists()
    )
    return PreferencesOut(
        emails=email_choices_all(preferences),
        digest=preferences.digest,
        followed_skills=(
            sorted(preferences.followed_skills.values_list("pk", flat=True)) if saved else []
        ),
        followed_areas=(
            sorted(preferences.followed_areas.values_list("pk", flat=True)) if saved else []
        ),
    )


def _known(model: type[Model], ids: list[int] | None, field: str) -> list[Any] | None:
    if ids is None:
        return None
    # An id too big for the database names nothing (and would not fit in the query).
    found = list(model._default_manager.filter(pk__in=storable_ids(ids)))
    if len(found) != len(set(ids)):
        raise DomainError(
            _("Some of these ids name nothing: %(field)s.") % {"field": field},
            field=field,
            code="unknown_id",
            kind=ErrorKind.INVALID,
        )
    return found


@router.get(
    "/preferences",
    response={200: PreferencesOut, **PROBLEM_RESPONSES},
    summary="My notification preferences",
    operation_id="notification_preferences_get",
)
def notification_preferences_get(request: ApiRequest) -> PreferencesOut:
    return _preferences_out(request.auth)


@router.put(
    "/preferences",
    response={200: PreferencesOut, **PROBLEM_RESPONSES},
    summary="Change my notification preferences",
    description="Only the choices sent change; kinds left out of emails keep theirs.",
    operation_id="notification_preferences_update",
)
def notification_preferences_update(request: ApiRequest, payload: PreferencesIn) -> PreferencesOut:
    notification_preferences_set(
        member=request.auth,
        emails=payload.emails,
        digest=payload.digest,
        followed_skills=_known(Skill, payload.followed_skills, "followed_skills"),
        followed_areas=_known(ImprovementArea, payload.followed_areas, "followed_areas"),
    )
    return _preferences_out(request.auth)

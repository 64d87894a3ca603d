"""What every session looks like in the API, one-to-one or group: the part the
sessions API (``api``) and the group sessions API (``group_api``) share."""

from typing import TYPE_CHECKING, Literal

from ninja import Field, Schema

from equitime.api.schemas import MemberRef, member_ref
from equitime.core.choices import choice_label
from equitime.scheduling.models import Session

if TYPE_CHECKING:
    SessionStatus = str
else:
    SessionStatus = Literal[tuple(Session.Status.values)]

# Times in answers carry the caller's own offset (``api.base``).
INSTANT_OUT = "ISO 8601, with the offset of the caller's own time zone."


class SessionCoreOut(Schema):
    id: int
    uid: str = Field(description="The calendar (iCalendar) UID: it never changes.")
    status: SessionStatus
    status_label: str
    title: str
    organiser: MemberRef
    place: str
    video_url: str
    sequence: int = Field(description="The calendar SEQUENCE: raised on every change.")

    @staticmethod
    def resolve_uid(obj: Session) -> str:
        return str(obj.uid)

    @staticmethod
    def resolve_status_label(obj: Session) -> str:
        return choice_label(obj, "status")

    @staticmethod
    def resolve_organiser(obj: Session) -> MemberRef | None:
        return member_ref(obj.organiser)

"""A slot: when and where a session happens, checked the same way everywhere.

A proposed time, a move, a group session's time: each is a ``Slot`` (an instant
in UTC, a duration in quarter-hours, a place or a video link), and every
service checks it with ``slot_check`` before it writes, so a page, the API and
the demo refuse the same things with the same words.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from equitime.core.errors import DomainError, ErrorKind
from equitime.core.rules import check_no_money
from equitime.core.units import MINUTES_PER_CREDIT, MinutesFault, hours_text, minutes_fault

# A session is at most a working day; longer help is several sessions.
MAX_SESSION_MINUTES = 8 * MINUTES_PER_CREDIT
# How far ahead a time may be proposed: rotas are not known further.
MAX_DAYS_AHEAD = 366


@dataclass(frozen=True)
class Slot:
    starts_at: datetime  # aware
    minutes: int
    place: str = ""
    video_url: str = ""

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.minutes)


def slot_check(slot: Slot, *, now: datetime | None = None) -> Slot:
    """The slot, cleaned (place and link stripped), or a ``DomainError`` naming
    the field at fault. A link that asks for money ("paypal.me") is refused."""
    now = now or timezone.now()
    if timezone.is_naive(slot.starts_at):
        raise DomainError(
            _("A time needs its time zone."), kind=ErrorKind.INVALID, field="starts_at"
        )
    if slot.starts_at <= now:
        raise DomainError(
            _("Choose a time in the future."), kind=ErrorKind.INVALID, field="starts_at"
        )
    if slot.starts_at > now + timedelta(days=MAX_DAYS_AHEAD):
        raise DomainError(
            _("Choose a time within the next year."), kind=ErrorKind.INVALID, field="starts_at"
        )
    fault = minutes_fault(slot.minutes, maximum=MAX_SESSION_MINUTES)
    if fault is MinutesFault.TOO_MANY:
        raise DomainError(
            _("A session lasts at most %(most)s; split longer help into several sessions.")
            % {"most": hours_text(MAX_SESSION_MINUTES)},
            kind=ErrorKind.INVALID,
            field="minutes",
        )
    if fault is not None:
        raise DomainError(
            _("Give the length in quarter-hours, for example 30, 45 or 60 minutes."),
            kind=ErrorKind.INVALID,
            field="minutes",
        )
    place = " ".join(slot.place.split())
    video_url = slot.video_url.strip()
    if not place and not video_url:
        raise DomainError(
            _("Say where: a place, or a video link."), kind=ErrorKind.INVALID, field="place"
        )
    if video_url and not video_url.lower().startswith("https://"):
        raise DomainError(
            _("A video link starts with https://, as Teams, Zoom and Meet links do."),
            kind=ErrorKind.INVALID,
            field="video_url",
        )
    # A payment link is money talk (rule 2). The patient-data check is not run
    # on a link: a ten-digit Zoom meeting number reads as an NHS number.
    check_no_money(video_url=video_url)
    return Slot(starts_at=slot.starts_at, minutes=slot.minutes, place=place, video_url=video_url)

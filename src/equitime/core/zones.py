"""Time zones: turning a wall-clock time someone typed into an instant, and an
instant into the wall-clock time of whoever reads it.

Instants are stored in UTC. A member reads them in their own zone (their
profile's ``time_zone``; the community's ``TIME_ZONE`` when they have none or
nobody is signed in): ``zone_of`` finds it, by duck typing so that core names
no app. A time typed in a form is a wall-clock time in the typist's zone;
``local_to_utc`` makes it an instant and refuses the hour that does not exist
when the clocks go forward. The hour that happens twice when they go back is
read as its first occurrence (``fold=0``), as calendars do, and
``is_ambiguous`` lets a form say so.

``zone_label`` names a zone for people who may be confused (two countries,
one session): "Toronto (EST, UTC-5)" (with a real minus sign), "Kolkata (IST, UTC+5:30)".
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _


class NonexistentTime(ValueError):
    """A wall-clock time skipped when the clocks go forward."""


def zone_named(name: str | None) -> ZoneInfo:
    """The zone called ``name``, or the community's when it is empty or unknown."""
    if name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return ZoneInfo(settings.TIME_ZONE)


def zone_of(member: object | None) -> ZoneInfo:
    """The zone ``member`` reads times in: their profile's, else the community's."""
    profile = getattr(member, "profile", None) if member is not None else None
    return zone_named(getattr(profile, "time_zone", None))


def _round_trips(wall: datetime, zone: ZoneInfo, fold: int) -> bool:
    aware = wall.replace(tzinfo=zone, fold=fold)
    back = aware.astimezone(UTC).astimezone(zone)
    return back.replace(tzinfo=None) == wall


def is_ambiguous(wall: datetime, zone: ZoneInfo) -> bool:
    """Whether ``wall`` (naive) happens twice in ``zone`` (the clocks went back)."""
    first = wall.replace(tzinfo=zone, fold=0).utcoffset()
    second = wall.replace(tzinfo=zone, fold=1).utcoffset()
    return first != second and _round_trips(wall, zone, 0) and _round_trips(wall, zone, 1)


def local_to_utc(wall: datetime, zone: ZoneInfo) -> datetime:
    """The instant (aware, UTC) of the naive wall-clock time ``wall`` in ``zone``.

    Raises ``NonexistentTime`` for a time the clocks skip; an ambiguous time is
    its first occurrence."""
    if wall.tzinfo is not None:
        return wall.astimezone(UTC)
    if not _round_trips(wall, zone, 0):
        raise NonexistentTime(
            _(
                "%(time)s does not exist in %(zone)s that day: the clocks go forward. "
                "Choose a time an hour later or earlier."
            )
            % {"time": time_format(wall, "H:i"), "zone": zone_city(zone)}
        )
    return wall.replace(tzinfo=zone, fold=0).astimezone(UTC)


def zone_city(zone: ZoneInfo) -> str:
    """ "Europe/London" -> "London", "America/Argentina/Buenos_Aires" -> "Buenos Aires"."""
    return str(zone.key).rsplit("/", 1)[-1].replace("_", " ")


def utc_offset_text(offset: timedelta) -> str:
    """UTC+5:30, UTC-5, UTC (with a real minus sign, U+2212, as printed timetables have)."""
    if not offset:
        return "UTC"
    sign = "+" if offset > timedelta(0) else "\u2212"
    hours, rest = divmod(abs(offset), timedelta(hours=1))
    minutes = rest // timedelta(minutes=1)
    return f"UTC{sign}{hours}" + (f":{minutes:02d}" if minutes else "")


def zone_offset_label(zone: ZoneInfo, at: datetime | None = None) -> str:
    """The zone's abbreviation and offset at ``at`` (now if not given):
    "EST, UTC-5". Where the abbreviation is only a number ("+0530" style, as
    some zones have), only the offset: "UTC+4"."""
    moment = (at or timezone.now()).astimezone(zone)
    offset = moment.utcoffset() or timedelta(0)
    abbreviation = moment.tzname() or ""
    offset_text = utc_offset_text(offset)
    if not abbreviation or abbreviation[0] in "+-" or abbreviation == "UTC":
        return offset_text
    return f"{abbreviation}, {offset_text}"


def zone_label(zone: ZoneInfo, at: datetime | None = None) -> str:
    """The zone's city, its abbreviation and offset at ``at`` (now if not given):
    "Toronto (EST, UTC-5)"."""
    return f"{zone_city(zone)} ({zone_offset_label(zone, at)})"

"""Times as each reader reads them: their own clock first, and the other
party's when it differs ("09:00 in Toronto (EST, UTC-5), Rob Chen's time").

Strings are made here, in Python, from the reader's zone (``zones.zone_of``)
rather than by the template's ``date`` filter, which converts an aware time
back into the active zone before formatting it.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import formats

from equitime.core import zones
from equitime.members.models import Member


@dataclass(frozen=True)
class Clock:
    """One instant (and its end) on one member's clock."""

    iso: str  # the instant, ISO 8601 with its offset, for <time datetime>
    day: str  # "Tuesday 10 March 2026"
    short_day: str  # "Tue 10 Mar"
    start: str  # "14:00"
    end: str  # "15:00" ("" without a length)
    zone: str  # "London (GMT, UTC)"
    city: str  # "London"

    @property
    def span(self) -> str:
        return f"{self.start}\u2013{self.end}" if self.end else self.start


def clock_of(member: Member | None, starts_at: datetime, minutes: int | None = None) -> Clock:
    zone = zones.zone_of(member)
    local = starts_at.astimezone(zone)
    end = (local + timedelta(minutes=minutes)).astimezone(zone) if minutes else None
    return Clock(
        iso=local.isoformat(),
        day=formats.date_format(local, "l j F Y"),
        short_day=formats.date_format(local, "D j M"),
        start=formats.time_format(local, "H:i"),
        end=formats.time_format(end, "H:i") if end else "",
        zone=zones.zone_label(zone, starts_at),
        city=zones.zone_city(zone),
    )


def other_clock(
    reader: Member, other: Member, starts_at: datetime, minutes: int | None = None
) -> Clock | None:
    """``other``'s clock, when they live in another zone than ``reader``."""
    if zones.zone_of(reader).key == zones.zone_of(other).key:
        return None
    return clock_of(other, starts_at, minutes)

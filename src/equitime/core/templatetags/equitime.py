from datetime import datetime
from typing import NamedTuple
from zoneinfo import ZoneInfo

from django import template
from django.utils import timezone

from equitime.core import durations, zones
from equitime.core.choices import choice_label
from equitime.core.names import name_initials
from equitime.core.units import MINUTES_PER_CREDIT, credits_figure, credits_text, hours_text

register = template.Library()


@register.filter
def credits(minutes: int | None) -> str:
    """Show integer minutes as credits: ``{{ 90|credits }}`` -> ``1.5`` (``1,5``
    in Arabic: the reader's number format, ``core.units.credits_figure``)."""
    return credits_figure(minutes or 0)


@register.filter
def credits_label(minutes: int | None) -> str:
    """``{{ 120|credits_label }}`` -> ``2 credits``; ``60`` -> ``1 credit``."""
    return credits_text(minutes or 0)


@register.filter
def hours_label(minutes: int | None) -> str:
    """``{{ 90|hours_label }}`` -> ``1.5 hours``; ``60`` -> ``1 hour``."""
    return hours_text(minutes or 0)


@register.simple_tag
def minutes_per_credit() -> int:
    """``{% minutes_per_credit as per_credit %}``: the unit, for a page's words."""
    return MINUTES_PER_CREDIT


@register.filter
def label(obj, field_name: str) -> str:
    """``{{ listing|label:"kind" }}``: ``get_kind_display``, looked up (core.choices)."""
    return choice_label(obj, field_name)


# Time since and until, and periods of days, as people say them (core.durations).
# Anything else (a missing value) says nothing rather than break the page.


@register.filter
def ago(when: object) -> str:
    """``{{ flag.created_at|ago }}`` -> ``just now``, ``1 minute ago``, ``3 days ago``."""
    return durations.time_ago(when) if isinstance(when, datetime) else ""


@register.filter
def since(when: object) -> str:
    """``{{ exchange.disputed_at|since }}`` -> ``just now``, ``1 minute``, ``3 days``:
    how long something has waited."""
    return durations.time_since(when) if isinstance(when, datetime) else ""


@register.filter
def until(when: object) -> str:
    """``{{ listing.expires_at|until }}`` -> ``in a moment``, ``in 3 days``."""
    return durations.time_until(when) if isinstance(when, datetime) else ""


@register.filter
def days_period(days: object) -> str:
    """``{{ period.days|days_period }}`` -> ``2 years``, ``1 year and 6 months``, ``30 days``."""
    return durations.days_period(days) if isinstance(days, int) and days > 0 else ""


@register.filter
def initials(display_name: str | None) -> str:
    """``{{ "Dr Wei Zhang"|initials }}`` -> ``WZ``: an avatar's letters, titles left out."""
    return name_initials(display_name or "")


class _OnAnotherClock(datetime):
    """An instant already on a chosen member's clock. Django turns every aware
    datetime a template formats into the reader's zone first, unless it says
    ``convert_to_local_time = False`` (what ``{% localtime off %}`` relies on)."""

    convert_to_local_time = False


@register.filter(expects_localtime=False)
def in_zone_of(when: object, member: object) -> datetime | None:
    """``{{ session.starts_at|in_zone_of:other|date:"H:i" }}``: the instant on
    ``member``'s clock ("14:00" in London is "09:00" in Toronto), kept there by
    ``|date``. The reader's own zone needs no filter: the middleware activates it."""
    if not isinstance(when, datetime):
        return None
    local = when.astimezone(zones.zone_of(member))
    return _OnAnotherClock(
        local.year,
        local.month,
        local.day,
        local.hour,
        local.minute,
        local.second,
        local.microsecond,
        tzinfo=local.tzinfo,
        fold=local.fold,
    )


@register.filter
def zone_label_of(member: object, when: object = None) -> str:
    """``{{ other|zone_label_of:session.starts_at }}`` -> "Toronto (EST, UTC-5)":
    the member's zone named as it is at that moment."""
    at = when if isinstance(when, datetime) else None
    return zones.zone_label(zones.zone_of(member), at)


class ReadingZone(NamedTuple):
    city: str  # "Kolkata"
    offset: str  # "IST, UTC+5:30"


@register.simple_tag
def reading_zone() -> ReadingZone:
    """``{% reading_zone as zone %}``: the zone this page's times are written
    in (the reader's, activated by the middleware), named for people who may
    be confused: ``zone.city`` "Kolkata", ``zone.offset`` "IST, UTC+5:30"."""
    zone = timezone.get_current_timezone()
    if not isinstance(zone, ZoneInfo):  # a fixed offset set by hand: by its name
        return ReadingZone(str(zone), "")
    return ReadingZone(zones.zone_city(zone), zones.zone_offset_label(zone))


@register.filter
def zone_label(name: str | None) -> str:
    """``{{ "Europe/London"|zone_label }}`` -> ``London (GMT, UTC)``: a zone as people read it."""
    return zones.zone_label(zones.zone_named(name))

"""Lengths of time as people say them, for every page and e-mail.

Two kinds, each with its template filter (``core.templatetags.equitime``):

- Time since (or until) a moment, said in its largest unit: "just now",
  "5 minutes ago", "3 days ago"; "waiting 2 hours"; "in 4 days". Under a
  minute is "just now", never "0 minutes".

      {{ flag.created_at|ago }}          just now · 1 minute ago · 3 days ago
      {{ exchange.disputed_at|since }}   just now · 1 minute · 3 days
      {{ listing.expires_at|until }}     in a moment · in 1 minute · in 3 days

- A period of days, such as how long data is kept (``core.retention``), said
  in years and months once it is two months or more: "2 years", "1 year and
  6 months", "3 months". Shorter ones stay in days ("30 days"), and so do
  ones that whole months would round by more than a few days ("100 days");
  beyond a year, such a period says both: "about 2 years and 9 months
  (1000 days)".

      {{ period.days|days_period }}      2 years · 1 year and 6 months · 30 days

Every unit goes through ngettext, so each language gets its plural forms.
"""

from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

DAYS_PER_YEAR = 365
MONTHS_PER_YEAR = 12
DAYS_PER_WEEK = 7
# A period this long or longer is said in years and months.
MONTHS_FROM_DAYS = 2 * DAYS_PER_YEAR // MONTHS_PER_YEAR  # 60
# Years and months may round a period by this many days and still be said plainly.
ROUNDING_DAYS = 3


def _minutes(n: int) -> str:
    return ngettext("%(n)d minute", "%(n)d minutes", n) % {"n": n}


def _hours(n: int) -> str:
    return ngettext("%(n)d hour", "%(n)d hours", n) % {"n": n}


def _days(n: int) -> str:
    return ngettext("%(n)d day", "%(n)d days", n) % {"n": n}


def _weeks(n: int) -> str:
    return ngettext("%(n)d week", "%(n)d weeks", n) % {"n": n}


def _months(n: int) -> str:
    return ngettext("%(n)d month", "%(n)d months", n) % {"n": n}


def _years(n: int) -> str:
    return ngettext("%(n)d year", "%(n)d years", n) % {"n": n}


def _elapsed(delta: timedelta) -> str | None:
    """``delta`` in its largest whole unit; None under a minute."""
    if delta < timedelta(minutes=1):
        return None
    if delta < timedelta(hours=1):
        return _minutes(delta // timedelta(minutes=1))
    if delta < timedelta(days=1):
        return _hours(delta // timedelta(hours=1))
    days = delta.days
    if days < 2 * DAYS_PER_WEEK:
        return _days(days)
    if days < MONTHS_FROM_DAYS:
        return _weeks(days // DAYS_PER_WEEK)
    months = round(days * MONTHS_PER_YEAR / DAYS_PER_YEAR)
    if months < MONTHS_PER_YEAR:
        return _months(months)
    return _years(max(1, days // DAYS_PER_YEAR))


def _now(now: datetime | None) -> datetime:
    return now if now is not None else timezone.now()


def time_ago(when: datetime, *, now: datetime | None = None) -> str:
    """ "just now", "1 minute ago", "3 days ago". A moment a little in the
    future (a clock out by a second) is "just now" too."""
    elapsed = _elapsed(_now(now) - when)
    if elapsed is None:
        return _("just now")
    return _("%(time)s ago") % {"time": elapsed}


def time_since(when: datetime, *, now: datetime | None = None) -> str:
    """How long something has waited since ``when``: "just now", "1 minute",
    "3 days"."""
    elapsed = _elapsed(_now(now) - when)
    return _("just now") if elapsed is None else elapsed


def time_until(when: datetime, *, now: datetime | None = None) -> str:
    """ "in a moment", "in 1 minute", "in 3 days"; a moment passed is "just now"."""
    delta = when - _now(now)
    if delta < timedelta(0):
        return time_ago(when, now=now)
    remaining = _elapsed(delta)
    if remaining is None:
        return _("in a moment")
    return _("in %(time)s") % {"time": remaining}


def days_period(days: int) -> str:
    """A period of whole days in words: 730 -> "2 years", 548 -> "1 year and
    6 months", 90 -> "3 months", 30 -> "30 days", 100 -> "100 days", 1000 ->
    "about 2 years and 9 months (1000 days)"."""
    if days < MONTHS_FROM_DAYS:
        return _days(days)
    total_months = round(days * MONTHS_PER_YEAR / DAYS_PER_YEAR)
    years, months = divmod(total_months, MONTHS_PER_YEAR)
    if years and months:
        said = _("%(years)s and %(months)s") % {"years": _years(years), "months": _months(months)}
    elif years:
        said = _years(years)
    else:
        said = _months(months)
    if abs(total_months * DAYS_PER_YEAR / MONTHS_PER_YEAR - days) <= ROUNDING_DAYS:
        return said
    # Not near a whole month: within a year the days say it best; beyond, both.
    if days < DAYS_PER_YEAR:
        return _days(days)
    return _("about %(period)s (%(days)s)") % {"period": said, "days": _days(days)}

"""The period of a CPD record: two dates, both included, on the member's clock.

Appraisal years rarely start on the first of a month, so the record takes
days, not months. Without dates it covers the last twelve months up to today.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from equitime.core.zones import local_to_utc

# The default period: a year back from today, today included.
DEFAULT_DAYS = 365
# The oldest day a record can start (the community did not exist before).
EARLIEST = date(2000, 1, 1)


@dataclass(frozen=True)
class Period:
    """Days ``start``..``end`` (both included) on the clock of ``zone``."""

    start: date
    end: date
    zone: ZoneInfo

    @property
    def since(self) -> datetime:
        """The first instant of the period (aware, UTC)."""
        return local_to_utc(datetime.combine(self.start, time.min), self.zone)

    @property
    def until(self) -> datetime:
        """The first instant after the period (aware, UTC; exclusive)."""
        return local_to_utc(datetime.combine(self.end + timedelta(days=1), time.min), self.zone)

    def query(self) -> str:
        return f"start={self.start.isoformat()}&end={self.end.isoformat()}"


def today_in(zone: ZoneInfo) -> date:
    return timezone.now().astimezone(zone).date()


def default_period(zone: ZoneInfo) -> Period:
    end = today_in(zone)
    return Period(start=end - timedelta(days=DEFAULT_DAYS - 1), end=end, zone=zone)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class PeriodForm(forms.Form):
    """``start`` and ``end`` (YYYY-MM-DD); either may be left out."""

    start = forms.DateField(
        label=_("From"),
        required=False,
        widget=DateInput(),
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": _("Enter a date such as 2026-04-01.")},
    )
    end = forms.DateField(
        label=_("To"),
        required=False,
        widget=DateInput(),
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": _("Enter a date such as 2027-03-31.")},
    )

    def __init__(self, *args, zone: ZoneInfo, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.zone = zone

    def clean(self) -> dict:
        data = super().clean() or self.cleaned_data
        if "start" in self.errors or "end" in self.errors:
            return data
        today = today_in(self.zone)
        end = data.get("end") or today
        start = data.get("start") or end - timedelta(days=DEFAULT_DAYS - 1)
        if start > end:
            self.add_error("start", _("The period must start on or before the day it ends."))
        elif start < EARLIEST:
            self.add_error("start", _("Choose a day from 2000 onwards."))
        elif end > today:
            self.add_error("end", _("The period cannot end after today."))
        data["start"], data["end"] = start, end
        return data

    def period(self) -> Period:
        """The period asked for; call after ``is_valid()``."""
        return Period(
            start=self.cleaned_data["start"], end=self.cleaned_data["end"], zone=self.zone
        )


def period_from(data, *, zone: ZoneInfo) -> tuple[PeriodForm, Period | None]:
    """The bound form and its period (None when the form has errors)."""
    form = PeriodForm(data, zone=zone)
    return form, form.period() if form.is_valid() else None

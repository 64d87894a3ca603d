"""The dashboard's filters: a period of whole months and, optionally, one
organisation. Every impact page, CSV and API endpoint reads them the same way.

Periods are whole calendar months (UTC), from the first month to the last,
both included: the figures are kept per month (the aggregates the daily job
precomputes), and a director reads months, quarters and years.
"""

from dataclasses import dataclass
from datetime import date
from typing import cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from equitime.impact.access import ImpactAccess
from equitime.members.models import Organisation

# The default period: the last twelve months, this one included.
DEFAULT_MONTHS = 12
# The oldest month a filter accepts (the community did not exist before).
EARLIEST = date(2000, 1, 1)


def month_add(month: date, months: int) -> date:
    """The first day of the month ``months`` after ``month`` (negative: before)."""
    index = month.year * 12 + month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def this_month() -> date:
    return timezone.now().date().replace(day=1)


@dataclass(frozen=True)
class Scope:
    """What a page shows: months ``first``..``last`` (first days, both included),
    and the whole community (``organisation_id`` None) or one organisation."""

    first: date
    last: date
    organisation_id: int | None = None

    @property
    def end(self) -> date:
        """The first day after the period (exclusive bound)."""
        return month_add(self.last, 1)

    def months(self) -> list[date]:
        months, month = [], self.first
        while month <= self.last:
            months.append(month)
            month = month_add(month, 1)
        return months


class MonthField(forms.DateField):
    """A month typed as YYYY-MM (``<input type="month">``), read as its first day."""

    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
    input_formats = ["%Y-%m"]
    default_error_messages = {"invalid": _("Enter a month as year and month, such as 2026-04.")}


class ImpactFilterForm(forms.Form):
    first = MonthField(label=_("From"), required=False)
    last = MonthField(label=_("To"), required=False)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("The whole community"),
    )

    def __init__(self, *args, access: ImpactAccess, **kwargs):
        super().__init__(*args, **kwargs)
        self.access = access
        field = cast(forms.ModelChoiceField, self.fields["organisation"])
        if access.community:
            field.queryset = Organisation.objects.order_by("name")
        else:
            # A lead chooses among the organisations they lead; no "whole community".
            field.queryset = Organisation.objects.filter(pk__in=access.organisations).order_by(
                "name"
            )
            field.required = True
            field.empty_label = None

    def clean(self):
        super().clean()
        data = self.cleaned_data
        current = this_month()
        last = data.get("last") or current
        first = data.get("first") or month_add(last, 1 - DEFAULT_MONTHS)
        if "first" in self.errors or "last" in self.errors:
            return data
        if last > current:
            self.add_error("last", _("The period cannot end after this month."))
        elif first > last:
            self.add_error("first", _("The period must start before it ends."))
        elif first < EARLIEST:
            self.add_error("first", _("Choose a month from 2000 onwards."))
        data["first"], data["last"] = first, last
        return data

    def scope(self) -> Scope:
        """The scope asked for; call after ``is_valid()`` returned True. A lead
        who chose nothing sees the first organisation they lead."""
        organisation = self.cleaned_data.get("organisation")
        if organisation is None and not self.access.community:
            field = cast(forms.ModelChoiceField, self.fields["organisation"])
            organisation = field.queryset.first() if field.queryset is not None else None
        return Scope(
            first=self.cleaned_data["first"],
            last=self.cleaned_data["last"],
            organisation_id=organisation.pk if organisation else None,
        )

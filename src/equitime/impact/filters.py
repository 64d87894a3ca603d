"""The dashboard's filters: a period of whole months and, optionally, one
organisation. Every impact page, CSV and API endpoint reads them the same way.

Periods are whole calendar months (UTC), from the first month to the last,
both included: the figures are kept per month (the aggregates the daily job
precomputes), and a director reads months, quarters and years.
"""

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from equitime.core.errors import DomainError, ErrorKind
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


def period_resolve(first: date | None, last: date | None) -> tuple[date, date]:
    """The period asked for, with its defaults (the last ``DEFAULT_MONTHS``
    months), or a refusal naming its field. The page's form and the API both
    ask it, so the rules are said once."""
    current = this_month()
    last = last or current
    first = first or month_add(last, 1 - DEFAULT_MONTHS)
    if last > current:
        raise DomainError(
            gettext("The period cannot end after this month."), kind=ErrorKind.INVALID, field="last"
        )
    if first > last:
        raise DomainError(
            gettext("The period must start before it ends."), kind=ErrorKind.INVALID, field="first"
        )
    if first < EARLIEST:
        raise DomainError(
            gettext("Choose a month from 2000 onwards."), kind=ErrorKind.INVALID, field="first"
        )
    return first, last


def month_parse(text: str, *, field: str) -> date | None:
    """A month typed as YYYY-MM (the API's form of it), or None when empty."""
    text = (text or "").strip()
    if not text:
        return None
    found = re.fullmatch(r"(\d{4})-(\d{2})", text)
    try:
        if found is None:
            raise ValueError(text)
        return date(int(found[1]), int(found[2]), 1)
    except ValueError:
        raise DomainError(
            gettext("Enter a month as year and month, such as 2026-04."),
            kind=ErrorKind.INVALID,
            field=field,
        ) from None


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
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        if access.community:
            field.queryset = Organisation.objects.order_by("name")
        else:
            # A lead chooses among the organisations they lead; no "whole community"
            # (none chosen, as on a first visit or from the API: the first they lead).
            field.queryset = Organisation.objects.filter(pk__in=access.organisations).order_by(
                "name"
            )
            field.empty_label = None

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data is None:  # a clean() may change cleaned_data in place and return None
            data = self.cleaned_data
        if "first" in self.errors or "last" in self.errors:
            return data
        try:
            data["first"], data["last"] = period_resolve(data.get("first"), data.get("last"))
        except DomainError as error:
            self.add_error(error.field, error.message)
        return data

    def scope(self) -> Scope:
        """The scope asked for; call after ``is_valid()`` returned True. A lead
        who chose nothing sees the first organisation they lead."""
        organisation = self.cleaned_data.get("organisation")
        if organisation is None and not self.access.community:
            organisation = (
                Organisation.objects.filter(pk__in=self.access.organisations)
                .order_by("name")
                .first()
            )
        return Scope(
            first=self.cleaned_data["first"],
            last=self.cleaned_data["last"],
            organisation_id=organisation.pk if organisation else None,
        )

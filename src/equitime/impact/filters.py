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

from equitime.api.schemas import storable_ids
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


def organisation_first_led(access: ImpactAccess) -> int | None:
    """The organisation a lead who chose none sees: the first they lead, by name."""
    return (
        Organisation.objects.filter(pk__in=access.organisations)
        .order_by("name", "pk")
        .values_list("pk", flat=True)
        .first()
    )


def scope_resolve(
    access: ImpactAccess,
    *,
    first: str | None = None,
    last: str | None = None,
    organisation: int | None = None,
) -> Scope:
    """The API's filters (months as YYYY-MM, an organisation's id) read by the
    page's rules: the period by ``period_resolve``, the organisation among those
    the reader may see (a lead who names none: the first they lead). A refusal
    names its field (a 422 problem)."""
    first_month, last_month = period_resolve(
        month_parse(first or "", field="first"), month_parse(last or "", field="last")
    )
    if organisation is None:
        chosen = None if access.community else organisation_first_led(access)
    elif (
        storable_ids([organisation])
        and access.may_see_organisation(organisation)
        and Organisation.objects.filter(pk=organisation).exists()
    ):
        chosen = organisation
    else:
        raise DomainError(
            gettext("Choose an organisation you may see the figures of."),
            kind=ErrorKind.INVALID,
            field="organisation",
            code="invalid_organisation",
        )
    return Scope(first=first_month, last=last_month, organisation_id=chosen)


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
            # (none chosen, as on a first visit: the first they lead).
            field.queryset = Organisation.objects.filter(pk__in=access.organisations).order_by(
                "name"
            )
            field.empty_label = None
            field.required = True
            if self.is_bound and not self.data.get("organisation"):
                first_led = organisation_first_led(access)
                if first_led is not None:
                    # A page's QueryDict copies as one (its values are lists inside).
                    data: Any = self.data.copy() if hasattr(self.data, "copy") else dict(self.data)
                    data["organisation"] = str(first_led)
                    self.data = data

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
        organisation_id = organisation.pk if organisation else None
        if organisation_id is None and not self.access.community:
            organisation_id = organisation_first_led(self.access)
        return Scope(
            first=self.cleaned_data["first"],
            last=self.cleaned_data["last"],
            organisation_id=organisation_id,
        )

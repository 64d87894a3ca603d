"""Form fields shared by the apps."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from equitime.core.units import credits_to_minutes


class HoursField(forms.DecimalField):
    """Hours typed as a decimal, cleaned to integer minutes in quarter-hours."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", Decimal("0.25"))
        kwargs.setdefault("max_value", Decimal("40"))
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("max_digits", 5)
        kwargs.setdefault(
            "widget", forms.NumberInput(attrs={"step": "0.25", "inputmode": "decimal"})
        )
        super().__init__(**kwargs)

    def clean(self, value):
        hours = super().clean(value)
        if hours is None:
            return None
        minutes = credits_to_minutes(hours)
        if hours * 60 != minutes or minutes % 15:
            raise forms.ValidationError(_("Use quarter-hours: 0.25, 0.5, 0.75, 1 ..."))
        return minutes

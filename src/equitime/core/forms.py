"""Form fields shared by the apps."""

from decimal import Decimal

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe
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


class _PythonRenderedChoices:
    """Draws a <select> in Python rather than through Django's widget templates.

    Django renders every <option> through two template includes; the skills
    filter (60 options in 12 groups) cost a quarter of the browse page's time
    that way. The markup is the same as Django's: name, attributes (including
    the ``aria-describedby`` a bound field adds), option groups, ``selected``.
    """

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        multiple = " multiple" if widget.get("allow_multiple_selected") else ""
        parts = [
            format_html(
                '<select name="{}"{}{}>', widget["name"], flatatt(widget["attrs"]), multiple
            )
        ]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('<optgroup label="{}">', group_name))
            parts.extend(
                format_html(
                    '<option value="{}"{}>{}</option>',
                    "" if option["value"] is None else str(option["value"]),
                    flatatt(option["attrs"]),
                    option["label"],
                )
                for option in options
            )
            if group_name:
                parts.append("</optgroup>")
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every part is escaped by format_html


class Select(_PythonRenderedChoices, forms.Select):
    pass


class SelectMultiple(_PythonRenderedChoices, forms.SelectMultiple):
    pass

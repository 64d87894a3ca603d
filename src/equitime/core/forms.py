"""Form fields shared by the apps."""

import uuid
from html import escape
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from equitime.core.units import (
    MAX_EXCHANGE_MINUTES,
    MINUTES_PER_CREDIT,
    STEP_MINUTES,
    credits_to_minutes,
    is_step,
    minutes_to_hours,
)


def choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    """A form's choice field by name, to set its choices at run time."""
    field = form.fields[name]
    if not isinstance(field, forms.ChoiceField):
        raise TypeError(f"{name} is a {type(field).__name__}, not a choice field.")
    return field


class HoursField(forms.DecimalField):
    """Hours typed as a decimal, cleaned to integer minutes in quarter-hours."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", minutes_to_hours(STEP_MINUTES))
        kwargs.setdefault("max_value", minutes_to_hours(MAX_EXCHANGE_MINUTES))
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("max_digits", 5)
        kwargs.setdefault(
            "widget",
            forms.NumberInput(
                attrs={"step": str(minutes_to_hours(STEP_MINUTES)), "inputmode": "decimal"}
            ),
        )
        super().__init__(**kwargs)

    def clean(self, value):
        hours = super().clean(value)
        if hours is None:
            return None
        minutes = credits_to_minutes(hours)
        if hours * MINUTES_PER_CREDIT != minutes or not is_step(minutes):
            raise forms.ValidationError(_("Use quarter-hours: 0.25, 0.5, 0.75, 1 ..."))
        return minutes


# A search box is not an essay; the searches themselves keep 10 words at most.
MAX_QUERY_LENGTH = 200


def search_field(*, help_text) -> forms.CharField:
    """The search box of a list page's filters: optional and short."""
    return forms.CharField(
        label=_("Search"),
        required=False,
        help_text=help_text,
        widget=forms.TextInput(
            attrs={"type": "search", "maxlength": MAX_QUERY_LENGTH, "autocomplete": "off"}
        ),
    )


class FilterForm(forms.Form):
    """A list page's GET form of optional filters, with a ``q`` search box
    (``search_field``)."""

    def clean_q(self) -> str:
        # Longer only when typed into the address: cut, not refused.
        return self.cleaned_data["q"][:MAX_QUERY_LENGTH]

    def filters(self) -> dict[str, str]:
        """The valid, non-empty filters; a bad value in one field ignores only that field."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}


class RequestKeyMixin(forms.Form):
    """A hidden key made when the form is shown, so a double click or a
    replayed form is the same request, and the service answers it with what
    the first one made (credits move once).

    A client that sends no key gets a fresh one: no replay protection, but
    never a dead-end error on a field the person cannot see."""

    request_key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4, required=False)

    def clean_request_key(self):
        return self.cleaned_data.get("request_key") or uuid.uuid4()


def _html(value) -> str:
    """Escaped text, as a template would show it (safe strings as they are)."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return escape(str(value), quote=True)


def _attributes(attrs: dict) -> str:
    """HTML attributes as Django's attrs.html draws them: True bare, False or None left out."""
    return "".join(
        f" {name}" if value is True else f' {name}="{_html(value)}"'
        for name, value in attrs.items()
        if value is not False and value is not None
    )


if TYPE_CHECKING:
    # What the mixin is mixed into: Select and SelectMultiple.
    _ChoiceWidgetBase = forms.widgets.ChoiceWidget
else:
    _ChoiceWidgetBase = object


class _PythonRenderedChoices(_ChoiceWidgetBase):
    """Draws a <select> in Python rather than through Django's widget templates.

    Django renders every <option> through two template includes; the skills
    filter (60 options in 12 groups) cost a quarter of the browse page's time
    that way. The markup is the same as Django's: name, attributes (including
    the ``aria-describedby`` a bound field adds), option groups, ``selected``;
    every value and label is escaped.
    """

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        multiple = " multiple" if widget.get("allow_multiple_selected") else ""
        parts = [f'<select name="{_html(widget["name"])}"{_attributes(widget["attrs"])}{multiple}>']
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'<optgroup label="{_html(group_name)}">')
            parts.extend(
                f'<option value="{"" if option["value"] is None else _html(option["value"])}"'
                f"{_attributes(option['attrs'])}>{_html(option['label'])}</option>"
                for option in options
            )
            if group_name:
                parts.append("</optgroup>")
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every value and label is escaped above


class Select(_PythonRenderedChoices, forms.Select):
    pass


class SelectMultiple(_PythonRenderedChoices, forms.SelectMultiple):
    pass

"""Form fields shared by the apps."""

import functools
import re
import unicodedata
import uuid
import zoneinfo
from collections.abc import Iterable
from html import escape
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries

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


# A number in each CLDR plural category of the languages we speak, so that the
# browser (picker.js, Intl.PluralRules) can pick the sentence for any count
# from ngettext's forms: Welsh says "many" of 6, Arabic of 11 to 99.
_MANY = {"cy": 6}


def plural_samples() -> dict[str, int]:
    """CLDR category -> a count that falls in it, in the active language."""
    return {
        "zero": 0,
        "one": 1,
        "two": 2,
        "few": 3,
        "many": _MANY.get(get_language() or "", 11),
        "other": 100,
    }


def _chosen_text(count: int) -> str:
    return ngettext("%(count)s chosen: %(names)s.", "%(count)s chosen: %(names)s.", count)


def _shown_text(count: int) -> str:
    return ngettext(
        "%(shown)s of %(total)s matches “%(query)s”.",
        "%(shown)s of %(total)s match “%(query)s”.",
        count,
    )


class CheckboxGroups(forms.CheckboxSelectMultiple):
    """Many choices from a long grouped list, easy with a mouse, a keyboard and
    a screen reader: a fieldset of checkboxes per group (its legend the group's
    name), a line that sums up what is chosen, and a filter box.

    Without JavaScript every checkbox shows and the filter box stays hidden.
    ``equitime/picker.js`` shows the box; typing hides the choices whose name
    (or whose group's name) does not match and the groups left empty, and says
    how many match in a polite live region. The filter box has no name, so it is
    never posted. The form template draws the field as a fieldset whose legend
    is the field's label (``includes/form_fields.html``).

    Drawn in Python, like the selects above: through Django's templates a
    hundred checkboxes cost two template includes each. Every value and label
    is escaped.
    """

    class Media:
        js = [forms.Script("equitime/picker.js", defer=True)]

    def __init__(self, attrs=None, choices=(), *, filter_label=None) -> None:
        super().__init__(attrs, choices)
        self.filter_label = filter_label or _("Filter the list")

    def id_for_label(self, id_, index=None):
        """The first checkbox, so that an error summary's link lands on the list
        (Django's checkbox list gives none)."""
        if not id_:
            return ""
        if index is None:
            first = next(iter(self.choices), None)
            index = "0_0" if first is not None and isinstance(first[1], list | tuple) else "0"
        return f"{id_}_{index}"

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        base = widget["attrs"].get("id") or f"id_{name}"
        total = 0
        chosen: list[str] = []
        groups: list[str] = []
        for group_name, options, _index in widget["optgroups"]:
            items = []
            for option in options:
                total += 1
                if option["selected"]:
                    chosen.append(str(option["label"]))
                items.append(
                    f'<li><input type="checkbox" name="{_html(option["name"])}"'
                    f' value="{_html(option["value"])}"{_attributes(option["attrs"])}>'
                    f' <label for="{_html(option["attrs"].get("id", ""))}">'
                    f"{_html(option['label'])}</label></li>"
                )
            if group_name:
                groups.append(
                    f'<fieldset class="picker__group" data-picker-group>'
                    f"<legend>{_html(group_name)}</legend><ul>{''.join(items)}</ul></fieldset>"
                )
            else:
                groups.append(f'<ul class="picker__group" data-picker-group>{"".join(items)}</ul>')

        # What the script says, in both plural forms: it counts in the browser.
        texts = {
            "data-chosen-none": _("None chosen yet."),
            **{f"data-chosen-{name}": _chosen_text(n) for name, n in plural_samples().items()},
            "data-shown-all": _("Showing all %(total)s."),
            **{f"data-shown-{name}": _shown_text(n) for name, n in plural_samples().items()},
            "data-shown-none": _("Nothing matches “%(query)s”. Try fewer letters."),
        }
        summary = (
            _chosen_text(len(chosen)) % {"count": len(chosen), "names": ", ".join(chosen)}
            if chosen
            else texts["data-chosen-none"]
        )
        return mark_safe(  # noqa: S308 - every value and label is escaped
            f'<div class="picker" data-picker data-total="{total}"{_attributes(texts)}>'
            f'<p class="picker__summary" id="{_html(base)}_summary" data-picker-summary>'
            f"{_html(summary)}</p>"
            f'<div class="picker__filter" data-picker-filter hidden>'
            f'<label for="{_html(base)}_filter">{_html(self.filter_label)}</label>'
            f'<input type="search" id="{_html(base)}_filter" autocomplete="off"'
            f' spellcheck="false" aria-controls="{_html(base)}_groups"'
            f' aria-describedby="{_html(base)}_summary" data-picker-input>'
            f'<p class="picker__status" role="status" data-picker-status></p></div>'
            f'<div class="picker__scroll"><div class="picker__groups" id="{_html(base)}_groups">'
            f"{''.join(groups)}</div></div></div>"
        )


class SuggestionsInput(forms.TextInput):
    """A text box with a short list of suggestions (a ``<datalist>``) instead of a
    select of hundreds of options. What is typed is free; the field checks it.

    ``suggestions`` are the values to offer, most likely first; a form may set
    them when it is made (the member's own value, the community's)."""

    def __init__(self, attrs=None, suggestions: Iterable[str] = ()) -> None:
        super().__init__(attrs)
        self.suggestions = list(suggestions)

    def render(self, name, value, attrs=None, renderer=None):
        attrs = dict(attrs or {})
        list_id = f"{attrs.get('id') or f'id_{name}'}_suggestions"
        attrs["list"] = list_id
        box = super().render(name, value, attrs, renderer)
        options = "".join(f'<option value="{_html(text)}">' for text in self.suggestions)
        return mark_safe(f'{box}<datalist id="{_html(list_id)}">{options}</datalist>')  # noqa: S308


def _fold(text: str) -> str:
    """Lower case, no accents, only letters and digits between single spaces."""
    plain = "".join(
        char for char in unicodedata.normalize("NFKD", text) if not unicodedata.combining(char)
    )
    return " ".join(re.sub(r"[^0-9a-z]+", " ", plain.lower()).split())


@functools.cache
def _time_zones() -> tuple[dict[str, str], dict[str, list[str]]]:
    """Every zone by its name in lower case; and every zone by its folded name
    and by its folded city (the last part), where folding may make two alike
    (``Etc/GMT+5`` and ``Etc/GMT-5``), hence the lists."""
    by_lower: dict[str, str] = {}
    by_folded: dict[str, list[str]] = {}
    for zone in sorted(zoneinfo.available_timezones()):
        by_lower[zone.lower()] = zone
        by_folded.setdefault(_fold(zone), []).append(zone)
        city = _fold(zone.rpartition("/")[2])
        if city != _fold(zone):
            by_folded.setdefault(city, []).append(zone)
    return by_lower, by_folded


class TimeZoneField(forms.CharField):
    """A time zone typed as 'Region/City' (``Asia/Kolkata``) or just a city
    (``Kolkata``), in any case, with spaces or underscores; cleaned to the IANA
    name ``zoneinfo`` knows, or refused with a message that says what to type."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault(
            "widget", SuggestionsInput(attrs={"autocomplete": "off", "spellcheck": "false"})
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        text = super().to_python(value)
        if not text or len(text) > (self.max_length or len(text)):
            return text  # the length check says what is wrong with a long one
        by_lower, by_folded = _time_zones()
        exact = by_lower.get("_".join(text.split()).lower())
        if exact:
            return exact
        zones = by_folded.get(_fold(text), [])
        if len(zones) == 1:
            return zones[0]
        if zones:
            raise forms.ValidationError(
                _("More than one time zone is called “%(value)s”: type one of %(zones)s."),
                code="ambiguous",
                params={"value": text, "zones": ", ".join(zones)},
            )
        raise forms.ValidationError(
            _(
                "“%(value)s” is not a time zone we know. Type a region and a city, "
                "such as Europe/London or Asia/Kolkata, or just the city."
            ),
            code="invalid",
            params={"value": text},
        )


# Names people use for a country that are not its name in the ISO list.
COUNTRY_ALIASES = {
    "uk": "GB",
    "britain": "GB",
    "great britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "usa": "US",
    "united states": "US",
    "america": "US",
    "holland": "NL",
    "ivory coast": "CI",
    "czech republic": "CZ",
}


def _country_by_name() -> dict[str, str]:
    found = {_fold(str(name)): code for code, name in countries}
    found.update({_fold(f"the {name}"): code for name, code in list(found.items())})
    return {**found, **COUNTRY_ALIASES}


class CountryNameField(forms.CharField):
    """A country typed by its name ('Kenya', 'the Netherlands', 'UK') or its
    code ('KE', 'NLD'), cleaned to its two-letter ISO code; shown by its name."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 100)
        kwargs.setdefault("widget", SuggestionsInput(attrs={"autocomplete": "country-name"}))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        code = getattr(value, "code", value)  # a model's Country, or what was typed
        if isinstance(code, str) and len(code) == 2 and code.isupper():
            return countries.name(code) or code
        return value

    def to_python(self, value):
        text = super().to_python(value)
        if not text or len(text) > (self.max_length or len(text)):
            return text  # the length check says what is wrong with a long one
        code = _country_by_name().get(_fold(text))
        if code is None and len(text) in (2, 3) and text.isalpha():
            code = countries.alpha2(text) or None
        if code is None:
            raise forms.ValidationError(
                _("“%(value)s” is not a country we know. Type its name in English, such as Kenya."),
                code="invalid",
                params={"value": text},
            )
        return code

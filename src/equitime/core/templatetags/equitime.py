import functools

from django import template
from django.utils.translation import ngettext

from equitime.core.units import format_credits, minutes_to_credits

register = template.Library()


@register.filter
def credits(minutes: int | None) -> str:
    """Show integer minutes as credits: ``{{ 90|credits }}`` -> ``1.5``."""
    return format_credits(minutes or 0)


@register.filter
def credits_label(minutes: int | None) -> str:
    """``{{ 120|credits_label }}`` -> ``2 credits``; ``60`` -> ``1 credit``."""
    value = minutes_to_credits(minutes or 0)
    return ngettext("%(n)s credit", "%(n)s credits", 1 if value == 1 else 2) % {
        "n": format_credits(minutes or 0)
    }


@register.filter
def hours_label(minutes: int | None) -> str:
    """``{{ 90|hours_label }}`` -> ``1.5 hours``; ``60`` -> ``1 hour``."""
    value = minutes_to_credits(minutes or 0)
    return ngettext("%(n)s hour", "%(n)s hours", 1 if value == 1 else 2) % {
        "n": format_credits(minutes or 0)
    }


@functools.cache
def _choice_labels(field) -> dict:
    """value -> label of a field's choices. The labels stay lazy, so each is
    translated when shown, in the reader's language."""
    return dict(field.flatchoices)


@register.filter
def label(obj, field_name: str) -> str:
    """``{{ listing|label:"kind" }}``: the label of a field's value, like
    ``get_kind_display``. That rebuilds and translates every choice on each
    call (a millisecond for a field of twenty choices, twenty times a page);
    this looks the one label up."""
    field = obj._meta.get_field(field_name)
    value = getattr(obj, field.attname)
    return str(_choice_labels(field).get(value, value))

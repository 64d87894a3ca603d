from django import template
from django.utils.translation import ngettext

from equitime.core.choices import choice_label
from equitime.core.units import MINUTES_PER_CREDIT, format_credits, minutes_to_credits

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


@register.simple_tag
def minutes_per_credit() -> int:
    """``{% minutes_per_credit as per_credit %}``: the unit, for a page's words."""
    return MINUTES_PER_CREDIT


@register.filter
def label(obj, field_name: str) -> str:
    """``{{ listing|label:"kind" }}``: ``get_kind_display``, looked up (core.choices)."""
    return choice_label(obj, field_name)

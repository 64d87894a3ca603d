from django import template

from equitime.core.choices import choice_label
from equitime.core.names import name_initials
from equitime.core.units import MINUTES_PER_CREDIT, credits_text, format_credits, hours_text

register = template.Library()


@register.filter
def credits(minutes: int | None) -> str:
    """Show integer minutes as credits: ``{{ 90|credits }}`` -> ``1.5``."""
    return format_credits(minutes or 0)


@register.filter
def credits_label(minutes: int | None) -> str:
    """``{{ 120|credits_label }}`` -> ``2 credits``; ``60`` -> ``1 credit``."""
    return credits_text(minutes or 0)


@register.filter
def hours_label(minutes: int | None) -> str:
    """``{{ 90|hours_label }}`` -> ``1.5 hours``; ``60`` -> ``1 hour``."""
    return hours_text(minutes or 0)


@register.simple_tag
def minutes_per_credit() -> int:
    """``{% minutes_per_credit as per_credit %}``: the unit, for a page's words."""
    return MINUTES_PER_CREDIT


@register.filter
def label(obj, field_name: str) -> str:
    """``{{ listing|label:"kind" }}``: ``get_kind_display``, looked up (core.choices)."""
    return choice_label(obj, field_name)


@register.filter
def initials(display_name: str | None) -> str:
    """``{{ "Dr Wei Zhang"|initials }}`` -> ``WZ``: an avatar's letters, titles left out."""
    return name_initials(display_name or "")

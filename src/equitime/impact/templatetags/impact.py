"""``{% load impact %}``: whether the public impact page is on, for the links
to it (the footer, the home page), which go when it is switched off."""

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def public_impact_on() -> bool:
    return bool(settings.EQUITIME_PUBLIC_IMPACT)

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def message_retention_days() -> int:
    """``{% message_retention_days as days %}``: how long finished exchanges' messages are kept."""
    return settings.EQUITIME_MESSAGE_RETENTION_DAYS

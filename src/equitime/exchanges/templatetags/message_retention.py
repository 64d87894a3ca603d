from django import template

from equitime.core.retention import retention_days

register = template.Library()


@register.simple_tag
def message_retention_days() -> int:
    """``{% message_retention_days as days %}``: how long finished exchanges' messages are kept."""
    return retention_days("messages")

"""Minutes and credits. The ledger only ever records integer minutes."""

from decimal import Decimal

from django.conf import settings


def minutes_to_credits(minutes: int) -> Decimal:
    """90 minutes -> Decimal('1.5'); exact for any quarter-hour."""
    return (Decimal(minutes) / settings.EQUITIME_MINUTES_PER_CREDIT).normalize()


def format_credits(minutes: int) -> str:
    """A human figure: '2', '1.5', '0.25', '-3'. Never rounds away a quarter-hour."""
    value = minutes_to_credits(minutes)
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def credits_to_minutes(credits: Decimal | int) -> int:
    """Decimal hours from a form -> integer minutes. Callers validate the step."""
    return int(Decimal(credits) * settings.EQUITIME_MINUTES_PER_CREDIT)

"""Minutes, credits and hours: the units every app counts in.

The ledger only ever records integer minutes. One credit is one hour of
anyone's time (rule 3); time is given in steps of a quarter-hour; one exchange
holds at most 40 hours, and a listing estimates at most what one exchange can
hold. Models' constraints, services, forms, API schemas and templates take
these numbers from here, never as literals of their own.

They are constants, not settings: CHECK constraints in the database fix them
(``listing_estimate_in_quarter_hours``, ``exchange_proposed_in_quarter_hours``
and ``exchange_logged_in_quarter_hours`` are built from ``STEP_MINUTES``), and
every stored amount was counted in them. Changing one means a migration of the
constraints and of the rows, and new words wherever people read "quarter-hours"
or "40 hours": a deliberate change of the product, never a value to configure.
"""

import enum
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import ngettext

MINUTES_PER_CREDIT = 60
STEP_MINUTES = 15
MAX_EXCHANGE_MINUTES = 40 * MINUTES_PER_CREDIT
# A listing's estimate becomes the proposal of its exchanges: the same bound.
MAX_ESTIMATE_MINUTES = MAX_EXCHANGE_MINUTES


def minutes_to_hours(minutes: int) -> Decimal:
    """90 -> Decimal('1.5'), 2400 -> Decimal('40'): exact, for a form's hours."""
    return Decimal(minutes) / MINUTES_PER_CREDIT


def minutes_to_credits(minutes: int) -> Decimal:
    """90 minutes -> Decimal('1.5'); exact for any quarter-hour."""
    return minutes_to_hours(minutes).normalize()


def _figure(minutes: int) -> Decimal:
    value = minutes_to_credits(minutes)
    if not is_step(minutes):
        value = value.quantize(Decimal("0.01"))
    return value


def format_credits(minutes: int) -> str:
    """The figure as machines read it: '2', '1.5', '0.25', '-3', whatever the
    language (API fields' words, CSV cells, form values). Never rounds away a
    quarter-hour; other amounts (a group session's share of 20 minutes) to two
    places: '0.33'. People read ``credits_figure``."""
    text = format(_figure(minutes), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def credits_figure(minutes: int) -> str:
    """The figure as the reader writes numbers (Django's formats for the
    active language): '1.5' in English and Welsh, '1,5' in Arabic (Django's
    ``ar`` formats: Western digits, a decimal comma). For pages, e-mails, the
    PDF: anywhere people read it."""
    return number_format(Decimal(format_credits(minutes)), use_l10n=True)


# See plural_count.
FRACTION_COUNT = 100


def plural_count(minutes: int) -> int:
    """The number ngettext chooses a plural form by: a whole count as itself,
    a fraction as 100. CLDR puts fractions in the "other" category in every
    language we speak ("1.5 credits"; Welsh and Arabic likewise), and 100 is in
    "other" in each of them, where 2 would be Arabic's dual."""
    value = minutes_to_credits(minutes)
    return int(value) if value == value.to_integral_value() else FRACTION_COUNT


def credits_text(minutes: int) -> str:
    """``60`` -> "1 credit", ``90`` -> "1.5 credits": an amount in words, translated."""
    return ngettext("%(n)s credit", "%(n)s credits", plural_count(minutes)) % {
        "n": credits_figure(minutes)
    }


def hours_text(minutes: int) -> str:
    """``60`` -> "1 hour", ``90`` -> "1.5 hours"."""
    return ngettext("%(n)s hour", "%(n)s hours", plural_count(minutes)) % {
        "n": credits_figure(minutes)
    }


def credits_to_minutes(credits: Decimal | int) -> int:
    """Decimal hours from a form -> integer minutes. Callers validate the step."""
    return int(Decimal(credits) * MINUTES_PER_CREDIT)


def is_step(minutes: int) -> bool:
    """A whole number of quarter-hours (zero and negatives included)."""
    return minutes % STEP_MINUTES == 0


class MinutesFault(enum.Enum):
    """What is wrong with an amount of time; each caller words it for its page."""

    NOT_POSITIVE = "not_positive"  # not an integer, or not above zero
    OFF_STEP = "off_step"
    TOO_MANY = "too_many"


def minutes_fault(
    minutes: object, *, maximum: int | None = MAX_EXCHANGE_MINUTES
) -> MinutesFault | None:
    """The one check of an amount of time that services, forms and schemas
    share: integer minutes above zero, in whole steps, at most ``maximum``
    (None: no maximum). None when the amount is good."""
    if not isinstance(minutes, int) or isinstance(minutes, bool) or minutes <= 0:
        return MinutesFault.NOT_POSITIVE
    if not is_step(minutes):
        return MinutesFault.OFF_STEP
    if maximum is not None and minutes > maximum:
        return MinutesFault.TOO_MANY
    return None


def steps_text(count: int) -> str:
    """The first steps in minutes, for a schema's or a page's words: '15, 30, 45'."""
    return ", ".join(str(step * STEP_MINUTES) for step in range(1, count + 1))

"""The units every app counts in (core.units)."""

from decimal import Decimal

import pytest
from django.conf import settings

from equitime.core.units import (
    MAX_ESTIMATE_MINUTES,
    MAX_EXCHANGE_MINUTES,
    MINUTES_PER_CREDIT,
    STEP_MINUTES,
    MinutesFault,
    credits_to_minutes,
    format_credits,
    is_step,
    minutes_fault,
    minutes_to_credits,
    minutes_to_hours,
    steps_text,
)


def test_the_units_are_not_settings():
    """The database's CHECK constraints fix them: a setting would only pretend."""
    assert not hasattr(settings, "EQUITIME_MINUTES_PER_CREDIT")
    assert not hasattr(settings, "EQUITIME_STEP_MINUTES")


def test_the_units():
    assert MINUTES_PER_CREDIT == 60
    assert STEP_MINUTES == 15
    assert MAX_EXCHANGE_MINUTES == 40 * 60
    assert MAX_ESTIMATE_MINUTES == MAX_EXCHANGE_MINUTES


@pytest.mark.parametrize(
    ("minutes", "hours"),
    [
        (15, Decimal("0.25")),
        (45, Decimal("0.75")),
        (60, Decimal("1")),
        (90, Decimal("1.5")),
        (2400, Decimal("40")),
        (0, Decimal("0")),
        (-90, Decimal("-1.5")),
    ],
)
def test_minutes_to_hours_is_an_exact_decimal(minutes, hours):
    value = minutes_to_hours(minutes)
    assert isinstance(value, Decimal)
    assert value == hours
    assert str(value) == str(hours)  # '40', not '4E+1', in a form's input


@pytest.mark.parametrize(
    ("minutes", "text"),
    [(15, "0.25"), (60, "1"), (90, "1.5"), (2400, "40"), (0, "0"), (-180, "-3")],
)
def test_format_credits(minutes, text):
    assert format_credits(minutes) == text
    assert minutes_to_credits(minutes) == Decimal(text)


@pytest.mark.parametrize(
    ("hours", "minutes"), [(Decimal("0.25"), 15), (Decimal("1.5"), 90), (Decimal("40"), 2400)]
)
def test_credits_to_minutes(hours, minutes):
    assert credits_to_minutes(hours) == minutes


@pytest.mark.parametrize(("minutes", "expected"), [(0, True), (15, True), (90, True), (20, False)])
def test_is_step(minutes, expected):
    assert is_step(minutes) is expected


@pytest.mark.parametrize(
    ("minutes", "fault"),
    [
        (15, None),
        (2400, None),
        (0, MinutesFault.NOT_POSITIVE),
        (-15, MinutesFault.NOT_POSITIVE),
        (True, MinutesFault.NOT_POSITIVE),
        (1.5, MinutesFault.NOT_POSITIVE),
        ("60", MinutesFault.NOT_POSITIVE),
        (None, MinutesFault.NOT_POSITIVE),
        (20, MinutesFault.OFF_STEP),
        (2401, MinutesFault.OFF_STEP),  # the step is checked before the maximum
        (2415, MinutesFault.TOO_MANY),
    ],
)
def test_minutes_fault(minutes, fault):
    assert minutes_fault(minutes) is fault


def test_minutes_fault_with_another_maximum_or_none():
    assert minutes_fault(120, maximum=60) is MinutesFault.TOO_MANY
    assert minutes_fault(60_000, maximum=None) is None


def test_steps_text():
    assert steps_text(3) == "15, 30, 45"
    assert steps_text(4) == "15, 30, 45, 60"

"""The units every app counts in (core.units), and a scan that keeps them in
one place: no module but ``core/units.py`` writes 60, 15 or 2400 for minutes,
and no template writes them at all."""

import ast
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings

from equitime.core import units
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

PACKAGE = Path(units.__file__).resolve().parents[1]

# The numbers that, written in a module, would be a second source of a unit.
UNIT_NUMBERS = {60, 15, 2400}

# Modules whose 60s and 15s are not minutes of credit, and why. A prefix
# covers a folder (the demo's invented data, wherever it lives in demo/).
NOT_UNITS = {
    "settings.py": "seconds (connection age, session age)",
    "api/throttling.py": "seconds in a minute, for rate limits",
    "core/middleware.py": "seconds between last-seen stamps",
    "core/paging.py": "seconds a count is cached",
    "core/patient_data.py": "characters between a name and a date",
    "core/testing.py": "Redis database numbers",
    "jobs/schedule.py": "how often a job runs",
    "impact/network.py": "how many links the network's picture draws",
    "impact/network_svg.py": "sizes in the network's picture, in SVG units",
    "impact/selectors.py": "how many cells of a breakdown a page draws",
    "demo/": "invented durations of the demo's data and of the scale data (generate.py)",
}


def _is_exempt(relative: str) -> bool:
    return any(
        relative == name or (name.endswith("/") and relative.startswith(name)) for name in NOT_UNITS
    )


def _runtime_modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        parts = set(path.relative_to(PACKAGE).parts)
        if parts & {"tests", "migrations", "browser_tests"} or relative == "core/units.py":
            continue
        yield relative, path


def _unit_literals(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Constant)
            and type(node.value) in (int, float)
            and node.value in UNIT_NUMBERS
        ):
            found.append(f"{node.lineno}: {node.value}")
    return found


def test_no_module_writes_a_unit_of_its_own():
    """Minutes per credit, the step and the maximum come from core.units. A
    module that counts something else in sixties (seconds) goes in NOT_UNITS
    with its reason."""
    offenders = {
        relative: found
        for relative, path in _runtime_modules()
        if not _is_exempt(relative) and (found := _unit_literals(path))
    }
    assert offenders == {}


def test_the_scan_sees_a_literal_but_not_words(tmp_path):
    module = tmp_path / "views.py"
    module.write_text(
        '"""Hours are minutes / 60."""\n'
        "def hours(minutes):\n"
        "    return minutes / 60  # 60 in a comment is words\n"
    )
    assert _unit_literals(module) == ["3: 60"]


def test_no_template_writes_a_unit():
    pattern = re.compile(r"\b(60|15|2400)\b")
    offenders = [
        f"{path.relative_to(PACKAGE)}:{number}"
        for path in sorted(PACKAGE.rglob("templates/**/*"))
        if path.suffix in {".html", ".txt"} and "browser_tests" not in path.parts
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert offenders == []


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

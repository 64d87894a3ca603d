"""Lengths of time as people say them (core.durations and its filters): "just
now" rather than "0 minutes", years and months rather than "730 days", and
every unit in its plural form."""

from datetime import UTC, datetime, timedelta

import pytest
from django.template import Context, Template

from equitime.core.durations import days_period, time_ago, time_since, time_until

NOW = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("elapsed", "said"),
    [
        (timedelta(0), "just now"),
        (timedelta(seconds=59), "just now"),
        (timedelta(seconds=-5), "just now"),  # a clock a little ahead
        (timedelta(minutes=1), "1 minute ago"),
        (timedelta(minutes=2, seconds=30), "2 minutes ago"),
        (timedelta(hours=1), "1 hour ago"),
        (timedelta(hours=23, minutes=59), "23 hours ago"),
        (timedelta(days=1), "1 day ago"),
        (timedelta(days=13), "13 days ago"),
        (timedelta(days=14), "2 weeks ago"),
        (timedelta(days=59), "8 weeks ago"),
        (timedelta(days=61), "2 months ago"),
        (timedelta(days=200), "7 months ago"),
        (timedelta(days=360), "1 year ago"),
        (timedelta(days=365), "1 year ago"),
        (timedelta(days=800), "2 years ago"),
    ],
)
def test_time_ago(elapsed, said):
    assert time_ago(NOW - elapsed, now=NOW) == said


@pytest.mark.parametrize(
    ("elapsed", "said"),
    [
        (timedelta(0), "just now"),
        (timedelta(seconds=30), "just now"),
        (timedelta(minutes=1), "1 minute"),
        (timedelta(minutes=45), "45 minutes"),
        (timedelta(hours=2), "2 hours"),
        (timedelta(days=1, hours=3), "1 day"),
        (timedelta(days=3), "3 days"),
    ],
)
def test_time_since_a_wait_began(elapsed, said):
    assert time_since(NOW - elapsed, now=NOW) == said


@pytest.mark.parametrize(
    ("ahead", "said"),
    [
        (timedelta(0), "in a moment"),
        (timedelta(seconds=20), "in a moment"),
        (timedelta(minutes=1), "in 1 minute"),
        (timedelta(days=3, hours=1), "in 3 days"),
        (timedelta(minutes=-3), "3 minutes ago"),
    ],
)
def test_time_until(ahead, said):
    assert time_until(NOW + ahead, now=NOW) == said


@pytest.mark.parametrize(
    ("days", "said"),
    [
        (1, "1 day"),
        (2, "2 days"),
        (30, "30 days"),
        (59, "59 days"),
        (60, "2 months"),
        (90, "3 months"),
        (123, "4 months"),
        (77, "77 days"),  # 2.5 months: whole months would mislead, days do not
        (365, "1 year"),
        (395, "1 year and 1 month"),
        (548, "1 year and 6 months"),
        (730, "2 years"),
        (1095, "3 years"),
        (1000, "about 2 years and 9 months (1000 days)"),
    ],
)
def test_days_period_in_years_and_months(days, said):
    assert days_period(days) == said


def render(source: str, **context) -> str:
    return Template("{% load equitime %}" + source).render(Context(context))


def test_the_template_filters_say_just_now_and_years(settings):
    settings.USE_TZ = True
    from django.utils import timezone

    now = timezone.now()

    assert render("{{ when|ago }}", when=now) == "just now"
    assert render("{{ when|since }}", when=now) == "just now"
    assert render("{{ when|until }}", when=now + timedelta(days=2, hours=1)) == "in 2 days"
    assert render("{{ when|ago }}", when=now - timedelta(hours=1, minutes=5)) == "1 hour ago"
    assert render("{{ when|ago }}", when=now - timedelta(hours=5)) == "5 hours ago"
    assert render("{{ days|days_period }}", days=730) == "2 years"
    assert render("{{ days|days_period }}", days=548) == "1 year and 6 months"
    # Nothing to say for nothing, rather than an error on a page.
    assert render("[{{ when|ago }}{{ when|since }}{{ when|until }}{{ days|days_period }}]") == "[]"

"""Dates, times and hours in the reader's language and number format.

Django's own catalogues and format modules give the day and month names and
the separators, so these hold before Equitime's catalogues are translated.
Arabic keeps Western digits (0-9), as Django's ``ar`` formats do, with their
decimal comma: hours read "1,5" in Arabic, "1.5" in English and Welsh."""

from datetime import UTC, date, datetime

import pytest
from django.template import Context, Template
from django.utils import translation
from django.utils.formats import date_format, time_format

from equitime.core.units import MINUTES_PER_CREDIT, credits_figure, format_credits, hours_text

HOUR_AND_A_HALF = MINUTES_PER_CREDIT * 3 // 2
DAY = date(2026, 12, 8)  # a Tuesday
MOMENT = datetime(2026, 12, 8, 14, 30, tzinfo=UTC)

DATES = {
    "en-gb": "Tuesday 8 December 2026",
    "cy": "Dydd Mawrth 8 Rhagfyr 2026",
    "ar": "الثلاثاء 8 ديسمبر 2026",
}
FIGURES = {"en-gb": "1.5", "cy": "1.5", "ar": "1,5"}


@pytest.mark.parametrize("language", list(DATES))
def test_a_date_is_written_in_the_readers_language(language):
    with translation.override(language):
        assert date_format(DAY, "l j F Y") == DATES[language]
        assert time_format(MOMENT, "H:i") == "14:30"  # a 24-hour clock in every language


@pytest.mark.parametrize("language", list(FIGURES))
def test_an_hours_figure_follows_the_readers_number_format(language):
    with translation.override(language):
        figure = credits_figure(HOUR_AND_A_HALF)
        assert figure == FIGURES[language]
        expected = translation.ngettext("%(n)s hour", "%(n)s hours", 2) % {"n": figure}
        assert hours_text(HOUR_AND_A_HALF) == expected
        # The template filter pages use.
        page = Template("{% load equitime %}{{ minutes|credits }}")
        assert page.render(Context({"minutes": HOUR_AND_A_HALF})) == figure
        # Western digits in Arabic too.
        assert credits_figure(-3 * MINUTES_PER_CREDIT) == "-3"


@pytest.mark.parametrize("language", list(FIGURES))
def test_the_figure_machines_read_is_the_same_in_every_language(language):
    with translation.override(language):
        assert format_credits(HOUR_AND_A_HALF) == "1.5"

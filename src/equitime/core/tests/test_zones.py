"""Wall-clock times typed in one zone, read in another, across daylight saving."""

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from equitime.core.zones import (
    NonexistentTime,
    is_ambiguous,
    local_to_utc,
    utc_offset_text,
    zone_label,
    zone_named,
    zone_of,
)

LONDON = ZoneInfo("Europe/London")
TORONTO = ZoneInfo("America/Toronto")
KOLKATA = ZoneInfo("Asia/Kolkata")


def wall(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    """A wall-clock time, with no zone: what someone types in a form."""
    return datetime(year, month, day, hour, minute, tzinfo=UTC).replace(tzinfo=None)


def test_a_wall_clock_time_is_the_instant_of_its_zone() -> None:
    assert local_to_utc(wall(2026, 12, 8, 14, 0), LONDON) == datetime(2026, 12, 8, 14, tzinfo=UTC)
    assert local_to_utc(wall(2026, 7, 8, 14, 0), LONDON) == datetime(2026, 7, 8, 13, tzinfo=UTC)
    assert local_to_utc(wall(2026, 12, 8, 9, 0), TORONTO) == datetime(2026, 12, 8, 14, tzinfo=UTC)
    assert local_to_utc(wall(2026, 12, 8, 19, 30), KOLKATA) == datetime(2026, 12, 8, 14, tzinfo=UTC)


def test_the_hour_the_clocks_skip_is_refused_with_a_way_out() -> None:
    # 29 March 2026, 01:00 GMT -> 02:00 BST: 01:30 never happens in London.
    with pytest.raises(NonexistentTime, match="does not exist in London"):
        local_to_utc(wall(2026, 3, 29, 1, 30), LONDON)
    # 8 March 2026 in Toronto: 02:00 EST -> 03:00 EDT.
    with pytest.raises(NonexistentTime, match="Toronto"):
        local_to_utc(wall(2026, 3, 8, 2, 30), TORONTO)


def test_the_hour_that_happens_twice_is_its_first_occurrence() -> None:
    # 25 October 2026: 01:30 happens at 00:30 UTC (BST) and at 01:30 UTC (GMT).
    twice = wall(2026, 10, 25, 1, 30)
    assert is_ambiguous(twice, LONDON)
    assert local_to_utc(twice, LONDON) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    assert not is_ambiguous(wall(2026, 10, 25, 3, 30), LONDON)
    assert not is_ambiguous(twice, KOLKATA)


def test_a_members_zone_and_the_communitys_by_default() -> None:
    priya = SimpleNamespace(profile=SimpleNamespace(time_zone="Asia/Kolkata"))
    assert zone_of(priya) == KOLKATA
    assert zone_of(SimpleNamespace()) == LONDON
    assert zone_of(None) == LONDON
    assert zone_named("Mars/Olympus") == LONDON


def test_zones_are_named_with_their_offset_at_that_moment() -> None:
    winter = datetime(2026, 12, 8, 14, tzinfo=UTC)
    summer = datetime(2026, 7, 8, 14, tzinfo=UTC)
    assert zone_label(TORONTO, winter) == "Toronto (EST, UTC\u22125)"
    assert zone_label(TORONTO, summer) == "Toronto (EDT, UTC\u22124)"
    assert zone_label(KOLKATA, winter) == "Kolkata (IST, UTC+5:30)"
    assert zone_label(LONDON, winter) == "London (GMT, UTC)"
    assert zone_label(LONDON, summer) == "London (BST, UTC+1)"
    assert utc_offset_text(timedelta(hours=-3, minutes=-30)) == "UTC\u22123:30"

"""The template filters that show an instant on another member's clock."""

from datetime import UTC, datetime
from types import SimpleNamespace

from django.template import Context, Template
from django.utils import timezone

WINTER = datetime(2026, 12, 8, 14, 0, tzinfo=UTC)


def member_in(zone: str) -> SimpleNamespace:
    return SimpleNamespace(profile=SimpleNamespace(time_zone=zone))


def render(text: str, **context: object) -> str:
    return Template("{% load equitime %}" + text).render(Context(context))


def test_another_members_clock_survives_the_readers_zone() -> None:
    toronto, kolkata = member_in("America/Toronto"), member_in("Asia/Kolkata")
    with timezone.override("Europe/London"):
        assert render('{{ t|date:"H:i" }}', t=WINTER) == "14:00"
        assert render('{{ t|in_zone_of:m|date:"H:i" }}', t=WINTER, m=toronto) == "09:00"
        assert render('{{ t|in_zone_of:m|date:"H:i" }}', t=WINTER, m=kolkata) == "19:30"
        assert render('{{ t|in_zone_of:m|date:"c" }}', t=WINTER, m=kolkata).endswith("+05:30")


def test_a_zone_is_named_with_its_offset_then() -> None:
    toronto = member_in("America/Toronto")
    assert render("{{ m|zone_label_of:t }}", t=WINTER, m=toronto) == "Toronto (EST, UTC\u22125)"

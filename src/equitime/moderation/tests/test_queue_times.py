"""The queue says how long things have waited as people say it: "just now",
never "0 minutes", and "3 hours ago" with its plural (issue 12 point 14)."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from equitime.exchanges.models import Exchange
from equitime.moderation.models import ListingFlag

pytestmark = pytest.mark.django_db

QUEUE_URL = reverse("moderation_queue")


def waiting_cell(page: str, exchange) -> str:
    row = page.split(f'<a href="/exchanges/{exchange.pk}/">', 1)[1].split("</tr>", 1)[0]
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", cells[-1]).split())


def test_what_was_reported_or_disputed_a_moment_ago_reads_just_now(
    client, moderator, flag, make_dispute
):
    exchange = make_dispute()
    client.force_login(moderator)

    page = client.get(QUEUE_URL).content.decode()

    group = page.split(f'data-testid="flagged-{flag.listing.pk}"', 1)[1].split("</article>", 1)[0]
    assert "first reported just now" in group
    assert "0 minutes" not in page
    assert waiting_cell(page, exchange) == "just now"


def test_older_ones_say_how_long_in_the_plural_or_singular(client, moderator, flag, make_dispute):
    exchange = make_dispute()
    now = timezone.now()
    ListingFlag.objects.filter(pk=flag.pk).update(created_at=now - timedelta(hours=3, minutes=10))
    Exchange.objects.filter(pk=exchange.pk).update(disputed_at=now - timedelta(days=1, hours=2))
    client.force_login(moderator)

    page = client.get(QUEUE_URL).content.decode()

    group = page.split(f'data-testid="flagged-{flag.listing.pk}"', 1)[1].split("</article>", 1)[0]
    assert "first reported 3 hours ago" in group
    assert waiting_cell(page, exchange) == "1 day"

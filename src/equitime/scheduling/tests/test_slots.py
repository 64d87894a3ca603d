"""A slot's meeting link: https, and no payment link passed off as one."""

from datetime import timedelta

import pytest
from django.utils import timezone

from equitime.core.errors import DomainError
from equitime.scheduling.slots import Slot, slot_check


def slot(video_url: str) -> Slot:
    return Slot(starts_at=timezone.now() + timedelta(days=2), minutes=60, video_url=video_url)


@pytest.mark.parametrize("link", ["https://paypal.me/amina/50", "https://monzo.me/amina"])
def test_a_payment_link_is_refused_as_money_talk(link):
    with pytest.raises(DomainError) as refusal:
        slot_check(slot(link))

    assert refusal.value.code == "money"
    assert refusal.value.field == "video_url"


@pytest.mark.parametrize(
    "link",
    [
        # A ten-digit meeting number that reads as an NHS number: still a link.
        "https://zoom.us/j/9434765919",
        "https://meet.google.com/abc-defg-hij",
    ],
)
def test_a_meeting_link_passes(link):
    assert slot_check(slot(link)).video_url == link

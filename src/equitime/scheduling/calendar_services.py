"""A member's calendar settings: reminders, and the secret address of their feed.

The feed's address carries a token (``models.new_feed_token``); making a new
one replaces the old in the same row, so the old address stops working the
moment the new one is saved. Revoking clears it. Each change is the member's
own: the functions take the member and touch only their row.
"""

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from equitime.scheduling.models import CalendarSettings, new_feed_token

if TYPE_CHECKING:
    from django.contrib.auth.models import _User as Member


def _settings_locked(member: "Member") -> CalendarSettings:
    CalendarSettings.objects.get_or_create(member=member)
    return CalendarSettings.objects.select_for_update().get(member=member)


def calendar_feed_create(*, member: "Member") -> CalendarSettings:
    """Give the member a feed address, replacing (and so revoking) any old one."""
    with transaction.atomic():
        settings = _settings_locked(member)
        settings.feed_token = new_feed_token()
        settings.feed_created_at = timezone.now()
        settings.save(update_fields=["feed_token", "feed_created_at"])
    return settings


def calendar_feed_revoke(*, member: "Member") -> CalendarSettings:
    """Stop the member's feed address working. Revoking none is no error."""
    with transaction.atomic():
        settings = _settings_locked(member)
        if settings.feed_token is not None:
            settings.feed_token = None
            settings.feed_created_at = None
            settings.save(update_fields=["feed_token", "feed_created_at"])
    return settings


def calendar_reminders_set(
    *, member: "Member", day_before: bool | None = None, hour_before: bool | None = None
) -> CalendarSettings:
    """Choose the reminders the member gets (None: leave that one as it is)."""
    with transaction.atomic():
        settings = _settings_locked(member)
        if day_before is not None:
            settings.remind_day_before = day_before
        if hour_before is not None:
            settings.remind_hour_before = hour_before
        settings.save(update_fields=["remind_day_before", "remind_hour_before"])
    return settings

"""The weekly digest's campaigns section, as plain data.

``campaigns_section(member, week)`` lists the campaigns running during the
week, each with its progress and the hours it gained that week. The digest
(built elsewhere) renders it in the member's own zone and language; ``week``
is the digest's week: a ``date`` (its first day, UTC) or a ``(start, end)``
pair of aware datetimes.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.urls import reverse

from equitime.campaigns.models import Campaign
from equitime.campaigns.selectors import campaign_progress_minutes
from equitime.core.units import format_credits

WEEK = timedelta(days=7)


@dataclass(frozen=True)
class CampaignDigestRow:
    title: str
    url: str  # a path: the digest makes it absolute with the site's address
    hours_done: str  # "42" or "2.5"
    target_hours: str
    hours_this_week: str
    minutes_done: int
    target_minutes: int
    minutes_this_week: int


def _week_bounds(week) -> tuple[datetime, datetime]:
    if isinstance(week, tuple):
        return week
    if isinstance(week, datetime):
        return week, week + WEEK
    if isinstance(week, date):
        start = datetime.combine(week, time.min, tzinfo=UTC)
        return start, start + WEEK
    raise TypeError("week is a date or a (start, end) pair of datetimes")


def campaigns_section(member, week) -> list[CampaignDigestRow]:
    """The campaigns running at any time in ``week``, soonest to end first.
    The same for every member today; ``member`` is taken so the digest can
    later leave out what a member chose not to hear about."""
    start, end = _week_bounds(week)
    campaigns = Campaign.objects.filter(
        starts_on__lt=end.astimezone(UTC).date() + timedelta(days=1),
        ends_on__gte=start.astimezone(UTC).date(),
    ).order_by("ends_on", "id")
    rows = []
    for campaign in campaigns:
        done = campaign_progress_minutes(campaign)
        this_week = campaign_progress_minutes(campaign, since=start, until=end)
        rows.append(
            CampaignDigestRow(
                title=campaign.title,
                url=reverse("campaign_detail", kwargs={"slug": campaign.slug}),
                hours_done=format_credits(done),
                target_hours=format_credits(campaign.target_minutes),
                hours_this_week=format_credits(this_week),
                minutes_done=done,
                target_minutes=campaign.target_minutes,
                minutes_this_week=this_week,
            )
        )
    return rows

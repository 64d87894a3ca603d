"""Campaigns' reads: progress, what takes part, who is new.

Progress is counted in one place, ``completed_exchanges``: the COMPLETED
exchanges on a campaign's listings, completed between its first day and the
end of its last (UTC). Each exchange is one row, found through ``listing_id IN
(the campaign's listings)``, so it counts once however it is linked.
"""

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from equitime.campaigns.models import Campaign, CampaignListing, CampaignSession, Welcome
from equitime.core.errors import DomainError, ErrorKind
from equitime.core.units import credits_figure
from equitime.exchanges.models import Exchange, Status, Thanks
from equitime.listings.models import Listing
from equitime.members.models import Member, Organisation
from equitime.members.selectors import members_listed
from equitime.scheduling.models import Session

RECENT_THANKS = 5
NEW_MEMBER_DAYS = 30


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def campaign_get(*, slug: str) -> Campaign:
    campaign = Campaign.objects.select_related("improvement_area").filter(slug=slug).first()
    if campaign is None:
        raise DomainError("No such campaign.", code="not_found", kind=ErrorKind.NOT_FOUND)
    return campaign


def campaigns_all() -> QuerySet[Campaign]:
    return Campaign.objects.select_related("improvement_area").order_by("-starts_on", "-id")


def campaigns_active(*, now: datetime | None = None) -> list[Campaign]:
    """The campaigns running today (UTC), soonest to end first, each with
    ``progress_minutes``."""
    today = (now or timezone.now()).astimezone(UTC).date()
    campaigns = list(
        Campaign.objects.select_related("improvement_area")
        .filter(starts_on__lte=today, ends_on__gte=today)
        .order_by("ends_on", "id")
    )
    return with_progress(campaigns)


def campaigns_running(*, now: datetime | None = None) -> list[Campaign]:
    """``campaigns_active`` without their progress: what a join control offers."""
    today = (now or timezone.now()).astimezone(UTC).date()
    return list(
        Campaign.objects.filter(starts_on__lte=today, ends_on__gte=today).order_by("title", "id")
    )


def completed_exchanges(
    campaign: Campaign, *, since: datetime | None = None, until: datetime | None = None
) -> QuerySet[Exchange]:
    """The exchanges that count towards the campaign (optionally only those
    completed in [since, until))."""
    start = _day_start(campaign.starts_on)
    end = _day_start(campaign.ends_on + timedelta(days=1))
    if since is not None:
        start = max(start, since)
    if until is not None:
        end = min(end, until)
    listing_ids = CampaignListing.objects.filter(campaign=campaign).values("listing_id")
    return Exchange.objects.filter(
        status=Status.COMPLETED,
        listing_id__in=listing_ids,
        completed_at__gte=start,
        completed_at__lt=end,
    )


def campaign_progress_minutes(
    campaign: Campaign, *, since: datetime | None = None, until: datetime | None = None
) -> int:
    total = completed_exchanges(campaign, since=since, until=until).aggregate(
        total=Sum("logged_minutes")
    )["total"]
    return int(total or 0)


def with_progress(campaigns: Iterable[Campaign]) -> list[Campaign]:
    """Set ``progress_minutes`` and ``progress_percent`` on each (one query
    per campaign: a handful are ever running at once)."""
    result = []
    for campaign in campaigns:
        minutes = campaign_progress_minutes(campaign)
        campaign.progress_minutes = minutes
        campaign.progress_hours = credits_figure(minutes)
        campaign.target_hours = credits_figure(campaign.target_minutes)
        campaign.progress_percent = min(100, minutes * 100 // campaign.target_minutes)
        result.append(campaign)
    return result


def campaign_listings(campaign: Campaign) -> list[CampaignListing]:
    """Its open offers and requests, featured first, newest next."""
    now = timezone.now()
    return list(
        CampaignListing.objects.filter(
            campaign=campaign, listing__status=Listing.Status.OPEN, listing__expires_at__gt=now
        )
        .select_related("listing", "listing__owner", "featured_by")
        .order_by("-featured", "-listing__created_at", "-id")
    )


def campaign_sessions(campaign: Campaign) -> list[CampaignSession]:
    """Its group sessions still to come."""
    return list(
        CampaignSession.objects.filter(
            campaign=campaign,
            session__status=Session.Status.SCHEDULED,
            session__starts_at__gte=timezone.now(),
        )
        .select_related("session", "session__organiser")
        .order_by("session__starts_at", "id")
    )


def campaign_participants(campaign: Campaign) -> tuple[int, list[str], list[str]]:
    """How many members' listings or group sessions joined the campaign, and
    the organisations and professions of those members (those who said)."""
    members = Member.objects.filter(
        Q(listings__campaign_links__campaign=campaign)
        | Q(sessions_organised__campaign_links__campaign=campaign)
    ).values("pk")
    count = Member.objects.filter(pk__in=members).count()
    organisations = sorted(
        set(
            Organisation.objects.filter(profiles__member__in=members).values_list("name", flat=True)
        )
    )
    professions = sorted(
        {
            profession
            for profession in Member.objects.filter(pk__in=members).values_list(
                "profile__profession", flat=True
            )
            if profession
        }
    )
    return count, organisations, professions


def campaign_thanks(campaign: Campaign) -> list[Thanks]:
    """Recent thanks on the exchanges that count, only those whose authors
    chose to show them (``Thanks.show_on_profile``: the same consent that
    puts them on the recipient's public profile)."""
    return list(
        Thanks.objects.filter(exchange__in=completed_exchanges(campaign), show_on_profile=True)
        .select_related("author", "recipient")
        .order_by("-created_at", "-id")[:RECENT_THANKS]
    )


def listing_campaign_links(listing: Listing) -> list[CampaignListing]:
    return list(
        CampaignListing.objects.filter(listing=listing)
        .select_related("campaign")
        .order_by("campaign__title")
    )


def session_campaign_links(session: Session) -> list[CampaignSession]:
    return list(
        CampaignSession.objects.filter(session=session)
        .select_related("campaign")
        .order_by("campaign__title")
    )


def members_new_without_exchange(*, now: datetime | None = None) -> QuerySet[Member]:
    """Members (as the directory lists them: not the accounts that run the
    service) who joined in the last 30 days and have not yet been part of any
    exchange, newest first, with their welcome if they had one."""
    since = (now or timezone.now()) - timedelta(days=NEW_MEMBER_DAYS)
    exchanged = Exchange.objects.filter(Q(provider=OuterRef("pk")) | Q(receiver=OuterRef("pk")))
    return (
        members_listed()
        .filter(date_joined__gte=since)
        .exclude(Exists(exchanged))
        .select_related("profile", "profile__organisation", "welcome", "welcome__ambassador")
        .order_by("-date_joined", "-id")
    )


def welcome_of(member: Member) -> Welcome | None:
    return Welcome.objects.filter(member=member).select_related("ambassador").first()

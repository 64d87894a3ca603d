"""The demo's campaigns and its ambassador.

Two campaigns run now, each with listings whose completed exchanges give it
progress, one listing featured by the ambassador, and one group session in
the first. The ambassador (a demo member given the role) has welcomed one new
member who has not yet exchanged. Everything goes through the services; a
second run finds each campaign by its title and leaves it as it is.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Q
from django.utils import timezone

from equitime.campaigns import services
from equitime.campaigns.models import Campaign, Welcome
from equitime.campaigns.selectors import members_new_without_exchange
from equitime.core.errors import DomainError
from equitime.exchanges.models import Status
from equitime.listings.models import Listing
from equitime.members import roles
from equitime.members.models import Member
from equitime.members.services import member_role_grant
from equitime.scheduling.models import Session
from equitime.skills.models import ImprovementArea

AMBASSADOR = "grace.mensah"


@dataclass(frozen=True)
class DemoCampaign:
    title: str
    area: str  # an improvement area's slug
    description: str
    target_hours: int
    started_days_ago: int
    days: int


CAMPAIGNS = (
    DemoCampaign(
        title="Reducing length of stay",
        area="productivity",
        description="Every day a patient spends in hospital without needing to is a day away "
        "from home. Share what you know about discharge planning, frailty and patient flow, "
        "or ask for help with your own project.",
        target_hours=20,
        started_days_ago=30,
        days=120,
    ),
    DemoCampaign(
        title="Net zero in clinics",
        area="sustainability",
        description="Greener care: fewer journeys, less waste, lower-carbon inhalers and "
        "anaesthetic gases. Offer an hour of your know-how or ask for someone else's.",
        target_hours=10,
        started_days_ago=14,
        days=90,
    ),
)


def demo_campaigns(people: dict[str, Member], skipped: list[str]) -> None:
    from equitime.demo.content.exchanges import ADMIN

    admin = people[ADMIN]
    ambassador = member_role_grant(member=people[AMBASSADOR], role=roles.AMBASSADOR, by=None)
    today = timezone.now().date()
    made = []
    for spec in CAMPAIGNS:
        if Campaign.objects.filter(title=spec.title).exists():
            continue
        starts_on = today - timedelta(days=spec.started_days_ago)
        made.append(
            services.campaign_create(
                by=admin,
                title=spec.title,
                description=spec.description,
                improvement_area=ImprovementArea.objects.get(slug=spec.area),
                starts_on=starts_on,
                ends_on=starts_on + timedelta(days=spec.days),
                target_hours=spec.target_hours,
            )
        )
    if not made:
        return
    _join_listings(made, ambassador, skipped)
    _join_a_group_session(made[0], skipped)
    _welcome_one(ambassador, skipped)


def _join_listings(campaigns: list[Campaign], ambassador: Member, skipped: list[str]) -> None:
    """Open listings with completed exchanges, dealt in turn to the campaigns
    (so both have progress), then one open listing without any to each."""
    open_listings = Listing.objects.filter(
        status=Listing.Status.OPEN, expires_at__gt=timezone.now()
    ).annotate(completed=Count("exchanges", filter=Q(exchanges__status=Status.COMPLETED)))
    with_progress = list(open_listings.filter(completed__gt=0).order_by("pk")[:6])
    without = list(open_listings.filter(completed=0).order_by("pk")[: len(campaigns)])
    for n, listing in enumerate(with_progress + without):
        campaign = campaigns[n % len(campaigns)]
        try:
            services.campaign_listing_join(campaign=campaign, listing=listing, member=listing.owner)
            if n == 0:
                services.campaign_listing_feature(
                    campaign=campaign, listing=listing, member=ambassador
                )
        except DomainError as error:
            skipped.append(f"campaign {campaign.title}: {listing.title}: {error.message}")


def _join_a_group_session(campaign: Campaign, skipped: list[str]) -> None:
    session = (
        Session.objects.filter(kind=Session.Kind.GROUP, status=Session.Status.SCHEDULED)
        .order_by("starts_at")
        .first()
    )
    if session is None:
        return
    try:
        services.campaign_session_join(campaign=campaign, session=session, member=session.organiser)
    except DomainError as error:
        skipped.append(f"campaign {campaign.title}: {session.title}: {error.message}")


def _welcome_one(ambassador: Member, skipped: list[str]) -> None:
    if Welcome.objects.filter(ambassador=ambassador).exists():
        return
    newcomer = (
        members_new_without_exchange()
        .exclude(pk=ambassador.pk)
        .order_by("date_joined", "pk")
        .first()
    )
    if newcomer is None:
        skipped.append("welcome: every demo member has already exchanged")
        return
    services.member_welcome(
        member=newcomer,
        ambassador=ambassador,
        message=f"Welcome to Equitime, {newcomer.display_name}! Tell me what you would like "
        "to learn or share and I will point you to people who can help.",
    )

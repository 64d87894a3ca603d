"""Who may create, join, feature and welcome, and what each refuses."""

from datetime import timedelta

import pytest
from django.utils import timezone

from equitime.audit.models import AuditEntry
from equitime.campaigns import services
from equitime.campaigns.models import CampaignListing, Welcome
from equitime.campaigns.tests.factories import administrator, ambassador
from equitime.campaigns.tests.factories import campaign as make_campaign
from equitime.core.errors import DomainError
from equitime.core.units import MINUTES_PER_CREDIT
from equitime.exchanges.models import Status
from equitime.exchanges.tests.factories import exchange_at
from equitime.listings.services import listing_pause
from equitime.listings.tests.factories import listing as make_listing
from equitime.members.models import Member
from equitime.members.tests.factories import make_member
from equitime.notifications.models import Notification
from equitime.scheduling.tests.factories import group_session
from equitime.skills.models import ImprovementArea

pytestmark = pytest.mark.django_db


def fields(**changes):
    today = timezone.now().date()
    return {
        "title": "Net zero in clinics",
        "description": "Greener clinics: fewer journeys, less waste.",
        "improvement_area": ImprovementArea.objects.get(slug="patient-safety"),
        "starts_on": today,
        "ends_on": today + timedelta(days=30),
        "target_hours": 50,
    } | changes


def code_of(call) -> str:
    with pytest.raises(DomainError) as caught:
        call()
    return caught.value.code


def test_an_administrator_creates_and_edits_a_campaign_audited():
    admin = administrator()
    campaign = services.campaign_create(by=admin, **fields())
    assert (campaign.slug, campaign.target_minutes) == (
        "net-zero-in-clinics",
        50 * MINUTES_PER_CREDIT,
    )
    services.campaign_update(
        campaign=campaign, by=admin, **fields(title="Net zero", target_hours=80)
    )
    campaign.refresh_from_db()
    assert (campaign.title, campaign.slug, campaign.target_minutes) == (
        "Net zero",
        "net-zero-in-clinics",  # links already shared keep working
        80 * MINUTES_PER_CREDIT,
    )
    assert AuditEntry.objects.filter(action="campaign_changed", actor=admin).count() == 2
    # A second campaign of the same title gets its own address.
    assert services.campaign_create(by=admin, **fields()).slug == "net-zero-in-clinics-2"


def test_members_and_ambassadors_cannot_create_campaigns():
    for member in (make_member(), ambassador()):
        assert code_of(lambda m=member: services.campaign_create(by=m, **fields())) == "forbidden"


def test_a_campaign_refuses_bad_dates_targets_and_money_talk():
    admin = administrator()
    today = timezone.now().date()
    bad_dates = fields(ends_on=today - timedelta(days=1))
    assert code_of(lambda: services.campaign_create(by=admin, **bad_dates)) == "ends_before_start"
    no_target = fields(target_hours=0)
    assert code_of(lambda: services.campaign_create(by=admin, **no_target)) == "target_out_of_range"
    paid = fields(description="We pay £20 an hour for your time.")
    with pytest.raises(DomainError):
        services.campaign_create(by=admin, **paid)


def test_only_the_owner_joins_an_open_listing_to_a_running_campaign():
    campaign = make_campaign()
    owner = make_member()
    offer = make_listing(owner)
    stranger = make_member()
    assert (
        code_of(
            lambda: services.campaign_listing_join(
                campaign=campaign, listing=offer, member=stranger
            )
        )
        == "forbidden"
    )
    services.campaign_listing_join(campaign=campaign, listing=offer, member=owner)
    assert (
        code_of(
            lambda: services.campaign_listing_join(campaign=campaign, listing=offer, member=owner)
        )
        == "already_joined"
    )
    coming = make_campaign(title="Later", starts_in_days=3)
    assert (
        code_of(
            lambda: services.campaign_listing_join(campaign=coming, listing=offer, member=owner)
        )
        == "campaign_not_running"
    )
    paused = listing_pause(listing=make_listing(owner), member=owner)
    assert (
        code_of(
            lambda: services.campaign_listing_join(campaign=campaign, listing=paused, member=owner)
        )
        == "listing_not_open"
    )


def test_the_organiser_joins_a_group_session():
    campaign = make_campaign()
    organiser = make_member()
    session = group_session(organiser)
    assert (
        code_of(
            lambda: services.campaign_session_join(
                campaign=campaign, session=session, member=make_member()
            )
        )
        == "forbidden"
    )
    services.campaign_session_join(campaign=campaign, session=session, member=organiser)
    services.campaign_session_leave(campaign=campaign, session=session, member=organiser)
    assert not campaign.session_links.exists()


def test_ambassadors_and_administrators_feature_members_do_not():
    campaign = make_campaign()
    owner = make_member()
    offer = make_listing(owner)
    services.campaign_listing_join(campaign=campaign, listing=offer, member=owner)
    assert (
        code_of(
            lambda: services.campaign_listing_feature(
                campaign=campaign, listing=offer, member=owner
            )
        )
        == "forbidden"
    )
    amb = ambassador()
    link = services.campaign_listing_feature(campaign=campaign, listing=offer, member=amb)
    assert (link.featured, link.featured_by) == (True, amb)
    services.campaign_listing_feature(
        campaign=campaign, listing=offer, member=administrator(), featured=False
    )
    assert not CampaignListing.objects.get(pk=link.pk).featured


def test_an_ambassador_welcomes_a_new_member_once():
    amb, other = ambassador(), ambassador(display_name="Bo Ambassador")
    newcomer = make_member(display_name="Nia New")
    welcome = services.member_welcome(member=newcomer, ambassador=amb, message="Welcome aboard!")
    notification = Notification.objects.get(recipient=newcomer, kind="welcome")
    assert "Amal Ambassador" in notification.message and "Welcome aboard!" in notification.message
    assert (
        code_of(
            lambda: services.member_welcome(member=newcomer, ambassador=other, message="Hello!")
        )
        == "already_welcomed"
    )
    assert Welcome.objects.get(member=newcomer) == welcome


def test_welcomes_are_refused_to_members_old_members_and_bad_words():
    amb = ambassador()
    newcomer = make_member()
    assert (
        code_of(
            lambda: services.member_welcome(member=newcomer, ambassador=make_member(), message="Hi")
        )
        == "forbidden"
    )
    old = make_member()
    Member.objects.filter(pk=old.pk).update(date_joined=timezone.now() - timedelta(days=31))
    old.refresh_from_db()
    assert (
        code_of(lambda: services.member_welcome(member=old, ambassador=amb, message="Hi"))
        == "not_new"
    )
    with pytest.raises(DomainError):
        services.member_welcome(member=newcomer, ambassador=amb, message="I'll pay you £10 a go")
    assert code_of(lambda: services.member_welcome(member=amb, ambassador=amb, message="Hi")) in {
        "own_welcome",
        "not_new",
    }
    assert not Welcome.objects.exists()


def test_the_welcome_page_lists_new_members_without_an_exchange():
    from equitime.campaigns.selectors import members_new_without_exchange

    quiet = make_member(display_name="Quiet Newcomer")
    staff = make_member(display_name="Site administrator")
    Member.objects.filter(pk=staff.pk).update(is_staff=True)
    exchange = exchange_at(Status.PROPOSED)
    listed = set(members_new_without_exchange())
    assert quiet in listed and staff not in listed
    assert exchange.provider not in listed and exchange.receiver not in listed

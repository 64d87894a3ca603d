"""The campaigns' pages: wiring and who may do what (owner, another member,
an ambassador, an administrator, nobody)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from equitime.campaigns import services
from equitime.campaigns.digest import campaigns_section
from equitime.campaigns.models import Campaign, CampaignListing, CampaignSession, Welcome
from equitime.campaigns.tests.factories import administrator, ambassador
from equitime.campaigns.tests.factories import campaign as make_campaign
from equitime.exchanges.models import Status
from equitime.exchanges.services import thanks_give
from equitime.exchanges.tests.factories import exchange_at
from equitime.listings.models import Listing
from equitime.listings.tests.factories import listing as make_listing
from equitime.members.tests.factories import make_member
from equitime.scheduling.tests.factories import group_session
from equitime.skills.models import ImprovementArea

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(db):
    return make_campaign()


def form(**changes):
    today = timezone.now().date()
    return {
        "title": "Inclusion in research",
        "description": "Widen who takes part in research.",
        "improvement_area": ImprovementArea.objects.get(slug="patient-safety").pk,
        "starts_on": today.isoformat(),
        "ends_on": (today + timedelta(days=30)).isoformat(),
        "target_hours": "40",
    } | changes


def test_an_administrator_creates_a_campaign_from_the_page(client):
    client.force_login(administrator())
    response = client.post(reverse("campaign_create"), form())
    campaign = Campaign.objects.get()
    assert response.url == reverse("campaign_detail", args=[campaign.slug])
    page = client.get(response.url).content.decode()
    assert "Inclusion in research" in page and "0 of 40 hours" in page


def test_the_form_shows_a_refusal_beside_its_field(client):
    client.force_login(administrator())
    yesterday = (timezone.now().date() - timedelta(days=1)).isoformat()
    response = client.post(reverse("campaign_create"), form(ends_on=yesterday))
    assert response.status_code == 200
    assert "The last day must be on or after the first day." in response.content.decode()
    assert not Campaign.objects.exists()


@pytest.mark.parametrize("who", ["member", "ambassador"])
def test_campaign_forms_are_for_administrators(client, campaign, who):
    client.force_login(make_member() if who == "member" else ambassador())
    assert client.get(reverse("campaign_create")).status_code == 403
    assert client.post(reverse("campaign_create"), form()).status_code == 403
    edit = reverse("campaign_edit", args=[campaign.slug])
    assert client.post(edit, form(title="Changed")).status_code == 403
    assert Campaign.objects.get().title == "Reducing length of stay"


def test_an_administrator_edits_a_campaign(client, campaign):
    client.force_login(administrator(display_name="Other Admin"))
    edit = reverse("campaign_edit", args=[campaign.slug])
    assert client.get(edit).status_code == 200
    client.post(edit, form(title="Shorter stays"))
    assert Campaign.objects.get().title == "Shorter stays"


def test_pages_need_signing_in(client, campaign):
    for url in (
        reverse("campaign_list"),
        reverse("campaign_detail", args=[campaign.slug]),
        reverse("campaign_welcome_list"),
    ):
        assert client.get(url).url.startswith(reverse("account_login"))


def test_the_campaign_page_shows_progress_listings_participants_and_shared_thanks(client, campaign):
    owner = make_member(display_name="Olu Owner")
    offer = make_listing(owner, title="Discharge checklists")
    request = make_listing(owner, Listing.Kind.REQUEST, title="Help with flow data")
    services.campaign_listing_join(campaign=campaign, listing=offer, member=owner)
    services.campaign_listing_join(campaign=campaign, listing=request, member=owner)
    services.campaign_listing_feature(
        campaign=campaign, listing=request, member=ambassador(), featured=True
    )
    shared = exchange_at(Status.COMPLETED, listing=offer, minutes=90)
    private = exchange_at(Status.COMPLETED, listing=offer, minutes=60)
    thanks_give(
        exchange=shared, member=shared.receiver, message="Our discharges got quicker.", impact=""
    )
    thanks_give(
        exchange=private,
        member=private.receiver,
        message="Just between us.",
        impact="",
        show_on_profile=False,
    )
    client.force_login(make_member())
    page = client.get(reverse("campaign_detail", args=[campaign.slug])).content.decode()
    assert "2.5 of 100 hours" in page
    assert 'max="6000" value="150"' in page
    assert "Discharge checklists" in page and "Help with flow data" in page
    assert "Featured" in page
    assert "1 member has added a listing or session." in page
    assert "Our discharges got quicker." in page
    assert "Just between us." not in page


def test_the_owner_adds_and_takes_out_a_listing_from_the_listing_page(client, campaign):
    owner = make_member()
    offer = make_listing(owner)
    client.force_login(owner)
    page = client.get(reverse("listing_detail", args=[offer.pk])).content.decode()
    assert "Add to a running campaign" in page and campaign.title in page
    response = client.post(
        reverse("campaign_join"), {"campaign": campaign.slug, "listing": offer.pk}
    )
    assert response.url == reverse("listing_detail", args=[offer.pk])
    assert CampaignListing.objects.filter(campaign=campaign, listing=offer).exists()
    client.post(reverse("campaign_leave", args=[campaign.slug]), {"listing": offer.pk})
    assert not CampaignListing.objects.exists()


def test_another_member_cannot_add_someone_elses_listing(client, campaign):
    offer = make_listing(make_member())
    client.force_login(make_member())
    page = client.get(reverse("listing_detail", args=[offer.pk])).content.decode()
    assert "Add to a running campaign" not in page
    response = client.post(
        reverse("campaign_join"), {"campaign": campaign.slug, "listing": offer.pk}
    )
    assert response.status_code == 403
    assert not CampaignListing.objects.exists()


def test_the_listing_page_offers_what_the_service_allows(client, campaign):
    """An administrator may take any listing out (the service says so), so the
    page shows them "Take out" but not the owner's "Add"; a stranger sees neither."""
    offer = make_listing(make_member())
    services.campaign_listing_join(campaign=campaign, listing=offer, member=offer.owner)
    url = reverse("listing_detail", args=[offer.pk])

    client.force_login(administrator())
    page = client.get(url).content.decode()
    assert "Take out" in page and "Add to a running campaign" not in page

    client.force_login(make_member())
    page = client.get(url).content.decode()
    assert "Take out" not in page and "Add to a running campaign" not in page


def test_the_organiser_adds_a_group_session_from_its_page(client, campaign):
    organiser = make_member()
    session = group_session(organiser)
    client.force_login(organiser)
    page = client.get(reverse("group_session_detail", args=[session.pk])).content.decode()
    assert "Add to a running campaign" in page
    client.post(reverse("campaign_join"), {"campaign": campaign.slug, "session": session.pk})
    assert CampaignSession.objects.filter(campaign=campaign, session=session).exists()


def test_featuring_is_for_ambassadors(client, campaign):
    owner = make_member()
    offer = make_listing(owner)
    services.campaign_listing_join(campaign=campaign, listing=offer, member=owner)
    url = reverse("campaign_feature", args=[campaign.slug])
    client.force_login(owner)
    assert client.post(url, {"listing": offer.pk}).status_code == 403
    client.force_login(ambassador())
    client.post(url, {"listing": offer.pk, "from": "campaign"})
    assert CampaignListing.objects.get().featured


def test_the_welcome_page_welcomes_once_and_says_by_whom(client):
    amb = ambassador(display_name="Amal Ambassador")
    newcomer = make_member(display_name="Nia New")
    client.force_login(amb)
    page = client.get(reverse("campaign_welcome_list")).content.decode()
    assert "Nia New" in page and "Send a welcome" in page
    client.post(reverse("member_welcome", args=[newcomer.pk]), {"message": "Welcome, Nia!"})
    assert Welcome.objects.get(member=newcomer).ambassador == amb
    page = client.get(reverse("campaign_welcome_list")).content.decode()
    assert "Welcomed by Amal Ambassador" in page


def test_the_welcome_page_is_for_ambassadors(client):
    newcomer = make_member()
    client.force_login(make_member())
    assert client.get(reverse("campaign_welcome_list")).status_code == 403
    response = client.post(reverse("member_welcome", args=[newcomer.pk]), {"message": "Hi"})
    assert response.status_code == 403
    assert not Welcome.objects.exists()


def test_the_account_menu_links_ambassadors_to_the_welcome_page(client):
    client.force_login(ambassador())
    page = client.get(reverse("campaign_list")).content.decode()
    assert reverse("campaign_welcome_list") in page
    client.force_login(make_member())
    page = client.get(reverse("campaign_list")).content.decode()
    assert reverse("campaign_welcome_list") not in page


def test_dashboard_and_home_feature_running_campaigns(client, campaign, no_page_cache):
    offer = make_listing(make_member())
    services.campaign_listing_join(campaign=campaign, listing=offer, member=offer.owner)
    home = client.get(reverse("home")).content.decode()
    assert "Reducing length of stay" in home and "0 of 100 hours" in home
    # Progress is among the home page's figures: the visit that finds them
    # stale queues their refresh (at once under the tests), the next shows it.
    exchange_at(Status.COMPLETED, listing=offer, minutes=60)
    client.get(reverse("home"))
    assert "1 of 100 hours" in client.get(reverse("home")).content.decode()
    client.force_login(make_member())
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert "Campaigns running now" in dashboard and "1 of 100 hours" in dashboard


def test_the_digest_section_gives_plain_figures(campaign):
    offer = make_listing(make_member())
    services.campaign_listing_join(campaign=campaign, listing=offer, member=offer.owner)
    exchange_at(Status.COMPLETED, listing=offer, minutes=90)
    week_start = timezone.now() - timedelta(days=3)
    [row] = campaigns_section(make_member(), (week_start, week_start + timedelta(days=7)))
    assert (row.title, row.hours_done, row.target_hours, row.hours_this_week) == (
        "Reducing length of stay",
        "1.5",
        "100",
        "1.5",
    )
    assert row.url == reverse("campaign_detail", args=[campaign.slug])
    last_week = week_start - timedelta(days=7)
    [row] = campaigns_section(make_member(), (last_week, week_start))
    assert row.minutes_this_week == 0 and row.minutes_done == 90


def test_an_administrator_appoints_an_ambassador_from_a_profile(client):
    member = make_member(display_name="Grace Mensah")
    client.force_login(administrator())
    url = reverse("member_roles", args=[member.pk])
    client.post(url, {"role": "ambassador", "change": "grant"})
    member.refresh_from_db()
    assert member.has_perm("campaigns.welcome_members")
    assert member.has_perm("campaigns.feature_listing")
    assert not member.has_perm("campaigns.add_campaign")

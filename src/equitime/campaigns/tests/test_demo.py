"""The demo's two campaigns have progress, a featured listing, one a drawn
image, and an ambassador who has welcomed a new member; running it again adds
nothing."""

import io

import pytest
from django.core.management import call_command
from django.test import override_settings

from equitime.campaigns.models import Campaign, CampaignListing, CampaignSession, Welcome
from equitime.campaigns.selectors import campaign_progress_minutes
from equitime.members import roles

pytestmark = pytest.mark.django_db


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
def test_the_demo_has_two_campaigns_with_progress_and_an_ambassador():
    call_command("demo", stdout=io.StringIO())
    campaigns = {c.title: c for c in Campaign.objects.all()}
    assert set(campaigns) == {"Reducing length of stay", "Net zero in clinics"}
    for campaign in campaigns.values():
        assert campaign_progress_minutes(campaign) > 0, campaign.title
    assert CampaignListing.objects.filter(featured=True).count() == 1
    assert CampaignSession.objects.count() == 1
    pictured = campaigns["Net zero in clinics"]
    assert pictured.image and pictured.image_alt.startswith("Drawing of a small clinic")
    assert (pictured.image_width, pictured.image_height) == (1200, 400)
    assert not campaigns["Reducing length of stay"].image
    welcome = Welcome.objects.select_related("ambassador").get()
    assert roles.AMBASSADOR in roles.member_roles(welcome.ambassador)

    counts = (CampaignListing.objects.count(), Welcome.objects.count())
    call_command("demo", stdout=io.StringIO())
    assert Campaign.objects.count() == 2
    assert Campaign.objects.get(pk=pictured.pk).image.name == pictured.image.name
    assert (CampaignListing.objects.count(), Welcome.objects.count()) == counts

"""What campaigns hold about a member is in their export, and erasure takes
their welcome and their words."""

import io
import json
import zipfile

import pytest

from equitime.campaigns import services
from equitime.campaigns.models import Campaign, Welcome
from equitime.campaigns.tests.factories import ambassador
from equitime.campaigns.tests.factories import campaign as make_campaign
from equitime.listings.tests.factories import listing as make_listing
from equitime.members.tests.factories import make_member
from equitime.privacy.services import member_data_export, member_erase

pytestmark = pytest.mark.django_db


def exported(member) -> dict:
    with zipfile.ZipFile(io.BytesIO(member_data_export(member=member))) as archive:
        return json.loads(archive.read("equitime-data/campaigns.json"))


def test_the_export_holds_joined_listings_and_welcomes_both_ways():
    campaign = make_campaign()
    owner = make_member(display_name="Olu Owner")
    offer = make_listing(owner)
    services.campaign_listing_join(campaign=campaign, listing=offer, member=owner)
    amb = ambassador(display_name="Amal Ambassador")
    services.member_welcome(member=owner, ambassador=amb, message="Welcome, Olu!")

    mine = exported(owner)
    assert mine["listings_joined"][0]["listing_id"] == offer.pk
    assert mine["welcome_received"]["message"] == "Welcome, Olu!"
    assert mine["welcome_received"]["from"] == "Amal Ambassador"
    theirs = exported(amb)
    assert [w["message"] for w in theirs["welcomes_sent"]] == ["Welcome, Olu!"]


def test_erasure_removes_the_welcome_received_and_the_words_written():
    amb = ambassador()
    first, second = make_member(), make_member()
    services.member_welcome(member=first, ambassador=amb, message="Welcome, first!")
    services.member_welcome(member=second, ambassador=amb, message="Welcome, second!")

    member_erase(member=first)
    assert not Welcome.objects.filter(member=first).exists()
    member_erase(member=amb)
    assert Welcome.objects.get(member=second).message == "[removed]"


def test_a_campaign_stays_after_its_administrator_is_erased():
    campaign = make_campaign()
    member_erase(member=campaign.created_by)
    assert Campaign.objects.get(pk=campaign.pk).title == "Reducing length of stay"


def test_a_campaigns_image_stays_after_its_administrator_is_erased(
    django_capture_on_commit_callbacks,
):
    """The image is the administrator's upload for the community, like the texts."""
    from equitime.campaigns.tests.factories import image_upload

    campaign = make_campaign(image=image_upload(), image_alt="A ward's day room")
    with django_capture_on_commit_callbacks(execute=True):
        member_erase(member=campaign.created_by)
    kept = Campaign.objects.get(pk=campaign.pk)
    assert kept.image.name == campaign.image.name and kept.image.storage.exists(
        kept.image.name or ""
    )
    assert kept.image_alt == "A ward's day room"

"""A campaign in the browser: its owner adds an offer from the offer's page,
an ambassador features it from the campaign page, and the campaign page
shows the progress of a completed exchange as a bar and in words. Scanned by
axe and kept as screenshots at desktop and phone widths; the ambassadors'
welcome page too."""

import pytest
from playwright.sync_api import expect

from equitime.browser_tests.support import artefact, assert_no_axe_violations
from equitime.campaigns.models import CampaignListing
from equitime.campaigns.tests.factories import ambassador
from equitime.campaigns.tests.factories import campaign as make_campaign
from equitime.exchanges.models import Status
from equitime.exchanges.services import thanks_give
from equitime.exchanges.tests.factories import exchange_at
from equitime.listings.tests.factories import listing as make_listing
from equitime.members.tests.factories import make_member

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def test_a_campaign_from_joining_to_progress(new_page):
    campaign = make_campaign(title="Reducing length of stay", target_hours=10)
    owner = make_member(display_name="Olu Owner")
    offer = make_listing(owner, title="Discharge planning checklists")

    page = new_page(as_member=owner, viewport=PHONE)
    page.goto(f"/listings/{offer.pk}/")
    page.screenshot(path=artefact("campaigns", "390", "listing.png"), full_page=True)
    assert_no_axe_violations(page, "listing page with its campaigns at 390")
    page.get_by_label("Add to a running campaign").select_option(label=campaign.title)
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.get_by_test_id("campaigns-joined")).to_contain_text(campaign.title)
    assert CampaignListing.objects.filter(campaign=campaign, listing=offer).exists()

    exchange = exchange_at(Status.COMPLETED, listing=offer, minutes=90)
    thanks_give(
        exchange=exchange,
        member=exchange.receiver,
        message="Our ward's discharges before noon doubled.",
        impact="Beds free earlier in the day.",
    )

    amb = ambassador(display_name="Amal Ambassador")
    page = new_page(as_member=amb, viewport=DESKTOP)
    page.goto(f"/campaigns/{campaign.slug}/")
    page.get_by_role("button", name=f"Feature {offer.title}").click()
    expect(page.get_by_test_id("featured")).to_be_visible()

    for viewport, width in ((DESKTOP, "1280"), (PHONE, "390")):
        page = new_page(as_member=make_member(), viewport=viewport)
        page.goto(f"/campaigns/{campaign.slug}/")
        expect(page.get_by_role("heading", level=1)).to_have_text(campaign.title)
        expect(page.get_by_test_id("campaign-progress")).to_have_text("1.5 of 10 hours")
        bar = page.get_by_role("progressbar", name="1.5 of 10 hours")
        expect(bar).to_have_attribute("value", "90")
        expect(page.get_by_test_id("campaign-thanks")).to_contain_text("before noon doubled")
        page.screenshot(path=artefact("campaigns", width, "campaign.png"), full_page=True)
        assert_no_axe_violations(page, f"campaign page at {width}")

        page.goto("/campaigns/")
        page.screenshot(path=artefact("campaigns", width, "list.png"), full_page=True)
        assert_no_axe_violations(page, f"campaigns list at {width}")


def test_the_welcome_page_for_ambassadors(new_page):
    make_member(display_name="Nia Newcomer")
    amb = ambassador(display_name="Amal Ambassador")
    for viewport, width in ((DESKTOP, "1280"), (PHONE, "390")):
        page = new_page(as_member=amb, viewport=viewport)
        page.goto("/campaigns/welcome/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Welcome new members")
        page.screenshot(path=artefact("campaigns", width, "welcome.png"), full_page=True)
        assert_no_axe_violations(page, f"welcome page at {width}")
    page.get_by_role("button", name="Send a welcome to Nia Newcomer").click()
    expect(page.get_by_test_id("welcomed")).to_have_text("Welcomed by Amal Ambassador")

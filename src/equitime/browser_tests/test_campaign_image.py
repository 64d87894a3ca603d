"""A campaign's image in the browser: an administrator uploads one with its
description on the edit page, and the campaign page and list show it (loaded,
with its alt text and size) at desktop and phone widths, scanned by axe."""

import pytest
from playwright.sync_api import expect

from equitime.browser_tests.support import artefact, assert_no_axe_violations
from equitime.campaigns.models import Campaign
from equitime.campaigns.tests.factories import administrator, image_bytes
from equitime.campaigns.tests.factories import campaign as make_campaign
from equitime.members.tests.factories import make_member

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
ALT = "A clear blue sky over the clinic"


def test_an_administrator_adds_an_image_and_members_see_it(new_page, tmp_path):
    campaign = make_campaign(title="Net zero in clinics", target_hours=10)
    picture = tmp_path / "IMG_2024 ward roof.png"
    picture.write_bytes(image_bytes("PNG", (1200, 400)))

    page = new_page(as_member=administrator(), viewport=DESKTOP)
    page.goto(f"/campaigns/{campaign.slug}/edit/")
    page.get_by_role("button", name="Image (optional)").set_input_files(str(picture))
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("Describe the image")
    page.screenshot(path=artefact("campaigns", "1280", "image-error.png"), full_page=True)
    assert_no_axe_violations(page, "campaign form with an image error")
    assert not Campaign.objects.get().image

    page.get_by_role("button", name="Image (optional)").set_input_files(str(picture))
    page.get_by_role("textbox", name="Describe the image").fill(ALT)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(campaign.title)
    assert Campaign.objects.get().image

    for viewport, width in ((DESKTOP, "1280"), (PHONE, "390")):
        page = new_page(as_member=make_member(), viewport=viewport)
        page.goto(f"/campaigns/{campaign.slug}/")
        image = page.get_by_role("img", name=ALT)
        expect(image).to_be_visible()
        expect(image).to_have_attribute("width", "1200")
        assert image.evaluate("img => img.complete && img.naturalWidth") == 1200
        box = image.bounding_box()
        assert box is not None and box["width"] <= viewport["width"]
        page.screenshot(path=artefact("campaigns", width, "campaign-image.png"), full_page=True)
        assert_no_axe_violations(page, f"campaign page with its image at {width}")

        page.goto("/campaigns/")
        expect(page.get_by_role("img", name=ALT)).to_be_visible()
        page.screenshot(path=artefact("campaigns", width, "list-image.png"), full_page=True)
        assert_no_axe_violations(page, f"campaigns list with an image at {width}")

"""The collaboration network as a community administrator and a lead use it,
by keyboard: the period chosen in the filter form, the measures in words, the
picture with its text alternative, the tables and their downloads; on a wide
screen and a phone, with nothing axe objects to."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from equitime.browser_tests.support import artefact, assert_no_axe_violations
from equitime.impact.links import links_rebuild
from equitime.impact.tests.network_factories import (
    administrator,
    exchanged,
    lead_of,
    month,
    organisation,
    staff,
)
from equitime.members.models import Organisation

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SIZES = {"1280": {"width": 1280, "height": 900}, "390": {"width": 390, "height": 844}}


@pytest.fixture
def community():
    trust = organisation("Northshire Teaching Hospitals NHS Foundation Trust")
    council = organisation("Calder City Council", Organisation.Kind.LOCAL_AUTHORITY)
    charity = organisation("Carers Together", Organisation.Kind.CHARITY)
    organisation("University of Ashworth", Organisation.Kind.UNIVERSITY)
    nurses = staff(trust, 3, "Nurse")
    officers = staff(council, 2, "Officer")
    carers = staff(charity, 1, "Carer")
    staff(Organisation.objects.get(name="University of Ashworth"), 1, "Lecturer")
    exchanged(nurses[0], officers[0], 60, at=month(2026, 2))
    exchanged(officers[1], nurses[1], 90, at=month(2026, 2))
    exchanged(nurses[2], officers[0], 30, at=month(2026, 2))
    exchanged(carers[0], nurses[0], 45, at=month(2026, 3))
    links_rebuild(now=timezone.now())
    admin = administrator()
    return {"admin": admin, "lead": lead_of(charity, by=admin)}


@pytest.mark.parametrize("size", list(SIZES))
def test_an_administrator_reads_the_network_by_keyboard(size, community, new_page):
    page = new_page(as_member=community["admin"], viewport=SIZES[size])
    page.goto("/impact/network/")
    expect(page.get_by_role("heading", name="Collaboration network", level=1)).to_be_visible()

    page.get_by_label("From (optional)", exact=True).fill("2026-01")
    page.get_by_label("To (optional)", exact=True).fill("2026-06")
    page.get_by_role("button", name="Show the network").focus()
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", name="In words: January 2026 to June 2026")).to_be_visible()
    words = page.get_by_test_id("network-words")
    expect(words).to_contain_text(
        "Northshire Teaching Hospitals NHS Foundation Trust is the strongest bridge"
    )
    picture = page.get_by_role("img", name="Collaboration network, January 2026 to June 2026")
    expect(picture).to_be_visible()
    description = page.locator("#network-desc")
    expect(description).to_contain_text("3 of 4 organisations exchanged hours")
    expect(page.get_by_test_id("network-isolated")).to_contain_text("University of Ashworth")
    links = page.get_by_test_id("network-links")
    expect(links).to_contain_text("withheld (fewer than 5 members)")
    expect(links).to_contain_text("3 hours")
    # The picture's region scrolls on a phone: it takes the keyboard's focus.
    region = page.get_by_role("region", name="Picture of the network")
    region.focus()
    expect(region).to_be_focused()
    assert_no_axe_violations(page, f"network page, {size} px")
    page.screenshot(path=artefact("impact-network", size, "01-community.png"), full_page=True)

    with page.expect_download() as download:
        page.get_by_role("link", name="Download as CSV").first.click()
    assert download.value.suggested_filename == ("network-organisations-2026-01-to-2026-06.csv")


@pytest.mark.parametrize("size", list(SIZES))
def test_a_lead_sees_their_organisations_neighbourhood(size, community, new_page):
    page = new_page(as_member=community["lead"], viewport=SIZES[size])
    page.goto("/impact/network/?first=2026-01&last=2026-06")

    expect(page.get_by_label("Organisation", exact=True)).to_have_value(
        str(Organisation.objects.get(name="Carers Together").pk)
    )
    expect(
        page.get_by_role("img", name="Carers Together and its partners, January 2026 to June 2026")
    ).to_be_visible()
    expect(page.get_by_test_id("network-words")).to_contain_text(
        "Carers Together exchanged hours with 1 partner organisation"
    )
    expect(page.get_by_test_id("network-organisations")).not_to_contain_text("Calder City Council")
    assert_no_axe_violations(page, f"a lead's network page, {size} px")
    page.screenshot(path=artefact("impact-network", size, "02-lead.png"), full_page=True)

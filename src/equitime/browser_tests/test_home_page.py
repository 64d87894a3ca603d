"""The front door as a visitor sees it (issue 15): the band of figures with
their words, a withheld figure said in words, at desktop and phone widths,
scanned by axe and kept as screenshots."""

import pytest
from playwright.sync_api import expect

from equitime.browser_tests.support import artefact, assert_no_axe_violations
from equitime.core.units import MINUTES_PER_CREDIT
from equitime.exchanges.models import Status
from equitime.exchanges.tests.factories import exchange_at
from equitime.ledger.tests.factories import earn
from equitime.listings.tests.factories import listing as make_listing
from equitime.members.tests.factories import OrganisationFactory, make_member

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def test_the_home_page_shows_the_community_in_words_and_figures(new_page):
    trust = OrganisationFactory(name="Northfield NHS Trust", country="GB")
    partner = OrganisationFactory(name="Liffey Partnership", country="IE")
    giver = make_member(organisation=trust, country="GB")
    offer = make_listing(giver, title="Run charts for your ward")
    for n in range(5):
        taker = make_member(organisation=partner if n % 2 else trust, country="IE")
        earn(taker, MINUTES_PER_CREDIT)
        exchange_at(Status.COMPLETED, listing=offer, receiver=taker, minutes=60)

    for viewport, width in ((DESKTOP, "1280"), (PHONE, "390")):
        page = new_page(viewport=viewport)
        page.goto("/")
        band = page.get_by_role("region", name="The community today")
        expect(band).to_be_visible()
        expect(page.get_by_test_id("members")).to_have_text("6")
        expect(page.get_by_test_id("countries")).to_have_text("2")
        expect(page.get_by_test_id("hours")).to_have_text("5")
        expect(page.get_by_test_id("across")).to_have_text("40%")
        expect(band).to_contain_text("of all hours went from one organisation to another")
        page.screenshot(path=artefact("home", width, "home.png"), full_page=True)
        assert_no_axe_violations(page, f"home page at {width}")


def test_a_withheld_figure_is_said_in_words(new_page):
    make_member()
    page = new_page(viewport=PHONE)
    page.goto("/")
    expect(page.get_by_test_id("members")).to_have_text("Withheld")
    expect(page.get_by_text("A figure about fewer than 5 members is withheld")).to_be_visible()
    page.screenshot(path=artefact("home", "390", "withheld.png"), full_page=True)
    assert_no_axe_violations(page, "home page with withheld figures at 390")

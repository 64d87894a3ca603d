"""A new member's first week, walked through the pages at a desk and on a phone.

Amina and Ben sign up, confirm their addresses and fill in their profiles;
Amina posts an offer, Ben finds it, they exchange an hour and Ben thanks her;
then Amina gives Ben some of what she earned, choosing him by name (from his
profile, and by typing in the picker). It is walked twice:
at 1280 px, a desktop, and at 390 px, a phone.

On every page the walk reaches, axe-core must find nothing at all (any
impact, not only serious ones) and the browser must log no console error
(the fixtures fail any browser test on one). Each page is photographed into
``build/test-artefacts/first-week/<width>/`` (``EQUITIME_ARTEFACTS`` moves
it), which the test run keeps: CI and a reviewer can look at what a member
saw without running the walk again.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from equitime.browser_tests.support import artefact_folder, assert_no_axe_violations
from equitime.browser_tests.support import sign_up as sign_up_and_confirm
from equitime.exchanges.models import Exchange
from equitime.ledger.verify import verify_ledger

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TITLE = "Kaplan-Meier survival curves in R"
VIEWPORTS = {
    "desktop": {"width": 1280, "height": 800},
    "phone": {"width": 390, "height": 844},
}


class Walk:
    """What the walk checks and keeps on each page it reaches."""

    def __init__(self, width: int):
        self.folder = artefact_folder("first-week", str(width))
        for old in self.folder.glob("*.png"):  # an earlier run's, not this one's
            old.unlink()
        self.width = width
        self.step = 0

    def look(self, page: Page, name: str) -> None:
        """Photograph the page and scan it: no violation of any impact, and
        nothing wider than the window."""
        page.wait_for_load_state("networkidle")
        self.step += 1
        page.screenshot(path=self.folder / f"{self.step:02d}-{name}.png", full_page=True)
        assert_no_axe_violations(page, f"{name} ({page.url}) at {self.width}px")
        scroll = page.evaluate("() => document.documentElement.scrollWidth")
        assert scroll <= self.width, f"{name} scrolls sideways at {self.width}px ({scroll}px)"


def sign_up(page: Page, walk: Walk, *, name: str, email: str) -> None:
    sign_up_and_confirm(
        page,
        name=name,
        email=email,
        look=lambda p: walk.look(p, f"sign-up-{name.split()[-1].lower()}"),
    )
    expect(page.get_by_test_id("available")).to_have_text("2 credits")


def open_nav_link(page: Page, name: str) -> None:
    """Follow a link of the site's navigation, opening the menu first where a
    phone folds it away."""
    nav = page.get_by_role("navigation", name="Main")
    link = nav.get_by_role("link", name=name, exact=True)
    if not link.is_visible():
        nav.get_by_text("Menu", exact=True).click()
    link.click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()


@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_a_new_members_first_week(device, new_page):
    viewport = VIEWPORTS[device]
    walk = Walk(viewport["width"])
    amina = new_page(viewport=viewport)
    ben = new_page(viewport=viewport)

    amina.goto("/")
    walk.look(amina, "home")

    # Monday: both join and confirm their addresses.
    sign_up(amina, walk, name="Dr Amina Okafor", email="amina@example.nhs.uk")
    walk.look(amina, "dashboard-new")
    sign_up(ben, walk, name="Ben Carter", email="ben@example.org")

    # Amina fills in her profile.
    amina.goto("/profile/edit/")
    walk.look(amina, "profile-edit")
    amina.get_by_label("Profession").fill("Medical statistician")
    amina.get_by_label("About me").fill("I help teams turn their data into evidence.")
    amina.get_by_role("button", name="Save profile").click()
    expect(amina.get_by_role("heading", level=1)).to_have_text("Dr Amina Okafor")
    walk.look(amina, "profile")

    # Tuesday: Amina posts an offer.
    amina.goto("/dashboard/")
    amina.get_by_role("link", name="Post an offer").click()
    walk.look(amina, "offer-form")
    amina.get_by_label("Title").fill(TITLE)
    amina.get_by_label("Description").fill(
        "I can walk you through Kaplan-Meier curves and Cox models, with your own data."
    )
    amina.get_by_label("Improvement area").select_option(label="Clinical effectiveness")
    amina.get_by_label("How it helps health and care").fill(
        "Better evidence on readmissions for the frailty team."
    )
    choose_skill(amina, "Survival analysis")
    amina.get_by_label("Estimated time (hours)").fill("1")
    amina.get_by_label("Format", exact=True).select_option(label="Remote")
    amina.get_by_role("button", name="Publish").click()
    expect(amina.get_by_role("heading", level=1)).to_have_text(TITLE)
    walk.look(amina, "offer")

    # Wednesday: Ben finds it and proposes to take it up.
    open_nav_link(ben, "Offers and requests")
    walk.look(ben, "listings")
    search = ben.get_by_role("searchbox", name="Search")
    search.fill("kaplan")
    search.press("Enter")
    results = ben.get_by_role("region", name="Results")
    expect(results.get_by_role("status")).to_have_text(re.compile(r"^1 open listing found"))
    walk.look(ben, "search-results")
    results.get_by_role("link", name=TITLE).click()
    walk.look(ben, "listing")
    ben.get_by_label("Hours").fill("1")
    ben.get_by_label("Message").fill("Could we look at our readmission data together?")
    ben.get_by_role("button", name="Send proposal").click()
    expect(ben.get_by_test_id("status")).to_have_text("Proposed")
    walk.look(ben, "exchange-proposed")
    exchange_url = ben.url

    # Thursday: Amina accepts, gives the hour and logs it.
    amina.goto("/dashboard/")
    amina.get_by_role("region", name="Waiting for you").get_by_role("link", name=TITLE).click()
    amina.get_by_role("button", name="Accept").click()
    expect(amina.get_by_test_id("status")).to_have_text("Accepted")
    walk.look(amina, "exchange-accepted")
    amina.get_by_label("Hours you gave").fill("1")
    amina.get_by_role("button", name="Log the hours given").click()
    expect(amina.get_by_test_id("status")).to_have_text("Hours logged")

    # Friday: Ben confirms and thanks her.
    ben.goto(exchange_url)
    ben.get_by_role("button", name="Confirm").click()
    expect(ben.get_by_test_id("status")).to_have_text("Completed")
    ben.get_by_label("Your thanks").fill("Clear, patient and practical.")
    ben.get_by_label("Impact on health and care").fill(
        "We now report readmissions with confidence intervals."
    )
    ben.get_by_role("button", name="Leave thanks").click()
    expect(ben.get_by_text("Clear, patient and practical.")).to_be_visible()
    walk.look(ben, "exchange-thanked")

    # Saturday: Amina gives Ben half a credit of what she earned, choosing
    # him by name: once from the directory and his profile, once by typing.
    open_nav_link(amina, "Members")
    walk.look(amina, "directory")
    amina.get_by_role("link", name="Ben Carter").click()
    walk.look(amina, "colleague-profile")
    amina.get_by_role("main").get_by_role("link", name="Give credits").click()
    walk.look(amina, "give")
    amina.get_by_label("Credits (hours)").fill("0.25")
    amina.get_by_label("Note").fill("For the run chart you drew with me.")
    amina.get_by_role("main").get_by_role("button", name="Give credits").click()
    expect(amina.get_by_role("status").first).to_be_visible()
    walk.look(amina, "given")

    amina.goto("/give/")
    name = amina.get_by_role("combobox", name="Colleague's name")
    name.fill("Ben")
    expect(amina.get_by_role("option", name=re.compile("Ben Carter"))).to_be_visible()
    walk.look(amina, "give-by-name")
    name.press("ArrowDown")
    name.press("Enter")
    amina.get_by_label("Credits (hours)").fill("0.25")
    amina.get_by_role("main").get_by_role("button", name="Give credits").click()
    expect(amina.get_by_role("status").first).to_be_visible()

    # Sunday: each sees what the week brought.
    amina.goto("/dashboard/")
    expect(amina.get_by_test_id("available")).to_have_text("2.5 credits")
    walk.look(amina, "dashboard-week")
    ben.goto("/dashboard/")
    expect(ben.get_by_test_id("available")).to_have_text("1.5 credits")
    walk.look(ben, "dashboard-week-ben")
    ben.goto("/notifications/")
    expect(
        ben.get_by_text(re.compile("Dr Amina Okafor gave you 0.25 credits")).first
    ).to_be_visible()
    walk.look(ben, "notifications")

    exchange = Exchange.objects.get()
    assert exchange.status == "completed"
    assert verify_ledger().ok


def choose_skill(page: Page, skill: str) -> None:
    page.get_by_label(skill, exact=True).check()

"""An administrator appoints an organisation lead with the colleague picker,
then the lead opens "Impact" and reads their organisation's members: the ones
who allowed it by name, the others as one line. A member allows it on their
profile. Each page is scanned by axe and kept as screenshots at 1280 and 390
pixels wide."""

import pytest
from playwright.sync_api import Page, expect

from equitime.browser_tests.support import artefact, assert_no_axe_violations
from equitime.impact.models import OrganisationLead
from equitime.impact.tests.leads_factories import admin, given, member_at, organisation
from equitime.members.models import Profile

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
WIDTHS = ((DESKTOP, "1280"), (PHONE, "390"))


def look(page: Page, width: str, name: str) -> None:
    page.screenshot(path=artefact("organisation-leads", width, f"{name}.png"), full_page=True)
    assert_no_axe_violations(page, f"{name} at {width}")


def test_an_administrator_appoints_a_lead_who_then_reads_the_members(new_page):
    org = organisation("Northbridge Teaching Hospitals")
    olivia = member_at(org, "Olivia Brennan")
    amina = member_at(org, "Amina Okafor", named=True)
    priya = member_at(org, "Priya Nair", named=True)
    quiet = [member_at(org, f"Quiet Colleague {n}") for n in range(5)]
    outside = member_at(organisation("Calderbrook City Council"), "Liam Walsh")
    given(amina, outside, 90)
    given(outside, priya, 60)
    given(quiet[0], outside, 30)
    boss = admin()

    # The administrator finds Olivia by typing her name, with the keyboard only.
    page = new_page(as_member=boss, viewport=DESKTOP)
    page.goto("/impact/leads/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Organisation leads")
    look(page, "1280", "01-leads-empty")
    box = page.get_by_role("combobox", name="Colleague's name or e-mail address")
    box.focus()
    page.keyboard.type("Oli", delay=30)
    expect(page.get_by_role("option", name="Olivia Brennan").first).to_be_visible()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(box).to_have_value("Olivia Brennan")
    page.get_by_role("button", name="Appoint lead").focus()
    page.keyboard.press("Enter")
    expect(
        page.get_by_text("Olivia Brennan now leads Northbridge Teaching Hospitals.")
    ).to_be_visible()
    assert OrganisationLead.objects.filter(member=olivia, organisation=org).exists()
    for viewport, width in WIDTHS:
        page = new_page(as_member=boss, viewport=viewport)
        page.goto("/impact/leads/")
        expect(page.get_by_role("heading", name="Northbridge Teaching Hospitals")).to_be_visible()
        look(page, width, "02-leads")
        page.goto(f"/members/{olivia.pk}/")
        expect(page.get_by_test_id("lead-panel")).to_contain_text("Leads Northbridge")
        look(page, width, "03-profile-of-the-lead")

    # Olivia opens Impact from the menu and reads her organisation's members.
    for viewport, width in WIDTHS:
        page = new_page(as_member=olivia, viewport=viewport)
        page.goto("/dashboard/")
        menu = page.get_by_role("navigation", name="Main").locator("summary", has_text="Menu")
        if menu.is_visible():  # on a phone the links fold into a menu
            menu.focus()
            page.keyboard.press("Enter")
        account = page.locator("summary.nav-account__button")
        if not page.get_by_role("link", name="Impact", exact=True).is_visible():
            account.focus()
            page.keyboard.press("Enter")
        page.get_by_role("link", name="Impact", exact=True).focus()
        page.keyboard.press("Enter")
        # The menu opens the dashboard, on her organisation; its members are a link away.
        expect(page.get_by_role("heading", level=1)).to_have_text("Impact dashboard")
        page.get_by_role("link", name="Members of Northbridge Teaching Hospitals").focus()
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Members of Northbridge Teaching Hospitals"
        )
        table = page.get_by_role("table")
        expect(table).to_contain_text("Amina Okafor")
        expect(table).to_contain_text("Priya Nair")
        expect(table).not_to_contain_text("Quiet Colleague")
        expect(page.get_by_test_id("others")).to_contain_text(
            "6 other members keep their names to themselves"
        )
        look(page, width, "04-organisation-members")

    # A month typed wrongly is an error on the form, not a page of nothing.
    page.goto(page.url.split("?")[0] + "?first=2026-13")
    expect(page.get_by_role("alert")).to_contain_text("Enter a month as year and month")
    look(page, "390", "05-organisation-members-error")


def test_a_member_allows_their_organisation_s_leads_to_see_their_name(new_page):
    member = member_at(organisation("Riverside Primary Care Network"), "Fatima Hussain")
    for viewport, width in WIDTHS:
        page = new_page(as_member=member, viewport=viewport)
        page.goto("/profile/edit/")
        choice = page.get_by_label("Show my name to my organisation's leads")
        expect(choice).not_to_be_checked()
        expect(page.get_by_text("Your organisation's leads may see your name")).to_be_visible()
        look(page, width, "06-profile-edit")
    choice.check()
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_text("Your profile is saved.")).to_be_visible()
    assert Profile.objects.get(member=member).named_to_organisation_leads

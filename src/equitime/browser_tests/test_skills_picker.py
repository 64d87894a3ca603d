"""The skills picker in a browser: several skills chosen with the keyboard
alone (filter, Tab, Space), what the filter hides and says, the page the same
without JavaScript, and axe finding nothing at all on the profile and listing
forms that carry it."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page, expect

from equitime.browser_tests.conftest import TIMEOUT_MS
from equitime.browser_tests.test_accessibility import describe
from equitime.skills.models import Skill

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

axe = Axe()
PHONE = {"width": 390, "height": 844}


def watch_errors(page: Page) -> list[str]:
    """Console errors and uncaught exceptions of the page, to assert there are none."""
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def no_violations(page: Page) -> None:
    violations = axe.run(page, options={"resultTypes": ["violations"]}).response["violations"]
    assert violations == [], f"{page.url}:\n{describe(violations)}"


def test_choosing_several_skills_with_the_keyboard_alone(new_page, member):
    page = new_page(as_member=member)
    errors = watch_errors(page)
    page.goto("/profile/edit/")
    status = page.locator("[data-picker-status]")
    summary = page.locator("[data-picker-summary]")
    expect(summary).to_have_text("None chosen yet.")

    # From the field before it, Tab reaches the filter box first.
    page.get_by_label("Languages you work in").focus()
    page.keyboard.press("Tab")
    filter_box = page.get_by_label("Filter skills")
    expect(filter_box).to_be_focused()

    page.keyboard.type("physio")
    expect(status).to_have_text("1 of 74 matches “physio”.")
    expect(page.get_by_role("checkbox", name="Physiotherapy")).to_be_visible()
    expect(page.get_by_role("checkbox", name="Dietetics")).to_be_hidden()
    expect(page.get_by_role("group", name="Coaching and mentoring")).to_be_hidden()
    page.keyboard.press("Tab")
    expect(page.get_by_role("checkbox", name="Physiotherapy")).to_be_focused()
    page.keyboard.press("Space")
    expect(page.get_by_role("checkbox", name="Physiotherapy")).to_be_checked()

    # Back to the box: Enter there narrows the list and never sends the form.
    page.keyboard.press("Shift+Tab")
    expect(filter_box).to_be_focused()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("therapy")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/profile/edit/$"))
    expect(status).to_have_text(re.compile(r"^\d+ of 74 match “therapy”\.$"))
    # Typing a category's name shows the whole category.
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("wellbeing")
    expect(page.get_by_role("checkbox", name="Mindfulness")).to_be_visible()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("falls")
    page.keyboard.press("Tab")
    expect(page.get_by_role("checkbox", name="Falls prevention")).to_be_focused()
    page.keyboard.press("Space")
    expect(summary).to_have_text("2 chosen: Falls prevention, Physiotherapy.")

    # Nothing matches: said so, and every group is hidden.
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("zzz")
    expect(status).to_have_text("Nothing matches “zzz”. Try fewer letters.")
    expect(page.locator("[data-picker-group]:visible")).to_have_count(0)
    # Escape empties the box and brings every skill back.
    page.keyboard.press("Escape")
    expect(filter_box).to_have_value("")
    expect(status).to_have_text("Showing all 74.")
    expect(page.get_by_role("checkbox", name="Mindfulness")).to_be_visible()

    page.get_by_role("button", name="Save profile").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Your profile is saved.")).to_be_visible()
    assert set(member.profile.skills.values_list("slug", flat=True)) == {
        "physiotherapy",
        "falls-prevention",
    }
    assert errors == []


def test_the_status_is_a_polite_live_region_and_the_box_controls_the_list(new_page, member):
    page = new_page(as_member=member)
    page.goto("/profile/edit/")

    status = page.get_by_role("status")
    expect(status).to_have_attribute("data-picker-status", "")
    controls = page.get_by_label("Filter skills").get_attribute("aria-controls")
    assert controls and page.locator(f"#{controls}").get_by_role("checkbox").count() == 74


def test_without_javascript_every_skill_shows_and_the_form_works(browser, live_server, member):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    context.set_default_timeout(TIMEOUT_MS)
    client = Client()
    client.force_login(member)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    try:
        page = context.new_page()
        page.goto("/profile/edit/")
        expect(page.get_by_label("Filter skills")).to_be_hidden()
        expect(page.locator("input[name=skills]:visible")).to_have_count(74)
        page.get_by_role("checkbox", name="Occupational therapy").check()
        page.get_by_role("checkbox", name="Patient and public involvement").check()
        page.get_by_role("button", name="Save profile").click()
        expect(page.get_by_text("Your profile is saved.")).to_be_visible()
    finally:
        context.close()
    assert set(member.profile.skills.values_list("slug", flat=True)) == {
        "occupational-therapy",
        "patient-and-public-involvement",
    }


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["wide", "phone"])
def test_the_profile_form_has_no_accessibility_violations(new_page, member, viewport):
    member.profile.skills.set(Skill.objects.filter(slug__in=["sql", "podiatry"]))
    page = new_page(as_member=member, viewport=viewport)
    errors = watch_errors(page)
    page.goto("/profile/edit/")
    expect(page.get_by_label("Filter skills")).to_be_visible()
    no_violations(page)

    page.get_by_label("Filter skills").fill("radio")
    expect(page.get_by_role("status")).to_have_text("2 of 74 match “radio”.")
    no_violations(page)

    # Back with errors: a time zone nobody knows.
    page.get_by_label("Time zone").fill("Mars/Olympus_Mons")
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_role("alert")).to_contain_text("is not a time zone we know")
    no_violations(page)
    if viewport is PHONE:
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert errors == []


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["wide", "phone"])
def test_the_listing_form_has_no_accessibility_violations(new_page, member, viewport):
    page = new_page(as_member=member, viewport=viewport)
    errors = watch_errors(page)
    page.goto("/listings/new/offer/")
    expect(page.get_by_label("Filter skills")).to_be_visible()
    no_violations(page)

    page.get_by_label("Filter skills").fill("falls")
    page.get_by_role("checkbox", name="Falls prevention").check()
    expect(page.locator("[data-picker-summary]")).to_have_text("1 chosen: Falls prevention.")
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    # The choice survives the errors.
    expect(page.get_by_role("checkbox", name="Falls prevention")).to_be_checked()
    no_violations(page)
    if viewport is PHONE:
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert errors == []

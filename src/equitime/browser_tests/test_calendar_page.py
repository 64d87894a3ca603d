"""The calendar page as a member uses it: reached from the account menu, the
feed made and its address shown to copy, the reminders saved, the address
replaced and turned off, each with its message; on a wide screen and a
phone, with nothing axe objects to."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from equitime.browser_tests.support import artefact, assert_no_axe_violations
from equitime.scheduling.models import CalendarSettings

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SIZES = {"1280": {"width": 1280, "height": 900}, "390": {"width": 390, "height": 844}}


@pytest.mark.parametrize("size", list(SIZES))
def test_a_member_makes_a_feed_and_chooses_reminders(size, member, new_page, live_server):
    page = new_page(as_member=member, viewport=SIZES[size])
    page.goto("/dashboard/")
    if size == "390":  # the menu opens with the account's links already shown
        page.get_by_role("navigation", name="Main").locator("summary", has_text="Menu").click()
    else:
        page.locator("summary", has_text="Account").click()
    page.get_by_role("link", name="Calendar").click()

    expect(page).to_have_url(re.compile(r"/calendar/$"))
    expect(page.get_by_role("heading", name="Your calendar", level=1)).to_be_visible()
    assert_no_axe_violations(page, f"calendar page without a feed, {size} px")
    page.screenshot(path=artefact("calendar", size, "01-no-feed.png"), full_page=True)

    page.get_by_role("button", name="Make my calendar feed").click()
    expect(page.get_by_text("Your calendar feed is ready")).to_be_visible()
    token = CalendarSettings.objects.get(member=member).feed_token
    address = live_server.url + reverse("calendar_feed", kwargs={"token": token})
    expect(page.get_by_label("Your feed's address")).to_have_value(address)
    expect(page.get_by_role("link", name="Add it to Google Calendar")).to_be_visible()
    expect(page.get_by_role("link", name="Subscribe in Apple Calendar")).to_have_attribute(
        "href", address.replace("http://", "webcal://")
    )
    assert_no_axe_violations(page, f"calendar page with a feed, {size} px")
    page.screenshot(path=artefact("calendar", size, "02-feed.png"), full_page=True)

    page.get_by_label("E-mail me 1 hour before a session").uncheck()
    page.get_by_role("button", name="Save reminders").click()
    expect(page.get_by_text("Your reminder choices are saved")).to_be_visible()
    expect(page.get_by_label("E-mail me 1 hour before a session")).not_to_be_checked()
    expect(page.get_by_label("E-mail me 24 hours before a session")).to_be_checked()

    page.locator("summary", has_text="Make a new address").click()
    page.get_by_role("button", name="Make a new address").click()
    expect(page.get_by_text("The old one no longer works")).to_be_visible()
    assert CalendarSettings.objects.get(member=member).feed_token != token

    page.locator("summary", has_text="Turn the feed off").click()
    page.screenshot(path=artefact("calendar", size, "03-turn-off.png"), full_page=True)
    page.get_by_role("button", name="Turn the feed off").click()
    expect(page.get_by_text("Your calendar feed is turned off")).to_be_visible()
    expect(page.get_by_role("button", name="Make my calendar feed")).to_be_visible()
    assert CalendarSettings.objects.get(member=member).feed_token is None
    assert_no_axe_violations(page, f"calendar page after turning the feed off, {size} px")

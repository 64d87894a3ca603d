"""Notification preferences, the weekly digest and one-click unsubscribe as a
member uses them: the preferences reached from the account menu, choices
saved without JavaScript's help, the digest page, and an unsubscribe link
opened without signing in; on a wide screen and a phone, with nothing axe
objects to."""

import re

import pytest
from playwright.sync_api import expect

from equitime.browser_tests.support import artefact, assert_no_axe_violations
from equitime.core.unsubscribe import DIGEST, unsubscribe_path
from equitime.notifications.preferences import member_wants_digest, member_wants_email

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SIZES = {"1280": {"width": 1280, "height": 900}, "390": {"width": 390, "height": 844}}


@pytest.mark.parametrize("size", list(SIZES))
def test_a_member_chooses_emails_reads_the_digest_and_unsubscribes(size, scenario, new_page):
    member = scenario.owner
    page = new_page(as_member=member, viewport=SIZES[size])
    page.goto("/dashboard/")
    if size == "390":
        page.get_by_role("navigation", name="Main").locator("summary", has_text="Menu").click()
    else:
        page.locator("summary", has_text="Account").click()
    page.get_by_role("link", name="E-mail preferences").click()

    expect(page).to_have_url(re.compile(r"/notifications/preferences/$"))
    expect(page.get_by_role("heading", name="Notification preferences", level=1)).to_be_visible()
    expect(page.get_by_label("New message")).to_be_checked()
    expect(page.get_by_label("Thanks received")).not_to_be_checked()
    assert_no_axe_violations(page, f"preferences page, {size} px")
    page.screenshot(path=artefact("preferences", size, "01-preferences.png"), full_page=True)

    page.get_by_label("New message").uncheck()
    page.get_by_label("Thanks received").check()
    page.get_by_label("Send me the weekly digest").uncheck()
    page.get_by_role("button", name="Save choices").click()
    expect(page.get_by_text("Your notification choices are saved")).to_be_visible()
    expect(page.get_by_label("New message")).not_to_be_checked()
    expect(page.get_by_label("Thanks received")).to_be_checked()
    assert not member_wants_email(member, "exchange_message")
    assert member_wants_email(member, "thanks")
    assert not member_wants_digest(member)

    page.get_by_role("link", name="See this week's digest").click()
    expect(page.get_by_role("heading", name="Your weekly digest", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="What waits for you")).to_be_visible()
    expect(page.get_by_text("The weekly digest is turned off")).to_be_visible()
    assert_no_axe_violations(page, f"digest page, {size} px")
    page.screenshot(path=artefact("preferences", size, "02-digest.png"), full_page=True)

    # The link in an e-mail, opened in a browser where nobody is signed in.
    visitor = new_page(viewport=SIZES[size])
    other = scenario.other
    visitor.goto(unsubscribe_path(member_id=other.pk, scope=DIGEST))
    expect(visitor.get_by_role("heading", name="Unsubscribe", level=1)).to_be_visible()
    expect(visitor.get_by_text("Stop the weekly digest?")).to_be_visible()
    assert member_wants_digest(other)  # opening the link changed nothing
    assert_no_axe_violations(visitor, f"unsubscribe page, {size} px")
    visitor.screenshot(path=artefact("preferences", size, "03-unsubscribe.png"), full_page=True)
    visitor.get_by_role("button", name="Unsubscribe").click()
    expect(visitor.get_by_role("heading", name="You are unsubscribed")).to_be_visible()
    assert not member_wants_digest(other)
    assert_no_axe_violations(visitor, f"unsubscribed page, {size} px")
    visitor.screenshot(path=artefact("preferences", size, "04-done.png"), full_page=True)

    visitor.goto(unsubscribe_path(member_id=other.pk)[:-5] + "xx/")
    expect(
        visitor.get_by_role("heading", name="This unsubscribe link is not valid")
    ).to_be_visible()
    assert_no_axe_violations(visitor, f"invalid unsubscribe link, {size} px")

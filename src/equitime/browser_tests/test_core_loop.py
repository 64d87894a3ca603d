"""The whole core loop, as two people in two browsers, through the pages only.

Amina offers an hour and a half of survival analysis; Ben finds it by
searching, proposes to take it up, Amina accepts (the hours are held on Ben's
account), gives the time and logs it, and Ben confirms (the credits move).
Nothing is set up or checked through the ORM except the final ledger check.

Ben proposes and Amina accepts with the keyboard only: every Tab stop on the
way must show a visible focus outline.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from equitime.browser_tests.support import sign_up
from equitime.exchanges.models import Exchange
from equitime.ledger.verify import verify_ledger

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TITLE = "Kaplan-Meier survival curves in R"
# More Tab presses than any page here needs to reach its main action.
MAX_TABS = 80


def credits(value: str) -> re.Pattern:
    """How the dashboard shows an amount: "0.5 credits", never "0.50" or "½"."""
    return re.compile(rf"^{re.escape(value)} credits$")


def expect_credits(page: Page, *, available: str, held: str) -> None:
    """Open the dashboard and check the balance it shows."""
    page.goto("/dashboard/")
    expect(page.get_by_test_id("available")).to_have_text(credits(available))
    expect(page.get_by_test_id("held")).to_have_text(credits(held))


def focused(page: Page) -> dict:
    """What has the keyboard focus, and how its focus is drawn."""
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            const style = getComputedStyle(el);
            return {
                description: el.outerHTML.slice(0, 120),
                outlineStyle: style.outlineStyle,
                outlineWidth: parseFloat(style.outlineWidth) || 0,
            };
        }"""
    )


def tab_to(page: Page, target) -> None:
    """Press Tab until ``target`` has the focus, as a keyboard user would, and
    check that every element passed on the way shows where the focus is."""
    target.wait_for()
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        now = focused(page)
        assert now["outlineStyle"] != "none" and now["outlineWidth"] > 0, (
            f"No visible focus outline on {now['description']}"
        )
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"{target} was not reached in {MAX_TABS} presses of Tab")


def test_two_members_complete_an_exchange_in_the_browser(new_page):
    amina = new_page()
    ben = new_page()

    # 1. Both join, and each opens with the welcome gift.
    sign_up(amina, name="Amina Okafor", email="amina@example.nhs.uk")
    expect(amina.get_by_test_id("available")).to_have_text(credits("2"))
    sign_up(ben, name="Ben Carter", email="ben@example.org")
    expect(ben.get_by_test_id("available")).to_have_text(credits("2"))

    # 2. Amina posts an offer.
    amina.get_by_role("link", name="Post an offer").click()
    amina.get_by_label("Title").fill(TITLE)
    amina.get_by_label("Description").fill(
        "I can walk you through Kaplan-Meier curves and Cox models, with your own data."
    )
    amina.get_by_label("Improvement area").select_option(label="Clinical effectiveness")
    amina.get_by_label("How it helps health and care").fill(
        "Better evidence on readmissions for the frailty team."
    )
    amina.get_by_label("Filter skills").fill("survival")
    amina.get_by_role("checkbox", name="Survival analysis").check()
    amina.get_by_label("Estimated time (hours)").fill("1.5")
    amina.get_by_label("Format", exact=True).select_option(label="Remote")
    amina.get_by_role("button", name="Publish").click()
    expect(amina.get_by_role("heading", level=1)).to_have_text(TITLE)

    # 3. Ben searches: a word that is not in the offer finds nothing, a word
    # of its title finds it. (Enter sends the search with or without htmx.)
    ben.goto("/listings/")
    search = ben.get_by_role("searchbox", name="Search")
    results = ben.get_by_role("region", name="Results")
    count = results.get_by_role("status")
    search.fill("cardiology")
    search.press("Enter")
    expect(count).to_have_text(re.compile(r"^No open listings"))
    search.fill("kaplan")
    search.press("Enter")
    expect(count).to_have_text(re.compile(r"^1 open listing found"))
    results.get_by_role("link", name=TITLE).click()
    expect(ben.get_by_role("heading", level=1)).to_have_text(TITLE)

    # 4. Ben takes it up, with the keyboard only.
    hours = ben.get_by_label("Hours")
    tab_to(ben, hours)
    ben.keyboard.press("ControlOrMeta+a")
    ben.keyboard.type("1.5")
    tab_to(ben, ben.get_by_label("Message"))
    ben.keyboard.type("Could we look at our 30-day readmission data together?")
    tab_to(ben, ben.get_by_role("button", name="Send proposal"))
    ben.keyboard.press("Enter")
    expect(ben.get_by_test_id("status")).to_have_text("Proposed")
    expect(ben.get_by_role("status").filter(has_text="Your proposal is sent")).to_be_visible()

    # 5. Amina finds it waiting for her and accepts, with the keyboard only.
    amina.goto("/dashboard/")
    waiting = amina.get_by_role("region", name="Waiting for you")
    waiting.get_by_role("link", name=TITLE).click()
    expect(amina.get_by_test_id("status")).to_have_text("Proposed")
    tab_to(amina, amina.get_by_role("button", name="Accept"))
    amina.keyboard.press("Enter")
    expect(amina.get_by_test_id("status")).to_have_text("Accepted")
    expect(amina.get_by_role("status").filter(has_text="The hours are held")).to_be_visible()
    exchange_url = amina.url

    expect_credits(ben, available="0.5", held="1.5")

    # 6. Amina gives the time and logs it; Ben confirms.
    amina.get_by_label("Hours you gave").fill("1.5")
    amina.get_by_role("button", name="Log the hours given").click()
    expect(amina.get_by_test_id("status")).to_have_text("Hours logged")
    expect(amina.get_by_test_id("logged")).to_have_text("1.5 hours")

    ben.goto(exchange_url)
    ben.get_by_role("button", name="Confirm").click()
    expect(ben.get_by_test_id("status")).to_have_text("Completed")

    expect_credits(amina, available="3.5", held="0")
    expect_credits(ben, available="0.5", held="0")

    exchange = Exchange.objects.get()
    assert exchange.status == "completed"
    assert exchange.provider.email == "amina@example.nhs.uk"
    assert exchange.receiver.email == "ben@example.org"
    assert exchange.logged_minutes == 90
    report = verify_ledger()
    assert report.ok, report

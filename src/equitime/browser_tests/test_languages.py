"""Equitime in Welsh and in Arabic, in the browser.

* The core loop in each language: a visitor finds the language switcher in
  the header and changes language with the keyboard, signs in, posts an
  offer; a colleague whose profile says the same language proposes to take it
  up; she accepts, logs the hours, he confirms, and the balances move. Every
  page says ``<html lang dir>`` for the language, and the texts checked are
  the catalogue's: computed here with gettext under ``translation.override``,
  so the test holds whatever the translators write (English until they have).
* The main pages scanned by axe in each language, as the people who see them:
  nothing of any impact. In Arabic the pages are mirrored (``dir="rtl"``).
* Screenshots of those pages in Arabic at 1280 and 390 pixels, written to
  ``EQUITIME_SCREENSHOTS_DIR`` when it is set, for a person to look at.

One test per language and purpose, each walking many pages with one set of
data, so the live server and Chromium are shared and the run stays short.
"""

import os
import re
from pathlib import Path

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import Page, ViewportSize, expect

from equitime.browser_tests.support import assert_no_axe_violations
from equitime.core.units import credits_figure
from equitime.exchanges.forms import DeliverForm
from equitime.exchanges.models import Exchange
from equitime.ledger.verify import verify_ledger
from equitime.listings.forms import ListingForm, ProposeForm
from equitime.listings.models import Format
from equitime.members.services import profile_language_set
from equitime.members.tests.factories import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

LANGUAGES = {"cy": "ltr", "ar": "rtl"}
DIRECTION = {"en-gb": "ltr", **LANGUAGES}
DESKTOP: ViewportSize = {"width": 1280, "height": 800}
PHONE: ViewportSize = {"width": 390, "height": 844}
TITLE = "Kaplan-Meier survival curves in R"
COOKIE = "equitime_language"


def t(language: str, text) -> str:
    """What the catalogue of ``language`` says for ``text`` (a msgid or a lazy string)."""
    with translation.override(language):
        return str(gettext(text) if isinstance(text, str) else text)


def label(language: str, form, name: str) -> str:
    """A form field's label as the page shows it in ``language``."""
    return t(language, form.base_fields[name].label)


def status(language: str, value: str) -> str:
    return t(language, Exchange.Status(value).label)


def balance(language: str, minutes: int) -> str:
    """The dashboard's "Available" figure: ``3.5 credits``, in ``language``
    and its way of writing numbers (Arabic: ``3,5``)."""
    with translation.override(language):
        return f"{credits_figure(minutes)} {gettext('credits')}"


def expect_language(page: Page, language: str) -> None:
    html = page.locator("html")
    expect(html).to_have_attribute("lang", language)
    expect(html).to_have_attribute("dir", DIRECTION[language])


def language_cookie(live_server, language: str) -> list[dict]:
    return [{"name": COOKIE, "value": language, "url": live_server.url}]


def keyboard_focus(page: Page, target) -> None:
    """Press Tab until ``target`` has the focus; fails if it is not reached."""
    for _ in range(40):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"{target} was not reached with Tab")


@pytest.mark.parametrize("language", list(LANGUAGES), ids=list(LANGUAGES))
def test_the_core_loop_in_another_language(language, new_page, make_member):
    amina = make_member(display_name="Amina Okafor", email="amina@example.nhs.uk")
    ben = make_member(display_name="Ben Carter", email="ben@example.org")
    # Ben chose the language in his profile; Amina is a visitor who finds the switcher.
    profile_language_set(member=ben, language=language)

    # 1. The switcher is the header's first control; the language is changed
    # with the keyboard: Tab to the list, choose, Tab to the button, Enter.
    page = new_page(viewport=DESKTOP)
    page.goto("/")
    expect_language(page, "en-gb")
    switcher = page.get_by_role("banner").get_by_test_id("language-switcher")
    choice = switcher.get_by_label("Language")
    keyboard_focus(page, choice)
    choice.select_option(language)
    expect_language(page, "en-gb")  # choosing alone changes nothing (WCAG 3.2.2)
    keyboard_focus(page, switcher.get_by_role("button", name="Change language"))
    page.keyboard.press("Enter")
    expect_language(page, language)
    switcher = page.get_by_role("banner").get_by_test_id("language-switcher")
    expect(switcher.get_by_label(t(language, "Language"))).to_have_value(language)
    expect(switcher.get_by_role("button", name=t(language, "Change language"))).to_be_visible()
    expect(switcher.locator(f'option[value="{language}"]')).to_have_attribute("lang", language)

    # 2. She signs in: the language stays with her.
    page.get_by_role("navigation", name=t(language, "Main")).get_by_role(
        "link", name=t(language, "Sign in")
    ).click()
    expect_language(page, language)
    expect(page.get_by_role("heading", level=1)).to_have_text(t(language, "Sign in"))
    page.locator('input[name="login"]').fill(amina.email)
    page.locator('input[name="password"]').fill(PASSWORD)
    page.locator("main").get_by_role("button", name=t(language, "Sign in")).click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    expect_language(page, language)
    expect(page.get_by_test_id("available")).to_have_text(balance(language, 120))

    # 3. She posts an offer.
    page.get_by_role("link", name=t(language, "Post an offer")).first.click()
    expect_language(page, language)
    page.get_by_label(label(language, ListingForm, "title")).fill(TITLE)
    page.get_by_label(label(language, ListingForm, "description")).fill(
        "I can walk you through Kaplan-Meier curves and Cox models, with your own data."
    )
    page.get_by_label(label(language, ListingForm, "improvement_area")).select_option(index=1)
    page.get_by_label(label(language, ListingForm, "benefit")).fill(
        "Better evidence on readmissions for the frailty team."
    )
    page.get_by_label(label(language, ListingForm, "hours")).fill("1.5")
    page.get_by_label(label(language, ListingForm, "format"), exact=True).select_option(
        Format.REMOTE.value
    )
    page.get_by_role("button", name=t(language, "Publish")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect_language(page, language)
    listing_url = page.url

    # 4. Ben, in the language of his profile, proposes to take it up.
    colleague = new_page(as_member=ben, viewport=PHONE)
    colleague.goto(listing_url)
    expect_language(colleague, language)
    colleague.get_by_label(label(language, ProposeForm, "hours")).fill("1.5")
    colleague.get_by_label(label(language, ProposeForm, "message")).fill(
        "Could we look at our 30-day readmission data together?"
    )
    colleague.get_by_role("button", name=t(language, "Send proposal")).click()
    expect(colleague.get_by_test_id("status")).to_have_text(status(language, "proposed"))
    exchange_url = colleague.url

    # 5. Amina accepts, gives the time and logs it; Ben confirms.
    page.goto(exchange_url)
    expect(page.get_by_test_id("status")).to_have_text(status(language, "proposed"))
    page.get_by_role("button", name=t(language, "Accept")).click()
    expect(page.get_by_test_id("status")).to_have_text(status(language, "accepted"))
    page.get_by_label(label(language, DeliverForm, "hours")).fill("1.5")
    page.get_by_role("button", name=t(language, "Log the hours given")).click()
    expect(page.get_by_test_id("status")).to_have_text(status(language, "delivered"))
    expect_language(page, language)

    colleague.goto(exchange_url)
    colleague.get_by_role("button", name=t(language, "Confirm"), exact=True).click()
    expect(colleague.get_by_test_id("status")).to_have_text(status(language, "completed"))
    expect_language(colleague, language)

    # 6. The balances moved: 1.5 credits from Ben to Amina.
    page.goto("/dashboard/")
    expect(page.get_by_test_id("available")).to_have_text(balance(language, 210))
    colleague.goto("/dashboard/")
    expect(colleague.get_by_test_id("available")).to_have_text(balance(language, 30))

    exchange = Exchange.objects.get()
    assert exchange.status == Exchange.Status.COMPLETED
    assert exchange.logged_minutes == 90
    report = verify_ledger()
    assert report.ok, report


def screenshots_dir() -> Path | None:
    """Where to write the screenshots (``EQUITIME_SCREENSHOTS_DIR``); None: not at all."""
    folder = os.environ.get("EQUITIME_SCREENSHOTS_DIR")
    if not folder:
        return None
    path = Path(folder)
    path.mkdir(parents=True, exist_ok=True)
    return path


def main_pages(scenario) -> list[tuple[str, str | None, str]]:
    """(name, who looks, address): the pages a member meets most."""
    return [
        ("home", None, "/"),
        ("browse", "other", "/listings/"),
        ("listing", "other", f"/listings/{scenario.offer.pk}/"),
        ("dashboard", "owner", "/dashboard/"),
        ("exchange", "owner", f"/exchanges/{scenario.exchanges['delivered'].pk}/"),
        ("exchange-to-confirm", "other", f"/exchanges/{scenario.exchanges['delivered'].pk}/"),
        ("profile", "other", f"/members/{scenario.owner.pk}/"),
        ("profile-edit", "owner", "/profile/edit/"),
        ("notifications", "owner", "/notifications/"),
        ("calendar", "owner", "/calendar/"),
        ("cpd-record", "owner", "/cpd/"),
        ("impact-dashboard", "admin", "/impact/dashboard/"),
    ]


@pytest.mark.parametrize("language", list(LANGUAGES), ids=list(LANGUAGES))
def test_the_main_pages_in_another_language(language, scenario, new_context, live_server):
    from equitime.campaigns.tests.factories import administrator
    from equitime.impact.aggregates import aggregates_rebuild

    aggregates_rebuild(now=timezone.now())
    people = {"owner": scenario.owner, "other": scenario.other, "admin": administrator()}
    folder = screenshots_dir() if language == "ar" else None
    pages: dict[str | None, Page] = {}
    for name, who, path in main_pages(scenario):
        if who not in pages:
            context = new_context(as_member=people[who] if who else None, viewport=DESKTOP)
            context.add_cookies(language_cookie(live_server, language))
            pages[who] = context.new_page()
        page = pages[who]
        response = page.goto(path)
        assert response is not None and response.status == 200, f"{name}: {path}"
        expect(page).not_to_have_url(re.compile(r"/accounts/login/"))
        expect(page.get_by_role("heading", level=1).first).to_be_visible()
        expect_language(page, language)
        assert_no_axe_violations(page, f"{name} in {language}")
        if folder is not None:
            page.screenshot(path=folder / f"{language}-1280-{name}.png", full_page=True)
            page.set_viewport_size(PHONE)
            page.screenshot(path=folder / f"{language}-390-{name}.png", full_page=True)
            page.set_viewport_size(DESKTOP)

    # On a phone the menu still opens, mirrored or not, and the switcher is in view.
    page = pages["owner"]
    page.set_viewport_size(PHONE)
    page.goto("/dashboard/")
    expect(page.get_by_role("banner").get_by_test_id("language-switcher")).to_be_in_viewport()
    page.get_by_role("banner").locator("summary", has_text=t(language, "Menu")).click()
    expect(
        page.get_by_role("navigation", name=t(language, "Main")).get_by_role(
            "link", name=t(language, "Exchanges"), exact=True
        )
    ).to_be_visible()
    assert_no_axe_violations(page, f"the open menu on a phone in {language}")
    if folder is not None:
        page.screenshot(path=folder / f"{language}-390-menu.png")

"""The colleague picker in a real browser: with the keyboard alone through the
combobox, and without JavaScript through the server's name lookup."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from equitime.browser_tests.support import artefact
from equitime.ledger.models import Transfer
from equitime.ledger.tests.factories import earn

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

axe = Axe()


def shot(page: Page, name: str) -> None:
    page.screenshot(path=artefact("colleague-picker", f"{name}.png"), full_page=True)


def no_violations(page: Page) -> None:
    violations = axe.run(page, options={"resultTypes": ["violations"]}).response["violations"]
    assert not violations, [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]]) for v in violations
    ]


def donations_to(member) -> list[int]:
    return list(
        Transfer.objects.filter(
            kind=Transfer.Kind.DONATION, credit_account__member=member
        ).values_list("amount", flat=True)
    )


@pytest.fixture
def people(make_member):
    from equitime.members.tests.factories import OrganisationFactory

    donor = make_member(display_name="Amina Okafor")
    earn(donor, 120)
    wei = make_member(
        display_name="Dr Wei Zhang",
        profession="Medical statistician",
        organisation=OrganisationFactory(name="Ashworth University"),
    )
    make_member(display_name="Weronika Nowak", profession="Ward sister")
    return donor, wei


def test_keyboard_only_choose_a_colleague_and_give(new_page, people):
    donor, wei = people
    errors: list[str] = []
    page = new_page(as_member=donor, viewport={"width": 1280, "height": 900})
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto("/give/")
    no_violations(page)

    # Tab to the name box, as someone without a mouse would.
    box = page.get_by_role("combobox", name="Colleague's name")
    for _ in range(40):
        page.keyboard.press("Tab")
        if box.evaluate("el => el === document.activeElement"):
            break
    expect(box).to_be_focused()
    expect(box).to_have_attribute("aria-expanded", "false")

    page.keyboard.type("we", delay=30)
    listbox = page.get_by_role("listbox")
    expect(listbox.get_by_role("option")).to_have_count(2)
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(page.locator("[data-colleague-status]")).to_have_text(
        "2 colleagues found. Use the down arrow to choose."
    )
    no_violations(page)  # with the list open
    shot(page, "picker-open-1280")

    page.keyboard.press("ArrowDown")  # Weronika Nowak (Nowak before Zhang)
    page.keyboard.press("ArrowDown")  # Dr Wei Zhang
    active = box.get_attribute("aria-activedescendant")
    expect(page.locator(f"#{active}")).to_contain_text("Dr Wei Zhang")
    expect(page.locator(f"#{active}")).to_have_attribute("aria-selected", "true")
    page.keyboard.press("Enter")  # chooses; does not submit

    expect(box).to_have_value("Dr Wei Zhang")
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(page.locator("input[name=recipient_id]")).to_have_value(str(wei.pk))
    expect(page).to_have_url(re.compile(r"/give/$"))

    page.keyboard.press("Tab")
    expect(page.get_by_label("Credits (hours)")).to_be_focused()
    page.keyboard.type("0.5")
    page.keyboard.press("Enter")  # submits the form

    expect(page.get_by_text("You gave 0.5 credits to Dr Wei Zhang. Thank you.")).to_be_visible()
    assert donations_to(wei) == [30]
    assert errors == []


def test_escape_closes_the_list_and_arrows_wrap(new_page, people):
    donor, _wei = people
    page = new_page(as_member=donor)
    page.goto("/give/")
    box = page.get_by_role("combobox", name="Colleague's name")
    box.focus()
    page.keyboard.type("we", delay=30)
    expect(page.get_by_role("listbox").get_by_role("option")).to_have_count(2)

    page.keyboard.press("ArrowUp")  # from nothing to the last
    expect(page.locator(f"#{box.get_attribute('aria-activedescendant')}")).to_contain_text("Zhang")
    page.keyboard.press("Escape")

    expect(box).to_have_attribute("aria-expanded", "false")
    expect(page.get_by_role("listbox")).to_be_hidden()
    expect(box).to_have_value("we")


@pytest.fixture
def page_without_javascript(browser, live_server):
    """A signed-in member's phone with scripts turned off."""
    from django.conf import settings
    from django.test import Client

    contexts = []

    def open_page(member):
        context = browser.new_context(
            base_url=live_server.url,
            java_script_enabled=False,
            viewport={"width": 390, "height": 844},
        )
        contexts.append(context)
        client = Client()
        client.force_login(member)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
        )
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def test_without_javascript_a_donation_completes_by_name(
    page_without_javascript, people, make_member
):
    donor, wei = people
    make_member(display_name="Wei Chen")
    page = page_without_javascript(donor)
    page.goto("/give/")

    box = page.get_by_label("Colleague's name")
    expect(box).not_to_have_attribute("role", "combobox")  # a plain text box
    box.fill("Wei")
    page.get_by_label("Credits (hours)").fill("0.25")
    page.get_by_role("button", name="Give credits").click()

    # Two colleagues are called Wei: the page asks which.
    expect(page.get_by_role("alert")).to_contain_text("2 members are called “Wei”.")
    group = page.get_by_role("group", name="Which “Wei” do you mean?")
    expect(group.get_by_role("radio")).to_have_count(2)
    shot(page, "picker-choose-390")
    group.get_by_role("radio", name=re.compile("Dr Wei Zhang")).check()
    page.get_by_role("button", name="Give credits").click()

    expect(page.get_by_text("You gave 0.25 credits to Dr Wei Zhang. Thank you.")).to_be_visible()
    assert donations_to(wei) == [15]


def test_the_choice_among_namesakes_passes_axe(new_page, people, make_member):
    """The server's list of namesakes, scanned where axe can run (it needs
    scripts; the page without them is the same HTML)."""
    donor, _wei = people
    make_member(display_name="Wei Chen")
    page = new_page(as_member=donor, viewport={"width": 1280, "height": 900})
    page.goto("/give/")
    page.get_by_role("combobox", name="Colleague's name").fill("Wei")
    page.get_by_label("Credits (hours)").fill("0.25")
    page.get_by_role("button", name="Give credits").click()

    expect(page.get_by_role("group", name="Which “Wei” do you mean?")).to_be_visible()
    no_violations(page)
    shot(page, "picker-choose-1280")

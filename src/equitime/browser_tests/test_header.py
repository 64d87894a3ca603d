"""The header: on a phone the links fold into a menu button, a disclosure that
opens from the keyboard and without script; on a wide screen every link is on
one line, however many the person's roles give them (issue 12 points 18, 19)."""

import re

import pytest
from playwright.sync_api import expect

from equitime.browser_tests.support import artefact, assert_no_axe_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


def menu_button(page):
    return page.get_by_role("navigation", name="Main").locator("summary", has_text="Menu")


def expect_menu(page, *, expanded):
    """What a screen reader hears of the menu button, from Chromium's own
    accessibility tree: a disclosure button, collapsed or expanded. (A
    <summary> has no ARIA role for Playwright's role queries to find.)"""
    expect(page.locator(".nav-menu")).to_have_js_property("open", expanded)
    session = page.context.new_cdp_session(page)
    root = session.send("DOM.getDocument")["root"]["nodeId"]
    summary = session.send("DOM.querySelector", {"nodeId": root, "selector": ".nav-menu > summary"})
    nodes = session.send("Accessibility.getPartialAXTree", {"nodeId": summary["nodeId"]})["nodes"]
    node = next(node for node in nodes if node.get("backendDOMNodeId") and not node["ignored"])
    properties = {item["name"]: item["value"]["value"] for item in node.get("properties", [])}
    session.detach()
    assert node["role"]["value"] == "DisclosureTriangle", node
    assert node["name"]["value"] == "Menu", node
    assert properties.get("expanded") is expanded, node


def nav_link(page, name):
    return page.get_by_role("navigation", name="Main").get_by_role("link", name=name)


@pytest.mark.parametrize("javascript", [True, False], ids=["script", "no-script"])
def test_on_a_phone_the_links_fold_into_a_menu_that_opens_from_the_keyboard(
    javascript, scenario, new_page
):
    page = new_page(as_member=scenario.owner, viewport=PHONE, java_script_enabled=javascript)
    page.goto("/dashboard/")
    button = menu_button(page)
    expect(button).to_be_visible()
    expect_menu(page, expanded=False)
    expect(nav_link(page, "Exchanges")).to_be_hidden()

    # The skip link, the language switcher (its list and its button), the
    # home link, then the menu button.
    for _ in range(5):
        page.keyboard.press("Tab")
    expect(button).to_be_focused()
    page.keyboard.press("Enter")
    expect_menu(page, expanded=True)
    page.screenshot(path=artefact("header", f"menu-open-{'js' if javascript else 'nojs'}.png"))
    for name in ("Dashboard", "Offers and requests", "Exchanges", "Members", "My profile"):
        expect(nav_link(page, name)).to_be_visible()
    page.keyboard.press("Tab")
    expect(nav_link(page, "Dashboard")).to_be_focused()
    page.keyboard.press("Tab")
    expect(nav_link(page, "Offers and requests")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{page.url.split('/dashboard/')[0]}/listings/")
    # The new page starts with the menu folded again; Space opens and shuts it.
    button = menu_button(page)
    expect_menu(page, expanded=False)
    button.focus()
    page.keyboard.press("Space")
    expect(nav_link(page, "Exchanges")).to_be_visible()
    page.keyboard.press("Space")
    expect(nav_link(page, "Exchanges")).to_be_hidden()


def test_escape_closes_the_open_menu_and_returns_to_its_button(scenario, new_page):
    page = new_page(as_member=scenario.owner, viewport=PHONE)
    page.goto("/dashboard/")
    button = menu_button(page)
    button.click()
    nav_link(page, "Exchanges").focus()

    page.keyboard.press("Escape")

    expect_menu(page, expanded=False)
    expect(button).to_be_focused()
    expect(nav_link(page, "Exchanges")).to_be_hidden()


def test_a_visitor_sees_sign_in_and_join_without_a_menu(page):
    page.set_viewport_size(PHONE)
    page.goto("/")
    navigation = page.get_by_role("navigation", name="Main")
    expect(navigation.get_by_role("link", name="Sign in")).to_be_visible()
    expect(navigation.get_by_role("link", name="Join")).to_be_visible()
    expect(navigation.locator("summary")).to_have_count(0)


@pytest.mark.parametrize("who", ["owner", "moderator", "admin", "staff"])
@pytest.mark.parametrize("javascript", [True, False], ids=["script", "no-script"])
def test_on_a_wide_screen_the_header_is_one_line_of_links(who, javascript, community, new_page):
    if who == "staff":
        member = community.admin
        member.is_staff = True
        member.save(update_fields=["is_staff"])
    else:
        member = getattr(community, who)
    page = new_page(as_member=member, viewport=DESKTOP, java_script_enabled=javascript)
    page.goto("/dashboard/")

    expect(menu_button(page)).to_be_hidden()
    for name in ("Dashboard", "Offers and requests", "Exchanges", "Members", "Notifications"):
        expect(nav_link(page, name)).to_be_visible()
    # What a role adds sits in the account's drop-down, with the sign-out.
    in_account = ["My profile"]
    if who != "owner":
        in_account.append("Moderation" if who == "moderator" else "Invitations")
    if who == "staff":
        in_account.append("Admin")
    account = page.get_by_role("navigation", name="Main").locator("summary", has_text="Account")
    expect(account).to_be_visible()
    if who == "moderator":
        expect(account).to_contain_text("waiting for moderation")
    for name in in_account:
        expect(nav_link(page, name)).to_be_hidden()
    account.click()
    for name in in_account:
        expect(nav_link(page, name)).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    if javascript:  # axe is a script: it cannot run where script is off.
        assert_no_axe_violations(page, f"{who}, account open")

    boxes = page.evaluate(
        """() => ({
            header: document.querySelector(".site-header__inner").getBoundingClientRect().height,
            brand: document.querySelector(".brand").getBoundingClientRect().top,
            items: [...document.querySelectorAll(".site-header .nav li")].map((li) => {
                const box = li.getBoundingClientRect();
                const text = li.textContent.trim();
                return {text, top: box.top, bottom: box.bottom, right: box.right};
            }),
            scrollWidth: document.documentElement.scrollWidth,
        })"""
    )
    # Nothing cut off at the right, nothing to scroll sideways to.
    assert boxes["scrollWidth"] <= DESKTOP["width"], boxes
    assert max(item["right"] for item in boxes["items"]) <= DESKTOP["width"], boxes
    # The same line: the middles level (the current page's link is a little
    # taller, for its underline). The drop-down's links hang below it.
    line = boxes["items"][:7]
    middles = [(item["top"] + item["bottom"]) / 2 for item in line]
    assert max(middles) - min(middles) < 4, f"The header wraps for {who}: {boxes['items']}"
    # One line: no taller than the brand's line and its padding.
    assert boxes["header"] < 70, boxes
    page.screenshot(path=artefact("header", f"header-{who}-{'js' if javascript else 'nojs'}.png"))


def test_the_account_drop_down_closes_on_escape_and_on_a_click_elsewhere(community, new_page):
    page = new_page(as_member=community.moderator, viewport=DESKTOP)
    page.goto("/dashboard/")
    account = page.get_by_role("navigation", name="Main").locator("summary", has_text="Account")
    moderation = nav_link(page, "Moderation")

    account.focus()
    page.keyboard.press("Enter")
    expect(moderation).to_be_visible()
    page.keyboard.press("Tab")
    expect(nav_link(page, "My profile")).to_be_focused()
    page.keyboard.press("Escape")
    expect(moderation).to_be_hidden()
    expect(account).to_be_focused()

    account.click()
    expect(moderation).to_be_visible()
    page.get_by_role("heading", level=1).click()
    expect(moderation).to_be_hidden()

    account.click()
    moderation.click()
    expect(page).to_have_url(re.compile(r"/moderation/$"))

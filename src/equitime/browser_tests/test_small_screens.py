"""The busiest pages on a phone: nothing wider than the screen, so nobody has
to scroll sideways to read or reach a button (WCAG 1.4.10, reflow)."""

import pytest
from playwright.sync_api import expect

from equitime.browser_tests.support import artefact, assert_no_axe_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 390, "height": 844}

# Who looks, at what, and the fixture that makes what they see.
PAGES = {
    "dashboard": ("owner", lambda s: "/dashboard/", "scenario"),
    "dashboard-as-receiver": ("other", lambda s: "/dashboard/", "scenario"),
    "browse": ("other", lambda s: "/listings/", "scenario"),
    "exchange": ("other", lambda s: f"/exchanges/{s.exchanges['delivered'].pk}/", "scenario"),
    "dashboard-unconfirmed": ("unconfirmed", lambda s: "/dashboard/", "community"),
    "listing-flag": ("other", lambda s: f"/listings/{s.offer.pk}/flag/", "scenario"),
    "moderation": ("moderator", lambda s: "/moderation/", "community"),
    "profile-as-administrator": ("admin", lambda s: f"/members/{s.moderator.pk}/", "community"),
    "invitations": ("admin", lambda s: "/invitations/", "community"),
    "account-security": ("owner", lambda s: "/account/security/", "scenario"),
    "api-tokens": ("owner", lambda s: "/account/api-tokens/", "community"),
    "calendar": ("owner", lambda s: "/calendar/", "scenario"),
    "email": ("unconfirmed", lambda s: "/accounts/email/", "community"),
    "mfa": ("owner", lambda s: "/accounts/2fa/", "scenario"),
}


@pytest.mark.parametrize("name", list(PAGES))
def test_page_fits_a_phone_screen(name, request, new_page):
    who, path, data = PAGES[name]
    scenario = request.getfixturevalue(data)
    page = new_page(as_member=getattr(scenario, who), viewport=PHONE)
    page.goto(path(scenario))
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    widths = page.evaluate(
        """() => ({
            scrollWidth: document.documentElement.scrollWidth,
            innerWidth: window.innerWidth,
            // The elements that stick out, to say what to fix.
            wide: [...document.querySelectorAll("body *")]
                .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 0.5)
                .filter((el) => !el.closest(".visually-hidden, .skip-link"))
                .slice(0, 10)
                .map((el) => el.outerHTML.slice(0, 120)),
            // Boxes that scroll sideways inside the page: a table in a scroll
            // box hides its last columns from whoever does not think to swipe.
            scrollers: [...document.querySelectorAll("main *")]
                .filter((el) => el.scrollWidth > el.clientWidth + 1)
                .filter((el) => ["auto", "scroll"].includes(getComputedStyle(el).overflowX))
                .map((el) => el.outerHTML.slice(0, 120)),
            // Table cells cut off at the edge of their table's box.
            clipped: [...document.querySelectorAll("main td, main th")]
                // Headings kept for screen readers only (the stacked rows show
                // them beside each value) are one pixel, clipped on purpose.
                .filter((cell) => !(cell.closest("thead")?.getBoundingClientRect().width <= 1))
                .filter((cell) => {
                    const box = (cell.closest(".table-wrap") || document.body)
                        .getBoundingClientRect();
                    return cell.getBoundingClientRect().right > box.right + 0.5
                        || cell.scrollWidth > cell.clientWidth + 1;
                })
                .map((cell) => cell.outerHTML.slice(0, 120)),
        })"""
    )
    page.screenshot(path=artefact("phone", f"{name}.png"), full_page=True)
    assert widths["innerWidth"] == PHONE["width"]
    assert widths["scrollWidth"] <= widths["innerWidth"], (
        f"{name} scrolls sideways on a phone: {widths['scrollWidth']}px of content in a "
        f"{widths['innerWidth']}px window. Wider than the screen: {widths['wide']}"
    )
    assert widths["scrollers"] == [], f"{name} has a sideways scroll box: {widths['scrollers']}"
    assert widths["clipped"] == [], f"{name} cuts off table cells: {widths['clipped']}"
    # The stacked tables, and the menu open over them, as a screen reader meets them.
    page.locator(".nav-menu > summary").click()
    expect(page.locator(".nav-menu")).to_have_js_property("open", True)
    assert_no_axe_violations(page, name)

"""The list pages on a phone: the search box and the results come first on
the screen, the other filters fold under one button that opens from the
keyboard and without script; on a wide screen the filters are a sidebar
(issue 12 point 18)."""

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
PAGES = {
    "listings": ("/listings/", "Filter results", "Survival analysis in R"),
    "members": ("/members/", "Filter members", "Amina Okafor"),
}
# A filter that folds away on a phone, on each page.
FOLDED = {"listings": "Improvement area", "members": "Skills in"}


@pytest.mark.parametrize("name", list(PAGES))
@pytest.mark.parametrize("javascript", [True, False], ids=["script", "no-script"])
def test_on_a_phone_the_results_come_first_and_the_filters_fold(
    name, javascript, scenario, new_page
):
    path, button_name, result = PAGES[name]
    page = new_page(as_member=scenario.other, viewport=PHONE, java_script_enabled=javascript)
    page.goto(path)
    search = page.get_by_role("searchbox", name="Search")
    first_result = page.locator("#results").get_by_role("link").first
    folded = page.get_by_label(FOLDED[name], exact=True)

    # The search box and the first result are on the first screen; the other
    # filters are folded away.
    expect(search).to_be_in_viewport()
    expect(first_result).to_be_in_viewport()
    expect(folded).to_be_hidden()
    button = page.locator("summary", has_text=button_name)
    expect(button).to_be_visible()
    page.screenshot(path=artefact("browse", f"phone-{name}-{javascript}.png"), full_page=True)

    button.focus()
    page.keyboard.press("Enter")
    expect(folded).to_be_visible()
    if javascript:  # axe is a script: it cannot run where script is off.
        assert_no_axe_violations(page, f"{name}, filters open")
    search.fill(result.split()[0])
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(rf"\?q={result.split()[0]}"))
    expect(page.locator("#results").get_by_role("link", name=result)).to_be_visible()
    page.screenshot(path=artefact("browse", f"phone-{name}-{javascript}-open.png"), full_page=True)


@pytest.mark.parametrize("name", list(PAGES))
@pytest.mark.parametrize("javascript", [True, False], ids=["script", "no-script"])
def test_on_a_wide_screen_the_filters_are_an_open_sidebar(name, javascript, scenario, new_page):
    path, button_name, result = PAGES[name]
    page = new_page(as_member=scenario.other, viewport=DESKTOP, java_script_enabled=javascript)
    page.goto(path)

    expect(page.locator("summary", has_text=button_name)).to_be_hidden()
    search = page.get_by_role("searchbox", name="Search")
    expect(search).to_be_visible()
    first_result = page.locator("#results").get_by_role("link", name=result)
    # Beside the results, not above them.
    assert search.bounding_box()["x"] < first_result.bounding_box()["x"]
    # High on the first screen, below the header and its language strip.
    assert search.bounding_box()["y"] < DESKTOP["height"] * 0.55
    page.screenshot(path=artefact("browse", f"wide-{name}-{javascript}.png"))

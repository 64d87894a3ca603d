"""A refusal by a rule is a field error like any other (issue 12 §5): on the
field it is about, marked invalid, linked from the error summary in the
form's order, together with the other errors; at 1280 px and on a phone."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from equitime.browser_tests.support import artefact

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SCREENS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.mark.parametrize("screen", list(SCREENS))
def test_a_money_refusal_sits_on_its_field_with_the_other_errors(screen, scenario, new_page):
    page = new_page(as_member=scenario.owner, viewport=SCREENS[screen])
    page.goto("/listings/new/request/")
    page.get_by_label("Title").fill("Help with our audit")
    page.get_by_label("Description").fill("I can do your audit for £30/hour, paid via PayPal.")
    page.get_by_role("button", name="Publish").click()

    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    links = summary.get_by_role("link")
    targets = [links.nth(i).get_attribute("href") for i in range(links.count())]
    # The money refusal in the form's order, among the other field errors.
    assert "#id_description" in targets
    assert "#id_benefit" in targets
    assert targets.index("#id_description") < targets.index("#id_benefit")

    description = page.get_by_label("Description")
    expect(description).to_have_attribute("aria-invalid", "true")
    error = page.locator("#id_description_error")
    expect(error).to_contain_text("No money changes hands")
    assert "id_description_error" in (description.get_attribute("aria-describedby") or "")

    summary.get_by_role("link", name="Description").click()
    expect(description).to_be_focused()

    violations = Axe().run(page, options={"resultTypes": ["violations"]}).response["violations"]
    assert not violations, [v["id"] for v in violations]
    page.screenshot(path=artefact("rule-refusals", f"{screen}.png"), full_page=True)

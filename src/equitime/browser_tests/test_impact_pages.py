"""The impact dashboard and the public impact page in the browser, at desktop
and phone widths: scanned by axe and kept as screenshots; the filter is
used with the keyboard alone."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from equitime.browser_tests.support import artefact, assert_no_axe_violations
from equitime.campaigns.tests.factories import administrator
from equitime.impact.aggregates import aggregates_rebuild
from equitime.impact.tests.community import build

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def test_the_dashboard_and_the_public_page(new_page):
    community = build()
    aggregates_rebuild(now=timezone.now())
    admin = administrator()
    for viewport, width in ((DESKTOP, "1280"), (PHONE, "390")):
        page = new_page(as_member=admin, viewport=viewport)
        page.goto("/impact/dashboard/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Impact dashboard")
        expect(page.get_by_role("img", name="Hours exchanged, month by month")).to_be_visible()
        expect(page.get_by_test_id("impact-table-organisation")).to_contain_text(
            "withheld (fewer than 5 members)"
        )
        page.screenshot(path=artefact("impact", width, "dashboard.png"), full_page=True)
        assert_no_axe_violations(page, f"impact dashboard at {width}")

        page = new_page(viewport=viewport)
        page.goto("/impact/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Our impact")
        expect(page.get_by_test_id("impact-across")).to_be_visible()
        page.screenshot(path=artefact("impact", width, "public.png"), full_page=True)
        assert_no_axe_violations(page, f"public impact page at {width}")

    # One organisation, chosen with the keyboard alone.
    page = new_page(as_member=admin, viewport=DESKTOP)
    page.goto("/impact/dashboard/")
    choice = page.get_by_label("Organisation", exact=True)
    choice.focus()
    choice.select_option(label=community.trust.name)
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Show figures")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_text(f"What the hours of {community.trust.name}")).to_be_visible()
    page.screenshot(path=artefact("impact", "1280", "dashboard-trust.png"), full_page=True)
    assert_no_axe_violations(page, "impact dashboard for one organisation")

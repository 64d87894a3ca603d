"""The footer names the zone a member reads times in, and its link takes them
to the field where they change it."""

import pytest
from playwright.sync_api import expect

from equitime.browser_tests.support import artefact, assert_no_axe_violations
from equitime.members.models import Profile

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_member_in_kolkata_is_told_and_can_change_it(make_member, new_page):
    member = make_member(display_name="Kiran Rao")
    Profile.objects.filter(member=member).update(time_zone="Asia/Kolkata")
    page = new_page(as_member=member, viewport={"width": 1280, "height": 800})

    page.goto("/exchanges/")
    zone = page.get_by_test_id("reading-zone")
    expect(zone).to_contain_text("Times are shown in Kolkata time (IST, UTC+5:30).")
    zone.scroll_into_view_if_needed()
    page.screenshot(path=artefact("time-zones", "footer-kolkata.png"), full_page=True)
    assert_no_axe_violations(page, "exchanges, Kolkata footer")

    zone.get_by_role("link", name="Change your time zone").click()
    assert page.url.endswith("/profile/edit/#id_time_zone")
    expect(page.locator("#id_time_zone")).to_have_value("Asia/Kolkata")

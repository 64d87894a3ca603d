"""A group session in the browser, under each credit policy: three places,
five colleagues sign up (three get places, two wait), one gives hers up and
the first waiting moves up, the organiser ticks two attendees from the
keyboard, and the books are whole afterwards. The session's page is scanned
by axe and kept as screenshots at desktop and phone widths."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from equitime.browser_tests.support import artefact, assert_no_axe_violations
from equitime.ledger.models import Account
from equitime.ledger.verify import verify_ledger
from equitime.members.tests.factories import make_member
from equitime.scheduling.models import CreditPolicy, Seat, Session
from equitime.scheduling.tests.factories import group_session

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def open_session(new_page, member, session, viewport=DESKTOP) -> Page:
    page = new_page(as_member=member, viewport=viewport)
    page.goto(f"/sessions/groups/{session.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(session.title)
    return page


def statuses(session) -> list[str]:
    return list(
        Seat.objects.filter(session=session)
        .order_by("joined_at", "pk")
        .values_list("status", flat=True)
    )


@pytest.mark.parametrize("policy", [CreditPolicy.FREE, CreditPolicy.SHARED])
def test_a_group_session_from_sign_up_to_attendance(new_page, policy):
    organiser = make_member(display_name="Olu Organiser")
    colleagues = [make_member(display_name=f"Colleague {n}") for n in range(5)]
    session = group_session(organiser, policy=policy, capacity=3, minutes=60)

    for n, colleague in enumerate(colleagues):
        page = open_session(new_page, colleague, session)
        button = "Sign up" if n < 3 else "Join the waiting list"
        page.get_by_role("button", name=button).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(session.title)
        if n >= 3:
            expect(page.get_by_test_id("position")).to_contain_text(f"number {n - 2}")
    assert statuses(session) == ["booked"] * 3 + ["waiting"] * 2

    # Looked at by the last to wait, at both widths, and scanned.
    for viewport, width in ((DESKTOP, "1280"), (PHONE, "390")):
        page = open_session(new_page, colleagues[4], session, viewport)
        expect(page.get_by_test_id("free-places")).to_have_text("All 3 places taken")
        expect(page.get_by_test_id("cost")).to_contain_text(
            "Free" if policy == CreditPolicy.FREE else "Costs you 20 minutes"
        )
        page.screenshot(
            path=artefact("group-session", width, f"waiting-{policy}.png"), full_page=True
        )
        assert_no_axe_violations(page, f"group session page at {width} ({policy})")

    # The first gives up her place: the first waiting moves up.
    page = open_session(new_page, colleagues[0], session)
    page.get_by_role("button", name="Give up my place").click()
    expect(page.get_by_test_id("my-place")).to_contain_text("Join the waiting list")
    assert statuses(session) == ["left", "booked", "booked", "booked", "waiting"]
    assert Account.objects.get(member=colleagues[0]).available == 120

    # After the start the organiser records two of the three, from the keyboard.
    Session.objects.filter(pk=session.pk).update(starts_at=timezone.now() - timedelta(minutes=5))
    page = open_session(new_page, organiser, session)
    expect(page.get_by_test_id("waiting-list")).to_contain_text("Colleague 4")
    for name in ("Colleague 1", "Colleague 3"):
        page.get_by_label(name).focus()
        page.keyboard.press("Space")
    page.screenshot(
        path=artefact("group-session", "1280", f"attendance-{policy}.png"), full_page=True
    )
    assert_no_axe_violations(page, f"the organiser's page ({policy})")
    page.get_by_role("button", name="Record attendance").click()
    expect(page.get_by_test_id("attendance-recorded")).to_be_visible()

    session.refresh_from_db()
    assert session.status == Session.Status.HELD
    assert Account.objects.get(member=organiser).balance == 120 + 60
    paid = 20 if policy == CreditPolicy.SHARED else 0
    balances = {c.display_name: Account.objects.get(member=c).balance for c in colleagues}
    assert balances == {
        "Colleague 0": 120,
        "Colleague 1": 120 - paid,
        "Colleague 2": 120,
        "Colleague 3": 120 - paid,
        "Colleague 4": 120,
    }
    report = verify_ledger()
    assert report.ok, report.problems

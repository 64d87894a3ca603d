"""A coordinator in the browser: records a care assistant's consent with the
colleague picker, records an hour he gave a nurse, and logs it for him once the
nurse has accepted; the care assistant then reads, on his exchange and under
"Who may act for me", who recorded what. Each page is scanned by axe and kept
as screenshots at 1280 and 390 pixels wide."""

import pytest
from playwright.sync_api import Page, expect

from equitime.browser_tests.support import artefact, assert_no_axe_violations
from equitime.coordination.models import Consent
from equitime.coordination.tests.factories import make_coordinator
from equitime.exchanges import services as exchanges
from equitime.exchanges.models import Exchange, Status
from equitime.ledger.verify import verify_ledger
from equitime.members.tests.factories import make_member

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
WIDTHS = ((DESKTOP, "1280"), (PHONE, "390"))


def look(page: Page, width: str, name: str) -> None:
    page.screenshot(path=artefact("coordination", width, f"{name}.png"), full_page=True)
    assert_no_axe_violations(page, f"{name} at {width}")


def choose(page: Page, label: str, text: str, name: str) -> None:
    box = page.get_by_role("combobox", name=label)
    box.fill("")
    box.focus()
    page.keyboard.type(text, delay=30)
    page.get_by_role("listbox").get_by_role("option", name=name).first.click()
    expect(box).to_have_value(name)


def test_a_coordinator_records_an_hour_for_a_care_assistant(new_page):
    denise = make_coordinator(display_name="Denise Clarke")
    joseph = make_member(display_name="Joseph Adeyemi")
    amina = make_member(display_name="Amina Okafor")

    # Consent, recorded from the coordination page with the picker.
    page = new_page(as_member=denise, viewport=DESKTOP)
    page.goto("/coordinate/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Coordination")
    look(page, "1280", "01-coordination-empty")
    choose(page, "Member's name", "Jos", "Joseph Adeyemi")
    page.get_by_label("On a paper form").check()
    page.get_by_label("Note").fill("Signed form in his supervision file.")
    page.get_by_role("button", name="Record consent").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Acting for Joseph Adeyemi")
    assert Consent.objects.get(coordinator=denise, member=joseph).method == "paper"

    # The hour Joseph gave Amina's ward, proposed for him.
    page.get_by_role("link", name="Record an exchange").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Record an exchange for Joseph Adeyemi"
    )
    choose(page, "Colleague's name", "Ami", "Amina Okafor")
    page.get_by_label("Joseph Adeyemi gave their time").check()
    page.get_by_label("What was it?").fill("Mouth care for people living with dementia")
    page.get_by_label("Improvement area").select_option(label="Patient experience")
    page.get_by_label("How it helps health and care").fill(
        "Ward staff give mouth care that patients with dementia accept."
    )
    page.get_by_label("Hours").fill("1")
    look(page, "1280", "02-exchange-form")
    page.get_by_role("button", name="Send to the colleague").click()
    expect(page.get_by_text("Recorded for Joseph Adeyemi and sent to Amina Okafor")).to_be_visible()
    exchange = Exchange.objects.get(recorded_by=denise)

    # Amina accepts as anyone would; Denise logs Joseph's hour from his page.
    exchanges.exchange_accept(exchange=exchange, member=amina)
    for viewport, width in WIDTHS:
        page = new_page(as_member=denise, viewport=viewport)
        page.goto(f"/coordinate/{joseph.pk}/")
        expect(page.get_by_test_id(f"exchange-{exchange.pk}")).to_contain_text("Accepted")
        look(page, width, "03-member-page")
    page.get_by_label("Hours they gave").fill("1")
    page.get_by_role("button", name="Log the hours for them").click()
    expect(page.get_by_text("Recorded for Joseph Adeyemi.")).to_be_visible()
    assert Exchange.objects.get(pk=exchange.pk).status == Status.DELIVERED
    exchanges.exchange_confirm(exchange=exchange, member=amina)

    for viewport, width in WIDTHS:
        page = new_page(as_member=denise, viewport=viewport)
        page.goto("/coordinate/")
        expect(page.get_by_text("Consent on record")).to_be_visible()
        look(page, width, "04-coordination-home")

    # Joseph (or someone helping him) reads who recorded what, and may withdraw.
    for viewport, width in WIDTHS:
        page = new_page(as_member=joseph, viewport=viewport)
        page.goto(f"/exchanges/{exchange.pk}/")
        expect(page.get_by_test_id("recorded-by")).to_contain_text("Denise Clarke (coordinator)")
        expect(page.get_by_test_id("event-recorded-by")).to_have_count(2)
        look(page, width, "05-exchange-seen-by-the-member")
        page.goto("/account/coordinators/")
        expect(page.get_by_text("May act for you")).to_be_visible()
        look(page, width, "06-who-may-act-for-me")
    page.get_by_role("button", name="Withdraw consent").click()
    expect(page.get_by_text("Denise Clarke can no longer act for you.")).to_be_visible()
    assert not Consent.objects.get(member=joseph).is_standing
    report = verify_ledger()
    assert report.ok, report.problems

"""A member opens their CPD record, chooses a period, and downloads it as PDF
and as CSV; the CSV's totals are the ledger's. The page is scanned by axe at
390 and 1280 px, and a screenshot of each is kept (``cpd-record/``)."""

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from equitime.browser_tests.support import artefact, assert_no_axe_violations
from equitime.exchanges import services as exchanges
from equitime.exchanges.models import Status
from equitime.exchanges.tests.factories import exchange_at
from equitime.listings.tests.factories import listing
from equitime.members.models import Organisation

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def amina(make_member):
    """A demo-like nurse who coached a midwife and wrote a reflective account."""
    trust = Organisation.objects.create(name="Northgate NHS Foundation Trust", kind="nhs_trust")
    partner = Organisation.objects.create(name="Kenyatta Hospital", kind="international")
    amina = make_member(
        display_name="Amina Okafor",
        email="amina@example.nhs.uk",
        profession="Ward manager",
        organisation=trust,
    )
    rebecca = make_member(
        display_name="Siobhán Ní Bhriain",
        email="siobhan@example.org",
        profession="Midwife",
        organisation=partner,
    )
    offer = listing(amina, title="Coaching for new ward leads", skills=("leadership-coaching",))
    done = exchange_at(Status.COMPLETED, listing=offer, receiver=rebecca, minutes=90)
    exchanges.thanks_give(
        exchange=done,
        member=rebecca,
        message="Amina listened more than she spoke.",
        impact="Our handovers now end with a two-minute safety check.",
    )
    exchanges.reflection_save(
        exchange=done,
        member=amina,
        text="An hour and a half coaching a midwife newly in charge of a labour ward.",
        learned="What works on my ward is not a template for hers.",
        practice_change="I ask new leads what their handover is for before how to run it.",
        standards="NMC Code: Practise effectively",
    )
    return amina


def test_a_member_downloads_their_cpd_record(new_page, amina, tmp_path):
    page = new_page(as_member=amina, viewport=DESKTOP, accept_downloads=True)
    page.goto("/dashboard/")
    page.get_by_role("link", name="My CPD record").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My CPD record")

    today = timezone.localdate()
    page.locator("#id_start").fill((today - timedelta(days=30)).isoformat())
    page.locator("#id_end").fill(today.isoformat())
    page.get_by_role("button", name="Show this period").click()
    expect(page.get_by_test_id("given")).to_contain_text("1.5")
    expect(page.get_by_text("What works on my ward is not a template for hers.")).to_be_visible()
    assert_no_axe_violations(page, "/cpd/ at 1280 px")
    page.screenshot(path=artefact("cpd-record", "1280", "cpd-record.png"), full_page=True)

    with page.expect_download() as pdf_download:
        page.get_by_role("link", name="Download PDF").click()
    pdf_path = tmp_path / "record.pdf"
    pdf_download.value.save_as(pdf_path)
    reader = PdfReader(pdf_path)
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "Amina Okafor" in text and "Siobhán Ní Bhriain" in text
    assert "NMC Code: Practise effectively" in text

    with page.expect_download() as csv_download:
        page.get_by_role("link", name="Download CSV").click()
    csv_path = tmp_path / "record.csv"
    csv_download.value.save_as(csv_path)
    rows = list(csv.DictReader(io.StringIO(csv_path.read_text(encoding="utf-8-sig"))))
    totals = {r["Given or received"]: int(r["Minutes"]) for r in rows if not r["Date"]}
    payment = amina.exchanges_given.get().payment
    assert totals == {"Total given": payment.amount, "Total received": 0, "Total attended": 0}


def test_the_cpd_record_on_a_phone_is_axe_clean(new_page, amina):
    page = new_page(as_member=amina, viewport=PHONE)
    page.goto("/cpd/")
    expect(page.get_by_test_id("activity")).to_have_count(1)
    assert_no_axe_violations(page, "/cpd/ at 390 px")
    page.screenshot(path=artefact("cpd-record", "390", "cpd-record.png"), full_page=True)
    # A bad period is a form error at the field, not a failure.
    page.goto("/cpd/?start=2026-03-02&end=2026-03-01")
    expect(page.get_by_role("alert")).to_contain_text("The period must start")
    assert_no_axe_violations(page, "/cpd/ with an error at 390 px")

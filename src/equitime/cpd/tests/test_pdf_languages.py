"""The CPD PDF in its reader's language: /Lang says which, and Arabic is
shaped and laid out right to left, its text still extractable, its structure
still tagged."""

import io
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from equitime.cpd.pdf import TaggedPDF
from equitime.cpd.tests.test_downloads import PERIOD, structure
from equitime.members.models import Member, Profile

pytestmark = pytest.mark.django_db

ARABIC_NAME = "ليلى حداد"


def read_pdf(client, member: Member, language: str) -> PdfReader:
    Profile.objects.filter(member=member).update(language=language)
    client.force_login(member)
    response = client.get(reverse("cpd_record_pdf"), PERIOD)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return PdfReader(io.BytesIO(response.content))


def text_of(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def test_an_arabic_readers_pdf_says_ar_and_reads_its_arabic_title(client, history):
    Member.objects.filter(pk=history.me.pk).update(display_name=ARABIC_NAME)
    reader = read_pdf(client, history.me, "ar")
    root: Any = reader.trailer["/Root"]

    assert str(root["/Lang"]) == "ar"
    with translation.override("ar"):
        heading = translation.gettext("Continuing professional development record")
        summary = translation.gettext("Summary")
    text = text_of(reader)
    # Shaped (joined letters) yet read back as the letters written, in order.
    assert heading in text
    assert summary in text
    assert ARABIC_NAME in text
    assert reader.metadata is not None and ARABIC_NAME in str(reader.metadata.title)
    # Still tagged as the left-to-right record is.
    roles = [role for _, role, _ in structure(reader)]
    assert roles[0] == "Document"
    for role in ("H1", "H2", "H3", "P", "Table", "TR", "TH", "TD", "Sect"):
        assert role in roles, role


def test_a_welsh_readers_pdf_says_cy_with_welsh_dates(client, history):
    reader = read_pdf(client, history.me, "cy")
    root: Any = reader.trailer["/Root"]

    assert str(root["/Lang"]) == "cy"
    with translation.override("cy"):
        heading = translation.gettext("Continuing professional development record")
        march = translation.gettext("March")  # Django's own catalogue: "Mawrth"
    assert march == "Mawrth"
    text = text_of(reader)
    assert heading in text
    assert f"3 {march} 2026" in text  # the period's end, in Welsh


def test_an_english_readers_pdf_is_unchanged_left_to_right(client, history):
    reader = read_pdf(client, history.me, "en-gb")
    root: Any = reader.trailer["/Root"]
    assert str(root["/Lang"]).lower() == "en-gb"
    assert "Continuing professional development record" in text_of(reader)


def cell_lefts(pdf: TaggedPDF) -> list[float]:
    """Where each cell of a one-row table starts, in drawing order."""
    lefts: list[float] = []
    original = pdf._cell_lines

    def spy(lines, x, *args):
        lefts.append(x)
        return original(lines, x, *args)

    pdf._cell_lines = spy  # type: ignore[method-assign]
    pdf.add_page()
    pdf.data_table(["Skill", "Given"], [["Coaching", "1.5"]], [3, 1])
    return lefts


def test_right_to_left_tables_start_at_the_right_margin():
    ltr = cell_lefts(TaggedPDF(running_head="", footer_note=""))
    rtl = cell_lefts(TaggedPDF(running_head="", footer_note="", rtl=True))
    # Left to right, the first column is leftmost; right to left, rightmost.
    assert ltr[0] < ltr[1]
    assert rtl[0] > rtl[1]
    assert TaggedPDF(running_head="", footer_note="", rtl=True).start == "R"


def test_the_csvs_headings_are_in_the_readers_language_and_its_figures_for_machines(
    client, history
):
    from equitime.cpd.export_csv import header

    Profile.objects.filter(member=history.me).update(language="ar")
    client.force_login(history.me)
    response = client.get(reverse("cpd_record_csv"), PERIOD)

    with translation.override("ar"):
        expected = header()
    rows = response.content.decode("utf-8-sig").splitlines()
    assert rows[0] == ",".join(expected)
    # Hours stay "1.5" (not Arabic's "1,5"): a spreadsheet reads the cell as a number.
    assert any(",1.5,90," in row for row in rows[1:])

"""The page, the PDF, the CSV and the API: the same record, the member's alone."""

import csv
import io
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db.models import Q, Sum
from django.urls import reverse
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from equitime.cpd.forms import Period
from equitime.cpd.tests.conftest import LONG_REFLECTION
from equitime.ledger.models import Account, Transfer

pytestmark = pytest.mark.django_db
PERIOD = {"start": "2026-01-01", "end": "2026-03-03"}
SIGN_IN = reverse("account_login")


def get(client, name, **params):
    return client.get(reverse(name), params or PERIOD)


def csv_rows(response) -> list[dict[str, str]]:
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def ledger_minutes(member, period: Period) -> tuple[int, int]:
    """Given and received in the period, from the ledger alone: posted exchange
    payments and group-session pay credited to the member, less reversals;
    posted exchange payments debited from them, less reversals."""
    account = Account.objects.get(member=member)
    when = Q(created_at__gte=period.since, created_at__lt=period.until)
    posted = Transfer.objects.filter(when, state=Transfer.State.POSTED)

    def total(queryset) -> int:
        return queryset.aggregate(total=Sum("amount", default=0))["total"]

    earned = total(posted.filter(credit_account=account, kind__in=["exchange", "group_session"]))
    earned -= total(
        posted.filter(debit_account=account, kind="reversal", reverses__kind="exchange")
    )
    paid = total(posted.filter(debit_account=account, kind="exchange"))
    paid -= total(posted.filter(credit_account=account, kind="reversal", reverses__kind="exchange"))
    return earned, paid


# --- The CSV ------------------------------------------------------------------------


def test_the_csv_totals_equal_the_ledgers_posted_transfers(client, history):
    client.force_login(history.me)
    response = get(client, "cpd_record_csv")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"
    rows = csv_rows(response)
    activities = [row for row in rows if row["Date"]]
    totals = {row["Given or received"]: int(row["Minutes"]) for row in rows if not row["Date"]}
    period = Period(date(2026, 1, 1), date(2026, 3, 3), ZoneInfo("Europe/London"))
    earned, paid = ledger_minutes(history.me, period)
    assert (totals["Total given"], totals["Total received"]) == (earned, paid) == (150, 60)
    assert totals["Total attended"] == 45
    # The activity rows add up to the totals.
    given = sum(int(r["Minutes"]) for r in activities if r["Given or received"] == "Given")
    assert given == earned
    assert len(activities) == 4


def test_the_csv_names_colleagues_skills_thanks_and_the_reflection(client, history):
    client.force_login(history.me)
    rows = csv_rows(get(client, "cpd_record_csv"))
    given = next(row for row in rows if row["Title"] == "Coaching new ward leads")

    assert given["Colleague"] == "Chloé Martin"
    assert given["Profession"] == "Social worker"
    assert given["Organisation"] == "Brightwater Council"
    assert given["Skills"] == "Leadership coaching; Mentoring"
    assert given["Hours"] == "1.5"
    assert given["What happened"] == LONG_REFLECTION.strip()
    assert given["Standards"] == "NMC Code: Practise effectively"


def test_csv_cells_that_would_be_formulas_are_neutralised(client, history):
    client.force_login(history.me)
    rows = csv_rows(get(client, "cpd_record_csv"))
    given = next(row for row in rows if row["Title"] == "Coaching new ward leads")

    assert given["Impact noted"].startswith("'=HYPERLINK")
    assert given["How it changed my practice"] == "'-I now start with the team's own question."


# --- The PDF ------------------------------------------------------------------------


def resolved(value) -> Any:
    return value.get_object() if isinstance(value, IndirectObject) else value


def title_of(reader: PdfReader) -> str:
    assert reader.metadata is not None
    return str(reader.metadata.title)


def structure(reader: PdfReader) -> list[tuple[int, str, DictionaryObject]]:
    """(depth, role, element) for every structure element, in reading order."""
    out = []

    def walk(node, depth):
        kids = resolved(node.get("/K"))
        if kids is None:
            return
        for kid in kids if isinstance(kids, ArrayObject) else [kids]:
            kid = resolved(kid)
            if isinstance(kid, DictionaryObject) and kid.get("/Type") == "/StructElem":
                out.append((depth, str(kid["/S"])[1:], kid))
                walk(kid, depth + 1)

    root: Any = reader.trailer["/Root"]
    walk(resolved(root["/StructTreeRoot"]), 0)
    return out


def test_the_pdf_is_tagged_for_screen_readers(client, history):
    client.force_login(history.me)
    response = get(client, "cpd_record_pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    root: Any = reader.trailer["/Root"]

    assert bool(root["/MarkInfo"]["/Marked"])
    assert str(root["/Lang"]).lower().startswith("en")
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]
    assert "Siobhán Ní Bhriain" in title_of(reader)
    elements = structure(reader)
    roles = [role for _, role, _ in elements]
    assert roles[0] == "Document"
    for role in ("H1", "H2", "H3", "H4", "P", "Table", "TR", "TH", "TD", "Sect"):
        assert role in roles, role
    # Headings in reading order: the title, the summary, the tables, then activities.
    headings = [role for role in roles if role.startswith("H")]
    assert headings[:5] == ["H1", "H2", "H2", "H2", "H2"]
    # A table's rows hold header and data cells; header cells say their scope.
    scopes = {str(resolved(e["/A"])["/Scope"]) for _, role, e in elements if role == "TH"}
    assert scopes == {"/Column", "/Row"}
    # Every page's marked content belongs to an element the parent tree knows.
    parent_tree = resolved(root["/StructTreeRoot"]["/ParentTree"])
    nums: Any = parent_tree["/Nums"]
    keys = {int(nums[i]) for i in range(0, len(nums), 2)}
    assert keys == {int(resolved(page["/StructParents"])) for page in reader.pages}


def test_the_pdf_names_the_member_the_period_the_date_and_renders_their_names(client, history):
    client.force_login(history.me)
    reader = PdfReader(io.BytesIO(get(client, "cpd_record_pdf").content))
    text = "\n".join(page.extract_text() for page in reader.pages)

    assert "Siobhán Ní Bhriain" in text
    assert "Nurse, St Elsewhere NHS Trust" in text
    assert "Chloé Martin" in text
    assert "1 January 2026 to 3 March 2026" in text
    assert "Produced on 3 March 2026" in text
    assert f"Page 1 of {len(reader.pages)}" in text
    # A Unicode font, embedded (subset), so every name renders on any machine.
    fonts = {
        str(resolved(font["/DescendantFonts"][0])["/FontDescriptor"].get("/FontFile2") is not None)
        for page in reader.pages
        for font in (resolved(f) for f in resolved(page["/Resources"])["/Font"].values())
    }
    assert fonts == {"True"}
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=0.1)  # A4


def test_a_long_reflection_wraps_and_breaks_across_pages_as_one_paragraph(client, history):
    client.force_login(history.me)
    reader = PdfReader(io.BytesIO(get(client, "cpd_record_pdf").content))

    assert len(reader.pages) >= 2

    def pages_of(element) -> set[str]:
        kids = [resolved(kid) for kid in resolved(element["/K"])]
        return {str(kid["/Pg"]) for kid in kids if isinstance(kid, DictionaryObject)}

    spanning = [e for _, role, e in structure(reader) if role == "P" and len(pages_of(e)) > 1]
    assert spanning, "the 4,000-character reflection is one paragraph on two pages"


# --- The page -----------------------------------------------------------------------


def test_the_page_shows_the_summary_tables_activities_and_downloads(client, history):
    client.force_login(history.me)
    response = get(client, "cpd_record")

    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="given">2.5' in page
    assert "Hours by skill" in page and "Hours by improvement area" in page
    assert page.count('data-testid="activity"') == 4
    assert "/cpd/record.pdf?start=2026-01-01&amp;end=2026-03-03" in page
    assert "/cpd/record.csv?start=2026-01-01&amp;end=2026-03-03" in page
    assert "Ask what a handover is for" in page
    assert "Chloé&#x27;s private note" not in page and "Chloé's private note" not in page


@pytest.mark.parametrize("name", ["cpd_record", "cpd_record_pdf", "cpd_record_csv"])
def test_a_reversed_period_is_a_form_error_never_a_file(client, history, name):
    client.force_login(history.me)
    response = client.get(reverse(name), {"start": "2026-03-02", "end": "2026-03-01"})

    assert response.status_code == 422
    assert response["Content-Type"].startswith("text/html")
    assert "The period must start on or before the day it ends." in response.content.decode()


# --- Only the member's own ----------------------------------------------------------


@pytest.mark.parametrize("name", ["cpd_record", "cpd_record_pdf", "cpd_record_csv"])
def test_signed_out_visitors_are_sent_to_sign_in(client, name):
    response = client.get(reverse(name), PERIOD)
    assert response.status_code == 302
    assert response["Location"].startswith(SIGN_IN)


def test_the_api_answers_401_to_a_signed_out_caller(client, db):
    response = client.get("/api/v1/me/cpd")
    assert response.status_code == 401


def test_another_member_only_ever_gets_their_own_record(client, history):
    """No URL takes a member id: Chloé downloading gets Chloé's record, and
    nothing Siobhán wrote for herself is in it."""
    client.force_login(history.chloe)
    mine_only = "Ask what a handover is for"
    pdf = PdfReader(io.BytesIO(get(client, "cpd_record_pdf").content))
    pdf_text = "\n".join(page.extract_text() for page in pdf.pages)
    csv_text = get(client, "cpd_record_csv").content.decode("utf-8-sig")
    json_text = client.get("/api/v1/me/cpd", PERIOD).content.decode()
    page = get(client, "cpd_record").content.decode()

    for text in (pdf_text, csv_text, json_text, page):
        assert mine_only not in text
        assert "hold the silence" not in text
        assert "NMC Code: Practise effectively" not in text
    assert "Chloé's private note" in csv_text  # her own reflection
    assert "Chloé Martin" in title_of(pdf)
    # A member id in the query is ignored, not obeyed.
    sneaky = client.get(reverse("cpd_record_csv"), {**PERIOD, "member": history.me.pk})
    assert mine_only not in sneaky.content.decode("utf-8-sig")


# --- The API ------------------------------------------------------------------------


def test_the_api_gives_the_same_record_as_json(client, history):
    client.force_login(history.me)
    response = client.get("/api/v1/me/cpd", PERIOD)

    assert response.status_code == 200
    body = response.json()
    assert (body["start"], body["end"]) == ("2026-01-01", "2026-03-03")
    assert (body["given_minutes"], body["received_minutes"], body["attended_minutes"]) == (
        150,
        60,
        45,
    )
    given = next(a for a in body["activities"] if a["title"] == "Coaching new ward leads")
    assert given["role"] == "given" and given["minutes"] == 90
    assert given["colleague"]["organisation"] == "Brightwater Council"
    assert given["reflection"]["practice_change"] == "-I now start with the team's own question."
    assert given["thanks_received"][0]["message"] == "Siobhán made handover make sense."
    assert {row["name"] for row in body["by_skill"]} >= {"Leadership coaching", "Mentoring"}


@pytest.mark.parametrize(
    "params",
    [{"start": "2026-03-02", "end": "2026-03-01"}, {"start": "not-a-date"}],
    ids=["reversed", "not-a-date"],
)
def test_a_bad_period_is_a_problem_document(client, history, params):
    client.force_login(history.me)
    response = client.get("/api/v1/me/cpd", params)

    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["code"] == "invalid_fields"
    assert problem["errors"][0]["field"] == "start"

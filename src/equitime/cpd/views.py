"""The member's CPD record: the page, and the same record as PDF and CSV.

No URL names a member: each view reads the signed-in member's own record.
The downloads are private (no shared cache keeps them). A period the form
refuses is shown on the page with its errors (422), never a file.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from equitime.core.zones import zone_of
from equitime.cpd.export_csv import record_csv
from equitime.cpd.forms import Period, PeriodForm, period_from
from equitime.cpd.pdf import record_pdf
from equitime.cpd.selectors import CpdRecord, cpd_record


def _page(request, form: PeriodForm, record: CpdRecord | None, status: int = 200):
    return render(
        request,
        "cpd/record.html",
        {"form": form, "record": record},
        status=status,
    )


def _download(content: bytes | str, *, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def produced_filename(record: CpdRecord, extension: str) -> str:
    period = record.period
    return f"cpd-record-{period.start.isoformat()}-to-{period.end.isoformat()}.{extension}"


def _asked(request) -> tuple[PeriodForm, Period | None]:
    return period_from(request.GET, zone=zone_of(request.user))


@login_required
@require_safe
def record_page(request):
    form, period = _asked(request)
    if period is None:
        return _page(request, form, None, status=422)
    # The period as read (defaults filled in), so the fields show what is shown.
    shown = PeriodForm(
        {"start": period.start.isoformat(), "end": period.end.isoformat()}, zone=period.zone
    )
    return _page(request, shown, cpd_record(member=request.user, period=period))


@login_required
@require_safe
def record_pdf_download(request):
    form, period = _asked(request)
    if period is None:
        return _page(request, form, None, status=422)
    record = cpd_record(member=request.user, period=period)
    return _download(
        record_pdf(record),
        content_type="application/pdf",
        filename=produced_filename(record, "pdf"),
    )


@login_required
@require_safe
def record_csv_download(request):
    form, period = _asked(request)
    if period is None:
        return _page(request, form, None, status=422)
    record = cpd_record(member=request.user, period=period)
    # A byte-order mark, so a spreadsheet reads "Siobhán" as UTF-8.
    return _download(
        "\ufeff" + record_csv(record),
        content_type="text/csv; charset=utf-8",
        filename=produced_filename(record, "csv"),
    )

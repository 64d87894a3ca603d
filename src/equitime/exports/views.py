"""The operators' exports page: ask for an export, watch it, download it.

The page works without JavaScript: a "Refresh" link reloads the list. With
htmx (as on the list pages), the list asks for itself again every few seconds
while an export is waiting or running, and stops once all are finished.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from equitime.audit.services import client_ip
from equitime.core.errors import DomainError, add_domain_error
from equitime.core.http import MemberRequest, posted, wants_fragment
from equitime.core.retention import retention_days
from equitime.exports.errors import ExportError
from equitime.exports.forms import ExportRequestForm
from equitime.exports.selectors import export_get, exports_in_progress, exports_list
from equitime.exports.services import (
    export_check_may,
    export_download_name,
    export_open,
    export_request,
)

LIST_LENGTH = 50
POLL_SECONDS = 3


@login_required
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def export_list(request: MemberRequest) -> HttpResponse:
    export_check_may(request.user)
    form = ExportRequestForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            export = export_request(
                member=request.user, kind=form.cleaned_data["kind"], ip_address=client_ip(request)
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request,
                _("Your export of %(kind)s is on its way: it is in the list of exports.")
                % {"kind": export.get_kind_display().lower()},
            )
            return redirect("export_list")
    exports = list(exports_list()[:LIST_LENGTH])
    context = {
        "form": form,
        "exports": exports,
        "polling": exports_in_progress(exports),
        "poll_seconds": POLL_SECONDS,
        "days": retention_days("exports"),
    }
    if wants_fragment(request):
        return render(request, "exports/_export_rows.html", context)
    status = 422 if form.errors else 200
    return render(request, "exports/exports.html", context, status=status)


@login_required
@never_cache
@require_safe
def export_download(request: MemberRequest, pk: int) -> HttpResponseBase:
    export_check_may(request.user)
    export = export_get(pk=pk)
    try:
        handle = export_open(export=export, member=request.user, ip_address=client_ip(request))
    except ExportError as error:
        messages.error(request, error.message)
        return redirect("export_list")
    return FileResponse(
        handle,
        as_attachment=True,
        filename=export_download_name(export),
        content_type="text/csv; charset=utf-8",
    )

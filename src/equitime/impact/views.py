"""The impact pages: the dashboard (administrators and organisation leads)
and the public impact page (anyone, unless switched off). Thin: read the
filter, read the figures (``selectors``), draw them (``charts``)."""

import hashlib

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from equitime.campaigns.selectors import campaigns_active
from equitime.core.http import MemberRequest
from equitime.impact.access import impact_access_required
from equitime.impact.charts import bar_chart, column_chart
from equitime.impact.csv_tables import table_csv
from equitime.impact.filters import (
    DEFAULT_MONTHS,
    ImpactFilterForm,
    Scope,
    month_add,
    this_month,
)
from equitime.impact.selectors import Figures, figures_run, impact_figures, impact_notes
from equitime.members.models import Organisation

PUBLIC_MONTHS = 12


def drawing(figures: Figures) -> dict:
    """What both pages draw from the figures: the charts and the two shares."""
    return {
        "figures": figures,
        "charts": {
            "months": column_chart("chart-months", figures.months.title, figures.months.cells),
            "tables": [
                (table, bar_chart(f"chart-{table.name}", table.title, table.page_cells))
                for table in figures.tables
            ],
        },
        "shares": [
            (figures.across_organisations, _("Across organisations")),
            (figures.across_professions, _("Across professions")),
        ],
    }


def _csv_response(figures: Figures, name: str, organisation: str | None) -> HttpResponse:
    table = figures.table(name)
    if table is None:
        raise Http404("No such table.")
    scope = figures.scope
    response = HttpResponse(
        table_csv(table, scope, organisation), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="equitime-impact-{name}-{scope.first:%Y-%m}-{scope.last:%Y-%m}.csv"'
    )
    return response


@login_required
@never_cache
@require_safe
def impact_dashboard(request: MemberRequest) -> HttpResponse:
    access = impact_access_required(request.user)
    # The months shown filled in, so the form says which period the figures are for.
    data = request.GET.copy()
    if not data.get("last"):
        data["last"] = f"{this_month():%Y-%m}"
    if not data.get("first") and "last" not in request.GET:
        data["first"] = f"{month_add(this_month(), 1 - DEFAULT_MONTHS):%Y-%m}"
    form = ImpactFilterForm(data, access=access)
    context: dict = {"form": form, "access": access}
    if not form.is_valid():
        return render(request, "impact/dashboard.html", context, status=400)
    scope = form.scope()
    organisation = form.cleaned_data.get("organisation")
    if organisation is None and scope.organisation_id is not None:
        organisation = Organisation.objects.get(pk=scope.organisation_id)
    figures = impact_figures(scope)
    name = organisation.name if organisation else None
    if request.GET.get("format") == "csv":
        return _csv_response(figures, request.GET.get("table", ""), name)
    query = {"first": f"{scope.first:%Y-%m}", "last": f"{scope.last:%Y-%m}"}
    if scope.organisation_id is not None:
        query["organisation"] = str(scope.organisation_id)
    context.update(
        **drawing(figures),
        organisation=organisation,
        campaigns=campaigns_active(),
        notes=impact_notes(scope),
        csv_query="&".join(f"{k}={v}" for k, v in query.items()),
    )
    return render(request, "impact/dashboard.html", context)


def public_scope() -> Scope:
    last = this_month()
    return Scope(first=month_add(last, 1 - PUBLIC_MONTHS), last=last)


def _draw_public(request, figures: Figures) -> str:
    return render_to_string("impact/public.html", drawing(figures), request)


@require_safe
def impact_public(request) -> HttpResponse:
    """The whole community's figures, suppressed, for anyone: no organisation's
    name, no notes. A visitor's page is drawn once per set of figures (the last
    rebuild), month and language, and kept, as the home page is; a member's
    carries their own navigation and is drawn for them."""
    if not settings.EQUITIME_PUBLIC_IMPACT:
        raise Http404
    scope = public_scope()
    if request.user.is_authenticated or len(getattr(request, "_messages", ())):
        figures = impact_figures(scope, with_organisations=False)
        return HttpResponse(_draw_public(request, figures))
    run = figures_run()
    if run is None:  # worked out for this request: nothing to keep yet
        return HttpResponse(_draw_public(request, impact_figures(scope, with_organisations=False)))
    figures_key = f"{get_language()}:{scope!r}:{run.built_at.isoformat()}".encode()
    key = f"equitime:impact:public:{hashlib.sha256(figures_key).hexdigest()}"
    page = cache.get(key)
    if page is None:
        figures = impact_figures(scope, with_organisations=False)
        page = _draw_public(request, figures)
        cache.set(key, page, settings.EQUITIME_PAGE_CACHE_SECONDS)
    return HttpResponse(page)

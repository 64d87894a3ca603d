"""The collaboration network's page and its two CSV downloads.

Who sees what is ``access.impact_access_required``'s: community
administrators the whole community (or any organisation's neighbourhood),
organisation leads the neighbourhood of an organisation they lead (the filter
form offers only those). Everyone else gets 403; visitors are sent to sign in.
"""

import csv
from collections.abc import Iterable, Sequence

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from equitime.core.csv import csv_safe
from equitime.core.http import MemberRequest
from equitime.core.units import format_credits
from equitime.impact.access import impact_access_required
from equitime.impact.filters import ImpactFilterForm
from equitime.impact.network import (
    DRAWN_LINKS,
    NetworkView,
    bridge_clauses,
    bridge_words,
    density_words,
    drawn,
    network_filter_form,
    network_view,
    summary_words,
    withheld_words,
)
from equitime.impact.network_svg import network_svg, period_words
from equitime.impact.suppression import MIN_MEMBERS

# The tables show this many rows a page (the CSV files hold them all): at
# scale a year has some 20,000 links, which no reader scrolls through.
ORGANISATIONS_PER_PAGE = 100
LINKS_PER_PAGE = 50


def network_filters(request: MemberRequest) -> tuple[ImpactFilterForm, NetworkView | None]:
    """The filter form as the reader filled it in, and the network it asks for
    (None when the form has errors to show)."""
    access = impact_access_required(request.user)
    form = network_filter_form(access, request.GET)
    if not form.is_valid():
        return form, None
    return form, network_view(form.scope())


def _pages(request: MemberRequest, items: Sequence, parameter: str, size: int, anchor: str):
    """One page of a table's rows, and the addresses of the pages around it
    (the filters kept, the other table's page too)."""
    page = Paginator(items, size).get_page(request.GET.get(parameter))

    def address(number: int) -> str:
        query = request.GET.copy()
        query[parameter] = str(number)
        return f"?{query.urlencode()}#{anchor}"

    links = {
        "first": address(1) if page.number > 2 else "",
        "previous": address(page.previous_page_number()) if page.has_previous() else "",
        "next": address(page.next_page_number()) if page.has_next() else "",
        "last": address(page.paginator.num_pages)
        if page.number < page.paginator.num_pages - 1
        else "",
    }
    return page, links


@login_required
@never_cache
@require_safe
def network_page(request: MemberRequest) -> HttpResponse:
    form, view = network_filters(request)
    context: dict[str, object] = {"form": form, "view": view}
    if view is not None:
        rows, drawn_links = drawn(view)
        organisations, organisation_pages = _pages(
            request,
            view.organisations,
            "organisations_page",
            ORGANISATIONS_PER_PAGE,
            "network-organisations-title",
        )
        links, link_pages = _pages(
            request, view.link_list, "links_page", LINKS_PER_PAGE, "network-links-title"
        )
        context.update(
            {
                "organisations": organisations,
                "organisation_pages": organisation_pages,
                "links": links,
                "link_rows": [view.link_row(link) for link in links],
                "link_pages": link_pages,
                "period": period_words(view),
                "summary": summary_words(view),
                "svg": network_svg(view),
                "drawn_count": len(rows),
                "drawn_links": len(drawn_links),
                "drawn_links_limit": DRAWN_LINKS,
                "with_links": sum(
                    1 for row in view.organisations if not row.node.isolated or row.focus
                ),
                "density": density_words(view.network.density),
                "density_percent": round(view.network.density * 100),
                "bridges": [(row, "; ".join(bridge_clauses(row.node))) for row in view.bridges],
                "withheld": withheld_words(),
                "min_members": MIN_MEMBERS,
                "query": request.GET.urlencode(),
            }
        )
    return render(request, "impact/network.html", context)


def _csv(filename: str, header: list[str], rows: Iterable[Sequence[object]]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # so that a spreadsheet reads the names as UTF-8
    writer = csv.writer(response)
    writer.writerow([csv_safe(cell) for cell in header])
    for row in rows:
        writer.writerow([csv_safe(cell) for cell in row])
    return response


def _filename(view: NetworkView, table: str) -> str:
    scope = view.scope
    focus = f"-organisation-{scope.organisation_id}" if scope.organisation_id else ""
    return f"network-{table}-{scope.first:%Y-%m}-to-{scope.last:%Y-%m}{focus}.csv"


def _hours_cell(minutes: int | None) -> str:
    return withheld_words() if minutes is None else format_credits(minutes)


def _yes(value: bool) -> str:
    return _("yes") if value else _("no")


def _refused(form: ImpactFilterForm) -> HttpResponse:
    problems = "; ".join(
        f"{form.fields[name].label if name in form.fields else name}: {error}"
        for name, errors in form.errors.items()
        for error in errors
    )
    return HttpResponse(problems, status=400, content_type="text/plain; charset=utf-8")


@login_required
@never_cache
@require_safe
def network_organisations_csv(request: MemberRequest) -> HttpResponse:
    form, view = network_filters(request)
    if view is None:
        return _refused(form)
    header = [
        _("Organisation"),
        _("Kind"),
        _("Partners"),
        _("Hours across its boundary (links shown)"),
        _("Links with hours withheld"),
        _("Hours within the organisation"),
        _("Bridge rank"),
        _("Bridge"),
        _("What it holds together"),
        _("Isolated"),
    ]
    rows = (
        [
            row.name,
            row.kind_label,
            row.node.partners,
            format_credits(row.node.minutes_across),
            row.node.withheld_links,
            _hours_cell(None if row.node.own_withheld else row.node.own_minutes),
            row.node.bridge_rank or "",
            _yes(row.node.is_bridge),
            bridge_words(row.node),
            _yes(row.node.isolated),
        ]
        for row in view.organisations
    )
    return _csv(_filename(view, "organisations"), header, rows)


@login_required
@never_cache
@require_safe
def network_links_csv(request: MemberRequest) -> HttpResponse:
    form, view = network_filters(request)
    if view is None:
        return _refused(form)
    header = [_("Organisation A"), _("Organisation B"), _("Hours"), _("Exchanges")]
    rows = (
        [
            row.a_name,
            row.b_name,
            _hours_cell(row.link.shown_minutes),
            withheld_words() if row.link.withheld else row.link.exchanges,
        ]
        for row in view.links
    )
    return _csv(_filename(view, "links"), header, rows)

"""The browse and search page: open offers and requests, filtered.

A plain GET form, so it works without JavaScript; with htmx the form asks for
the same URL and gets back only the results, which replace the old ones.
"""

from django.contrib.auth.decorators import login_required
from django.contrib.humanize.templatetags.humanize import intcomma
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from equitime.core.pagecache import member_page
from equitime.core.paging import PAGE_SIZE, InvalidCursor, KeysetPage, page_number
from equitime.listings.filters import ListingFilterForm
from equitime.listings.selectors import listing_browse_page


def results_only(request) -> bool:
    """An in-page htmx request wants the results; a history restore needs the page."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request


def result_summary(page: KeysetPage) -> str:
    """What the live region announces after every change of filters."""
    count = page.count
    if not count and not page.has_other_pages:
        return _("No open listings match.")
    if page.count_is_capped:
        summary = _("More than %(count)s open listings found.") % {"count": intcomma(count)}
    else:
        summary = ngettext(
            "%(count)s open listing found.", "%(count)s open listings found.", count
        ) % {"count": intcomma(count)}
    if page.number and page.has_other_pages:
        start = (page.number - 1) * PAGE_SIZE + 1
        summary += " " + _("Showing %(start)s to %(end)s.") % {
            "start": intcomma(start),
            "end": intcomma(start + len(page.items) - 1),
        }
    return summary


def query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("cursor", None)
    return query.urlencode()


@member_page
@login_required
def listing_browse(request):
    form = ListingFilterForm(request.GET or None)
    filters = form.filters() if form.is_bound else {}
    number = page_number(request.GET.get("page"))
    try:
        page = listing_browse_page(cursor=request.GET.get("cursor"), number=number, **filters)
    except InvalidCursor:
        # A link mangled on its way here: start again from the first page.
        page = listing_browse_page(**filters)
    context = {
        "form": form,
        "page": page,
        "listings": page.items,
        "summary": result_summary(page),
        "links": page.links(query_without_page(request)),
    }
    template = "listings/_results.html" if results_only(request) else "listings/browse.html"
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response

"""The browse and search page: open offers and requests, filtered.

A plain GET form, so it works without JavaScript; with htmx the form asks for
the same URL and gets back only the results, which replace the old ones.
"""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from equitime.listings.filters import ListingFilterForm
from equitime.listings.selectors import listing_browse_list

PER_PAGE = 20


def results_only(request) -> bool:
    """An in-page htmx request wants the results; a history restore needs the page."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request


def result_summary(page) -> str:
    """What the live region announces after every change of filters."""
    count = page.paginator.count
    if not count:
        return _("No open listings match.")
    summary = ngettext("%(count)s open listing found.", "%(count)s open listings found.", count) % {
        "count": count
    }
    if page.has_other_pages():
        summary += " " + _("Showing %(start)s to %(end)s.") % {
            "start": page.start_index(),
            "end": page.end_index(),
        }
    return summary


def query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@login_required
def listing_browse(request):
    form = ListingFilterForm(request.GET or None)
    filters = form.filters() if form.is_bound else {}
    listings = listing_browse_list(**filters)
    page = Paginator(listings, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "listings": page.object_list,
        "summary": result_summary(page),
        "query": query_without_page(request),
    }
    template = "listings/_results.html" if results_only(request) else "listings/browse.html"
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response

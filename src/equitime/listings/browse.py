"""The browse and search page: open offers and requests, filtered.

A plain GET form, so it works without JavaScript; with htmx the form asks for
the same URL and gets back only the results, which replace the old ones.
"""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from equitime.core.http import query_without_page, wants_fragment
from equitime.core.pagecache import member_page
from equitime.core.paging import InvalidCursor, KeysetPage, page_number, page_summary
from equitime.listings.filters import ListingFilterForm
from equitime.listings.selectors import listing_browse_page


def result_summary(page: KeysetPage) -> str:
    """What the live region announces after every change of filters."""
    return page_summary(
        page,
        none_found=_("No open listings match."),
        more_than=_("More than %(count)s open listings found."),
        found=ngettext(
            "%(count)s open listing found.", "%(count)s open listings found.", page.count
        ),
    )


@member_page
@login_required
def listing_browse(request):
    form = ListingFilterForm(request.GET or None)
    filters: dict[str, Any] = form.filters() if form.is_bound else {}
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
    template = "listings/_results.html" if wants_fragment(request) else "listings/browse.html"
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response

def posted(request):
    """The form data of a POST (even an empty one), or None for a GET, so an
    empty POST is validated and answered with errors rather than shown blank."""
    return request.POST if request.method == "POST" else None


def wants_fragment(request) -> bool:
    """An in-page htmx request wants only the part it swaps in; a history
    restore (the browser's back button after an htmx swap) needs the whole page."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request


def query_without_page(request) -> str:
    """The request's query string less its page and cursor: what a list
    page's links keep (``KeysetPage.links``) as they move through the pages."""
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("cursor", None)
    return query.urlencode()

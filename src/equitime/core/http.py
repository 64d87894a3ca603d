from typing import TYPE_CHECKING

from django.http import HttpRequest, QueryDict

if TYPE_CHECKING:
    # django-stubs' stand-in for settings.AUTH_USER_MODEL: the member, named
    # without importing the app that defines it (core imports no app).
    from django.contrib.auth.models import _User


class MemberRequest(HttpRequest):
    """A request behind ``login_required``: ``user`` is the signed-in member
    (for type checking; the decorator turns everyone else away)."""

    user: "_User"


def posted(request: HttpRequest) -> QueryDict | None:
    """The form data of a POST (even an empty one), or None for a GET, so an
    empty POST is validated and answered with errors rather than shown blank."""
    return request.POST if request.method == "POST" else None


def wants_fragment(request: HttpRequest) -> bool:
    """An in-page htmx request wants only the part it swaps in; a history
    restore (the browser's back button after an htmx swap) needs the whole page."""
    htmx = getattr(request, "htmx", None)
    if not htmx:
        return False
    return not htmx.history_restore_request


def query_without_page(request: HttpRequest) -> str:
    """The request's query string less its page and cursor: what a list
    page's links keep (``KeysetPage.links``) as they move through the pages."""
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("cursor", None)
    return query.urlencode()

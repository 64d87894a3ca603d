"""Every error under /api/ is a problem document, even one that Django or
ninja answered before our handlers could: an unknown path (Django's 404
page), a method the path does not take (ninja's plain 405), a request Django
could not read (400). Error responses that are already JSON pass through.

A body longer than Django reads (DATA_UPLOAD_MAX_MEMORY_SIZE) is refused
with 413 from its Content-Length, before anything reads it; one sent without
a length is caught where it is read (api.problems)."""

from collections.abc import Callable
from http import HTTPStatus

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from equitime.api.problems import payload_too_large, problem_response, status_title

_DETAILS = {
    400: gettext_lazy("The request could not be read."),
    404: gettext_lazy("There is nothing here you can see."),
    413: gettext_lazy("The request is too large."),
    500: gettext_lazy("Something went wrong on our side. It has been logged."),
}


def _detail(status: int, request: HttpRequest, response: HttpResponseBase) -> str:
    if status == 405:
        allowed = response.get("Allow", "")
        return _("%(method)s is not allowed here; use %(allowed)s.") % {
            "method": request.method,
            "allowed": allowed or _("another method"),
        }
    return str(_DETAILS.get(status, status_title(status)))


def _phrase(status: int) -> str:
    """The English reason phrase, for the problem's code."""
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def _too_large(request: HttpRequest) -> bool:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return limit is not None and length > limit


class ApiProblemMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.path.startswith("/api/") and _too_large(request):
            return payload_too_large(request)
        response = self.get_response(request)
        if not request.path.startswith("/api/") or response.status_code < 400:
            return response
        if response.status_code >= 500 and settings.DEBUG:
            return response  # a developer wants Django's debug page
        content_type = response.get("Content-Type", "")
        if content_type.startswith(("application/json", "application/problem+json")):
            return response
        status = response.status_code
        code = "server_error" if status >= 500 else _phrase(status).lower()
        problem = problem_response(
            request,
            status=status,
            detail=_detail(status, request, response),
            code=code.replace(" ", "_").replace("-", "_"),
        )
        for header in ("Allow", "Retry-After", "WWW-Authenticate"):
            if header in response:
                problem[header] = response[header]
        return problem

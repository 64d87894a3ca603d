"""Problem responses (RFC 9457): every error the API gives has one shape.

    {"type": "https://equitime.org/problems/insufficient-credit",
     "title": "Conflict", "status": 409,
     "detail": "You have 0.5 credits available, not enough to hold 1 ...",
     "instance": "/api/v1/exchanges/12/accept",
     "code": "insufficient_credit", "retryable": false,
     "errors": [{"field": "minutes", "message": "..."}]}   (422 about fields)

Status codes are chosen by what a client can do about it:
400 the request could not be read; 401 no valid credentials; 403 known but
not allowed (read-only token, missing role, unconfirmed address, CSRF);
404 no such thing, or not yours; 409 the rules or current state refuse it
(an exchange already accepted, not enough credit, a key still in use);
422 the content is wrong (a field, or a domain rule about what was written);
429 too many requests, with Retry-After. A business rule is never a 500.
A domain refusal carries its own kind (invalid 422, forbidden 403, not found
404, conflict 409), its field when it is about one, and whether it can pass
by itself: the handler reads them off the error, and keeps no list of codes.

``retryable`` says whether sending the same request again, unchanged, can
succeed: true for a wait (429, a key's request that is just finishing, a busy
ledger) and for our own failures (5xx); false when something must change first
(the request, the credentials, or the state of things).
"""

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from http import HTTPStatus
from typing import get_args

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404, HttpRequest, JsonResponse
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError
from ninja.openapi.schema import OpenAPISchema
from pydantic_core.core_schema import ErrorType

from equitime.core.errors import DomainError, ErrorKind

PROBLEM_BASE = "https://equitime.org/problems/"
CONTENT_TYPE = "application/problem+json"

# What a client can do about a domain refusal, by its kind (core.errors.ErrorKind).
STATUS_FOR_KIND = {
    ErrorKind.INVALID: 422,
    ErrorKind.FORBIDDEN: 403,
    ErrorKind.NOT_FOUND: 404,
    ErrorKind.CONFLICT: 409,
}


# A problem's title, in the reader's language: the status's reason phrase, as
# HTTP names it (http.HTTPStatus) where no translation is known.
STATUS_TITLES = {
    400: pgettext_lazy("HTTP status", "Bad Request"),
    401: pgettext_lazy("HTTP status", "Unauthorized"),
    403: pgettext_lazy("HTTP status", "Forbidden"),
    404: pgettext_lazy("HTTP status", "Not Found"),
    405: pgettext_lazy("HTTP status", "Method Not Allowed"),
    409: pgettext_lazy("HTTP status", "Conflict"),
    413: pgettext_lazy("HTTP status", "Request Entity Too Large"),
    415: pgettext_lazy("HTTP status", "Unsupported Media Type"),
    422: pgettext_lazy("HTTP status", "Unprocessable Entity"),
    429: pgettext_lazy("HTTP status", "Too Many Requests"),
    500: pgettext_lazy("HTTP status", "Internal Server Error"),
    503: pgettext_lazy("HTTP status", "Service Unavailable"),
}


def status_title(status: int) -> str:
    """The problem's title for ``status``, translated where we can."""
    if status in STATUS_TITLES:
        return str(STATUS_TITLES[status])
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return str(pgettext_lazy("HTTP status", "Error"))


# What a field error from the schema (pydantic) says, by its type: pydantic
# writes English only. Django's own sentences where they say the same.
_SCHEMA_MESSAGES = {
    "missing": gettext_lazy("This field is required."),
    "string_type": gettext_lazy("Enter text."),
    "int_type": gettext_lazy("Enter a whole number."),
    "int_parsing": gettext_lazy("Enter a whole number."),
    "int_from_float": gettext_lazy("Enter a whole number."),
    "bool_type": gettext_lazy("Enter true or false."),
    "bool_parsing": gettext_lazy("Enter true or false."),
    "string_too_long": gettext_lazy("This text is too long."),
    "too_long": gettext_lazy("Too many items."),
    "datetime_type": gettext_lazy("Enter a valid date/time."),
    "datetime_parsing": gettext_lazy("Enter a valid date/time."),
    "datetime_from_date_parsing": gettext_lazy("Enter a valid date/time."),
    "date_type": gettext_lazy("Enter a valid date."),
    "date_parsing": gettext_lazy("Enter a valid date."),
    "date_from_datetime_parsing": gettext_lazy("Enter a valid date."),
    "list_type": gettext_lazy("Enter a list."),
    "dict_type": gettext_lazy("Enter a JSON object."),
    "model_type": gettext_lazy("Enter a JSON object."),
    "extra_forbidden": gettext_lazy("This field is not known here."),
}


# pydantic's own kinds of error, whose English messages are replaced above.
_PYDANTIC_KINDS = frozenset(get_args(ErrorType))


def schema_message(item: Mapping[str, object]) -> str:
    """A schema error's message in the reader's language: a check of ours
    (a ``ValueError`` raised by a validator) says its own, translated where it
    was raised; pydantic's own are replaced by ours."""
    kind = str(item.get("type", ""))
    context = item.get("ctx")
    if kind == "value_error" and isinstance(context, Mapping) and context.get("error"):
        return str(context["error"])
    if kind not in _PYDANTIC_KINDS and item.get("msg"):
        # A PydanticCustomError of ours (the text rules): its own words, translated
        # where it was raised.
        return str(item["msg"])
    known = _SCHEMA_MESSAGES.get(kind)
    return str(known) if known is not None else _("Enter a valid value.")


def fields_not_valid() -> str:
    return _("Some fields are not valid; see errors.")


def is_retryable(status: int) -> bool:
    """Whether a problem with this status alone can pass by itself: a wait (429)
    or our own failure (5xx). Other refusals say so themselves."""
    return status >= 500 or status == 429


class FieldError(Schema):
    field: str
    message: str


class Problem(Schema):
    """An RFC 9457 problem; ``errors`` lists field errors on a 422."""

    type: str
    title: str
    status: int
    detail: str
    instance: str
    code: str
    retryable: bool = Field(
        description="Whether sending the same request again, unchanged, can succeed "
        "(after Retry-After, where given); false when something must change first."
    )
    errors: list[FieldError] = []


class ApiProblem(Exception):
    """Raised by API code for a problem that is not a domain rule."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        code: str = "",
        headers: dict[str, str] | None = None,
        retryable: bool | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.code = code or HTTPStatus(status).phrase.lower().replace(" ", "_")
        self.headers = headers or {}
        self.retryable = is_retryable(status) if retryable is None else retryable
        # Field errors, for a 422 about what was sent ({"field": ..., "message": ...}).
        self.errors: list[dict[str, str]] = []


def nul_character(field: str) -> ApiProblem:
    """Text with a NUL character: refused, since the database cannot hold it."""
    problem = ApiProblem(422, fields_not_valid(), code="invalid_fields")
    problem.errors = [{"field": field, "message": _("Text may not contain the NUL character.")}]
    return problem


def problem_response(
    request: HttpRequest,
    *,
    status: int,
    detail: str,
    code: str,
    errors: list[dict[str, str]] | None = None,
    headers: dict[str, str] | None = None,
    retryable: bool | None = None,
) -> JsonResponse:
    """The problem, in the active language: the caller's (``api.auth``, else
    their session's or Accept-Language), said in Content-Language."""
    body: dict[str, object] = {
        "type": PROBLEM_BASE + code.replace("_", "-"),
        "title": status_title(status),
        "status": status,
        "detail": str(detail),
        "instance": request.path,
        "code": code,
        "retryable": is_retryable(status) if retryable is None else retryable,
    }
    if errors:
        body["errors"] = errors
    response = JsonResponse(body, status=status, content_type=CONTENT_TYPE)
    # Also on a problem made outside LocaleMiddleware (api.middleware).
    response["Content-Language"] = translation.get_language() or settings.LANGUAGE_CODE
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def payload_too_large(request: HttpRequest) -> JsonResponse:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return problem_response(
        request,
        status=413,
        detail=_("The request body is too large: send at most %(size)s KB.")
        % {"size": number_format(limit // 1024)},
        code="payload_too_large",
    )


def domain_problem(request: HttpRequest, error: DomainError) -> JsonResponse:
    """A domain refusal as a problem: the status from its kind, the field
    (when it is about one thing sent) in ``errors``."""
    # Every raise has a kind (core tests); one without is a conflict.
    status = 409 if error.kind is None else STATUS_FOR_KIND.get(error.kind, 409)
    errors = [{"field": error.field, "message": error.message}] if error.field else None
    return problem_response(
        request,
        status=status,
        detail=error.message,
        code=error.code,
        errors=errors,
        retryable=error.retryable or is_retryable(status),
    )


@contextmanager
def fields_named(**api_names: str) -> Iterator[None]:
    """A refusal raised inside names its field by the API's name for it, where
    the service's differs (a message's text is ``body`` here)."""
    try:
        yield
    except DomainError as error:
        if error.field is not None:
            error.field = api_names.get(error.field, error.field)
        raise


def _field_name(location: list[object]) -> str:
    """('body', 'payload', 'minutes') -> 'minutes'; ('query', 'page') -> 'page'."""
    parts = [str(part) for part in location if part not in ("body", "query", "path", "header")]
    if len(parts) > 1 and parts[0] == "payload":
        parts = parts[1:]
    return ".".join(parts) or "body"


def _validation_errors(error: NinjaValidationError) -> tuple[int, str, list[dict[str, str]]]:
    errors = []
    unreadable = False
    for item in error.errors:
        if item.get("type") in ("json_invalid", "model_attributes_type") or item.get("msg") == (
            "Cannot parse request body"
        ):
            unreadable = True
        errors.append(
            {"field": _field_name(list(item.get("loc", []))), "message": schema_message(item)}
        )
    if unreadable:
        return 400, _("The request body is not valid JSON."), errors
    return 422, fields_not_valid(), errors


def install(api: NinjaAPI) -> None:
    """Register the handlers on a NinjaAPI."""

    @api.exception_handler(DomainError)
    def domain_error(request: HttpRequest, exc: DomainError) -> JsonResponse:
        return domain_problem(request, exc)

    @api.exception_handler(NinjaValidationError)
    def validation_error(request: HttpRequest, exc: NinjaValidationError) -> JsonResponse:
        status, detail, errors = _validation_errors(exc)
        code = "unreadable_body" if status == 400 else "invalid_fields"
        return problem_response(request, status=status, detail=detail, code=code, errors=errors)

    @api.exception_handler(ApiProblem)
    def api_problem(request: HttpRequest, exc: ApiProblem) -> JsonResponse:
        return problem_response(
            request,
            status=exc.status,
            detail=exc.detail,
            code=exc.code,
            errors=exc.errors or None,
            headers=exc.headers,
            retryable=exc.retryable,
        )

    @api.exception_handler(Throttled)
    def throttled(request: HttpRequest, exc: Throttled) -> JsonResponse:
        wait = int(exc.wait or 1)
        return problem_response(
            request,
            status=429,
            detail=ngettext(
                "Too many requests. Try again in %(seconds)d second.",
                "Too many requests. Try again in %(seconds)d seconds.",
                wait,
            )
            % {"seconds": wait},
            code="rate_limited",
            headers={"Retry-After": str(max(wait, 1))},
        )

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> JsonResponse:
        return problem_response(
            request,
            status=401,
            detail=_("Sign in, or send a personal access token: Authorization: Bearer <token>."),
            code="unauthenticated",
            headers={"WWW-Authenticate": 'Bearer realm="equitime"'},
        )

    @api.exception_handler(AuthorizationError)
    def unauthorised(request: HttpRequest, exc: AuthorizationError) -> JsonResponse:
        return problem_response(request, status=403, detail=str(exc), code="forbidden")

    @api.exception_handler(PermissionDenied)
    def permission_denied(request: HttpRequest, exc: PermissionDenied) -> JsonResponse:
        detail = str(exc) or _("You may not do this.")
        return problem_response(request, status=403, detail=detail, code="forbidden")

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> JsonResponse:
        return problem_response(
            request, status=404, detail=_("There is nothing here you can see."), code="not_found"
        )

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> JsonResponse:
        if isinstance(exc.__cause__, ApiProblem):  # raised while the body was parsed
            return api_problem(request, exc.__cause__)
        if exc.status_code == 403 and "CSRF" in str(exc):
            detail = _("Send the CSRF token (X-CSRFToken header) with a browser session's writes.")
            return problem_response(request, status=403, detail=detail, code="csrf_failed")
        if exc.status_code == 400:
            detail = _("The request body could not be read: send a JSON object.")
            return problem_response(request, status=400, detail=detail, code="unreadable_body")
        return problem_response(request, status=exc.status_code, detail=str(exc), code="http_error")

    @api.exception_handler(RequestDataTooBig)
    def too_large(request: HttpRequest, exc: RequestDataTooBig) -> JsonResponse:
        return payload_too_large(request)

    @api.exception_handler(Exception)
    def unexpected(request: HttpRequest, exc: Exception) -> JsonResponse:
        if settings.DEBUG and getattr(settings, "EQUITIME_API_RAISE", False):
            raise exc
        import logging

        logging.getLogger("equitime.api").exception("API error", exc_info=exc)
        return problem_response(
            request,
            status=500,
            detail=_("Something went wrong on our side. It has been logged."),
            code="server_error",
        )


_PROBLEM_HEADERS = {
    401: {
        "WWW-Authenticate": {
            "description": "How to authenticate: a bearer token.",
            "required": True,
            "schema": {"type": "string"},
        }
    },
    409: {
        "Retry-After": {
            "description": "Seconds to wait, when a request with the same key must be sent again.",
            "schema": {"type": "integer", "minimum": 1},
        }
    },
    429: {
        "Retry-After": {
            "description": "Seconds to wait before trying again.",
            "required": True,
            "schema": {"type": "integer", "minimum": 1},
        }
    },
}


def document_problem_responses(schema: OpenAPISchema) -> OpenAPISchema:
    """Say in the OpenAPI schema what the API sends: errors are
    application/problem+json (ninja writes application/json for every
    response), with the headers a client needs on 401, 409 and 429."""
    for path_item in schema.get("paths", {}).values():
        for operation in path_item.values():
            for status, response in operation.get("responses", {}).items():
                if int(status) < 400:
                    continue
                content = response.get("content", {})
                if "application/json" in content:
                    content[CONTENT_TYPE] = content.pop("application/json")
                if int(status) in _PROBLEM_HEADERS:
                    response.setdefault("headers", {}).update(_PROBLEM_HEADERS[int(status)])
    return schema


PROBLEM_RESPONSES = {
    400: Problem,
    401: Problem,
    403: Problem,
    404: Problem,
    409: Problem,
    413: Problem,
    422: Problem,
    429: Problem,
}

"""The JSON API, version 1, at /api/v1/ (django-ninja).

Each domain app keeps its endpoints in its own ``api.py`` as a Router; this
module puts them together with the shared pieces: authentication (token or
session), rate limits, RFC 9457 problems, and the OpenAPI schema at
/api/v1/openapi.json with interactive docs at /api/v1/docs.
"""

from csp.decorators import csp_update
from ninja import NinjaAPI
from ninja.parser import Parser

from equitime.api import problems
from equitime.api.auth import API_AUTH
from equitime.api.throttling import CredentialThrottle

DESCRIPTION = """
Equitime is a time bank for health and care: colleagues trade skills in hours,
never money. One hour of anyone's time is one credit; amounts are integer
**minutes** everywhere in this API.

**Authentication.** Send a personal access token, made on the *API tokens*
page: `Authorization: Bearer eqt_…`. A token may be read-only. A signed-in
browser session also works; its writes need the `X-CSRFToken` header.

**Errors** are RFC 9457 problem documents (`application/problem+json`) with a
`code`, `retryable` (whether the same request, sent again unchanged, can
succeed), and `errors` listing field errors on 422.

**Lists** are paginated by page: `?page=1&page_size=20` (at most 100); the
answer is `{"items": [...], "count": N}`.

**Idempotency.** POSTs that create exchanges or move credits accept an
`Idempotency-Key` header: a retry with the same key and body gets the first
answer again; the same key with another body is refused with 422. A client
that lost an answer asks `GET /idempotency/{key}`: 200 with the stored answer
if it was done, 404 if nothing was done (so sending it again is safe).

**Rate limits** per token (or member) and per IP address are answered with
429 and `Retry-After`.
"""


class JsonObjectParser(Parser):
    """A body is a JSON object. A list, string, number or null is refused (400)
    rather than read, field by missing field, as an empty object (ninja reads
    any value's attributes); an optional body is left out, not sent as null.
    Text with a NUL character is refused (422) wherever it is sent: PostgreSQL
    cannot store or even compare it, and no one types it."""

    def parse_body(self, request):
        data = super().parse_body(request)
        if not isinstance(data, dict):
            raise ValueError("The request body must be a JSON object.")
        _refuse_nul(data, ())
        return data

    def parse_querydict(self, data, list_fields, request):
        parsed = super().parse_querydict(data, list_fields, request)
        _refuse_nul(parsed, ())
        return parsed


def _refuse_nul(value, path: tuple) -> None:
    if isinstance(value, str):
        if "\x00" in value:
            raise problems.nul_character(".".join(map(str, path)) or "body")
    elif isinstance(value, dict):
        for key, item in value.items():
            _refuse_nul(key, path)
            _refuse_nul(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _refuse_nul(item, (*path, index))


class EquitimeApi(NinjaAPI):
    """Problem responses documented as such; the schema built once per process
    (it takes pydantic about a second, and the routes do not change)."""

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        cache = self.__dict__.setdefault("_openapi_schemas", {})
        key = (path_prefix, tuple(sorted((path_params or {}).items())))
        if key not in cache:
            schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
            cache[key] = problems.document_problem_responses(_bodies_are_objects(schema))
        return cache[key]


def _bodies_are_objects(schema: dict) -> dict:
    """An optional body (``payload: X | None = None``) is documented by ninja as
    X or null; the parser takes an object or no body at all, so say that."""
    for path_item in schema.get("paths", {}).values():
        for operation in path_item.values():
            for media in operation.get("requestBody", {}).get("content", {}).values():
                options = media.get("schema", {}).get("anyOf", [])
                if {"type": "null"} in options:
                    rest = [option for option in options if option != {"type": "null"}]
                    others = {k: v for k, v in media["schema"].items() if k != "anyOf"}
                    if len(rest) == 1:
                        media["schema"] = {**others, **rest[0]}
                    else:
                        media["schema"] = {**others, "anyOf": rest}
    return schema


api = EquitimeApi(
    title="Equitime API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    auth=API_AUTH,
    throttle=[CredentialThrottle()],
    parser=JsonObjectParser(),
    # Swagger UI sets inline styles; only this page allows them. Its script is a static file.
    docs_decorator=csp_update({"style-src": ["'unsafe-inline'"]}),
)
problems.install(api)


def _add_routers() -> None:
    from equitime.api.idempotency_api import router as idempotency
    from equitime.api.tokens_api import router as tokens
    from equitime.community.api import router as notifications
    from equitime.community.moderation_api import router as moderation
    from equitime.credits.api import router as credits
    from equitime.exchanges.api import router as exchanges
    from equitime.listings.api import router as listings
    from equitime.members.api import router as members
    from equitime.members.invitations_api import roles_router
    from equitime.members.invitations_api import router as invitations
    from equitime.skills.api import router as skills

    api.add_router("/", members)
    api.add_router("/", skills)
    api.add_router("/listings", listings)
    api.add_router("/exchanges", exchanges)
    api.add_router("/transfers", credits)
    api.add_router("/notifications", notifications)
    api.add_router("/", moderation)
    api.add_router("/tokens", tokens)
    api.add_router("/idempotency", idempotency)
    api.add_router("/invitations", invitations)
    api.add_router("/", roles_router)


_add_routers()

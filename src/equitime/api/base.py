"""The JSON API's own kind of NinjaAPI: how every endpoint reads a body, how
it writes times, and how the OpenAPI schema documents problems. The instance at /api/v1/, with
every app's router, is made at the top (``equitime.api_v1``), the one module
that imports the routers; everything here imports no app above the API."""

import json
from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema
from ninja.parser import Parser
from ninja.renderers import JSONRenderer
from ninja.responses import NinjaJSONEncoder

from equitime.api import problems


class JsonObjectParser(Parser):
    """A body is a JSON object. A list, string, number or null is refused (400)
    rather than read, field by missing field, as an empty object (ninja reads
    any value's attributes); an optional body is left out, not sent as null.
    Text with a NUL character is refused (422) wherever it is sent: PostgreSQL
    cannot store or even compare it, and no one types it."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        # Typed as a dict by ninja; json.loads may give any JSON value.
        data: object = super().parse_body(request)
        if not isinstance(data, dict):
            raise ValueError("The request body must be a JSON object.")
        _refuse_nul(data, ())
        return data

    def parse_querydict(
        self, data: MultiValueDict[str, Any], list_fields: list[str], request: HttpRequest
    ) -> dict[str, Any]:
        parsed = super().parse_querydict(data, list_fields, request)
        _refuse_nul(parsed, ())
        return parsed


def _refuse_nul(value: object, path: tuple[str | int, ...]) -> None:
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


# --- Times: on the reader's clock ---------------------------------------------------


def reader_time(moment: datetime) -> str:
    """An instant as ISO 8601 on the reader's clock (the zone active for the
    request: the member's own, ``members.middleware`` or ``api.auth``), its
    offset always written as ±HH:MM (``+00:00``, never ``Z``) and to the
    millisecond as Django writes JSON: "2026-12-08T19:30:00+05:30"."""
    local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    return local.isoformat(timespec="milliseconds" if local.microsecond else "seconds")


class ReaderTimeEncoder(NinjaJSONEncoder):
    def default(self, o: Any) -> Any:
        if isinstance(o, datetime) and timezone.is_aware(o):
            return reader_time(o)
        return super().default(o)


class ReaderTimeRenderer(JSONRenderer):
    """Every answer's datetimes on the reader's clock (``reader_time``)."""

    encoder_class = ReaderTimeEncoder


def json_data(data: Any) -> Any:
    """``data`` (a schema's ``model_dump()``) as plain JSON values, written as
    the renderer writes them: for answers built outside it (idempotency)."""
    return json.loads(json.dumps(data, cls=ReaderTimeEncoder))


class EquitimeApi(NinjaAPI):
    """Times on the reader's clock; problem responses documented as such; the
    schema built once per process (it takes pydantic about a second, and the
    routes do not change)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("renderer", ReaderTimeRenderer())
        super().__init__(**kwargs)

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        cache: dict[tuple[object, ...], OpenAPISchema]
        cache = self.__dict__.setdefault("_openapi_schemas", {})
        key = (path_prefix, tuple(sorted((path_params or {}).items())))
        if key not in cache:
            schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
            cache[key] = problems.document_problem_responses(_bodies_are_objects(schema))
        return cache[key]


def _bodies_are_objects(schema: OpenAPISchema) -> OpenAPISchema:
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

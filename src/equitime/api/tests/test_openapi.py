"""The OpenAPI schema at /api/v1/openapi.json and the docs page at /api/v1/docs."""

import json
import re

import pytest
from django.contrib.staticfiles import finders
from schemathesis.specs.openapi.definitions import OPENAPI_31_VALIDATOR

pytestmark = pytest.mark.django_db

METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
PROBLEM = "application/problem+json"


@pytest.fixture
def schema(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield f"{method.upper()} {path}", operation


def test_the_schema_is_public(client, db):
    """A client reads it before it has a token."""
    assert client.get("/api/v1/openapi.json").status_code == 200


def test_the_schema_names_no_key_twice(client):
    """A response written both as 200 (a route's ``response``) and "200" (its
    ``openapi_extra``) reached the JSON twice, and the docs page could not
    read it ("duplicated mapping key"); Python's own parser keeps the last."""
    twice: list[str] = []

    def keys_once(pairs):
        keys = [key for key, _value in pairs]
        twice.extend(key for key in set(keys) if keys.count(key) > 1)
        return dict(pairs)

    json.loads(client.get("/api/v1/openapi.json").content, object_pairs_hook=keys_once)
    assert twice == []


def test_the_schema_is_valid_openapi_3_1(schema):
    assert schema["openapi"].startswith("3.1")
    errors = [
        f"{error.instance_path}: {error.message}"
        for error in OPENAPI_31_VALIDATOR.iter_errors(schema)
    ]
    assert errors == []


def test_the_schema_says_what_the_api_is(schema):
    assert schema["info"]["title"] == "Equitime API"
    assert schema["info"]["version"] == "1"
    assert "minutes" in schema["info"]["description"]
    assert {"TokenAuth"} <= set(schema["components"]["securitySchemes"])
    assert schema["components"]["securitySchemes"]["TokenAuth"] == {
        "type": "http",
        "scheme": "bearer",
    }


def test_every_path_is_under_api_v1_without_a_trailing_slash(schema):
    for path in schema["paths"]:
        assert path.startswith("/api/v1/"), path
        assert not path.endswith("/"), path


def test_the_members_and_skills_operations_are_there(schema):
    labels = {label for label, _ in operations(schema)}

    assert {
        "GET /api/v1/me",
        "PATCH /api/v1/me",
        "GET /api/v1/members",
        "GET /api/v1/members/{member_id}",
        "GET /api/v1/organisations",
        "GET /api/v1/organisations/{organisation_id}",
        "GET /api/v1/skills",
        "GET /api/v1/improvement-areas",
        "GET /api/v1/tokens",
        "POST /api/v1/tokens/{token_id}/revoke",
    } <= labels


def test_every_operation_has_a_summary_a_unique_operation_id_and_a_tag(schema):
    seen = set()
    for label, operation in operations(schema):
        assert operation.get("summary", "").strip(), f"{label} has no summary"
        operation_id = operation.get("operationId")
        assert operation_id, f"{label} has no operationId"
        assert re.fullmatch(r"[A-Za-z0-9_]+", operation_id), operation_id
        assert operation_id not in seen, f"{label} repeats operationId {operation_id}"
        seen.add(operation_id)
        assert operation.get("tags"), f"{label} has no tag"


def test_every_operation_needs_credentials(schema):
    for label, operation in operations(schema):
        security = operation.get("security")
        assert security, f"{label} can be called without credentials"
        assert {"TokenAuth": []} in security, label


def test_every_operation_declares_its_problem_responses(schema):
    problem_ref = "#/components/schemas/Problem"
    for label, operation in operations(schema):
        responses = {str(status): response for status, response in operation["responses"].items()}
        assert any(status.startswith("2") for status in responses), f"{label} has no success"
        for status in ("400", "401", "403", "404", "422", "429"):
            assert status in responses, f"{label} does not declare {status}"
            content = responses[status]["content"]
            assert list(content) == [PROBLEM], f"{label} {status}: {list(content)}"
            assert content[PROBLEM]["schema"] == {"$ref": problem_ref}
        assert responses["401"]["headers"]["WWW-Authenticate"]["required"] is True
        assert responses["429"]["headers"]["Retry-After"]["schema"]["type"] == "integer"
        for status, response in responses.items():
            if status.startswith("2"):
                assert PROBLEM not in response.get("content", {}), f"{label} {status}"


def test_request_bodies_are_json_objects_never_null(schema):
    """The API reads a body only as a JSON object; an optional one is left out."""
    for label, operation in operations(schema):
        body = operation.get("requestBody")
        if body is None:
            continue
        assert list(body["content"]) == ["application/json"], label
        assert '"type": "null"' not in json.dumps(body), label


def test_the_problem_schema_is_rfc_9457(schema):
    problem = schema["components"]["schemas"]["Problem"]

    assert set(problem["required"]) == {
        "type",
        "title",
        "status",
        "detail",
        "instance",
        "code",
        "retryable",
    }
    assert problem["properties"]["retryable"]["type"] == "boolean"
    assert problem["properties"]["status"]["type"] == "integer"
    errors = problem["properties"]["errors"]
    assert errors["type"] == "array"


def test_every_reference_resolves(schema):
    text = str(schema)
    for name in set(re.findall(r"#/components/schemas/([A-Za-z0-9_.-]+)", text)):
        assert name in schema["components"]["schemas"], name


def test_list_operations_are_paginated_by_page(schema):
    for path in ("/api/v1/members", "/api/v1/organisations"):
        operation = schema["paths"][path]["get"]
        parameters = {parameter["name"]: parameter for parameter in operation["parameters"]}
        assert {"page", "page_size", "cursor"} <= set(parameters), path
        assert parameters["page"]["schema"]["minimum"] == 1
        ok = operation["responses"]["200"]["content"]["application/json"]["schema"]
        paged = schema["components"]["schemas"][ok["$ref"].rsplit("/", 1)[1]]
        assert set(paged["required"]) == {"items", "count", "count_is_capped", "next", "previous"}


def test_the_docs_page_renders_with_a_strict_script_policy(client, db):
    response = client.get("/api/v1/docs")

    assert response.status_code == 200
    html = response.content.decode()
    assert "/api/v1/openapi.json" in html
    policy = {
        directive.split()[0]: directive.split()[1:]
        for directive in response["Content-Security-Policy"].split(";")
        if directive.strip()
    }
    assert policy["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    assert "'unsafe-inline'" not in policy.get("default-src", [])
    # No script in the page runs inline: each is a static file or a JSON data block.
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert 'src="/static/' in tag or 'type="application/json"' in tag, tag
        source = re.search(r'src="/static/([^"]+)"', tag)
        if source:
            assert finders.find(source.group(1)), source.group(1)

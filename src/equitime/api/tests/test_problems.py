"""Every error the API gives is an RFC 9457 problem document, served as
application/problem+json, and bad input is never a 500."""

from typing import cast

import pytest

from equitime.api.services import api_token_create
from equitime.core.errors import DomainError, ErrorKind

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"
# The refusals that pass by themselves; every other 4xx needs a change first.
RETRYABLE = {"busy", "idempotency_in_progress", "idempotency_retry", "rate_limited"}
ME = "/api/v1/me"


@pytest.fixture
def secret(member):
    return api_token_create(member=member, name="t")[1]


@pytest.fixture
def auth(secret):
    return {"Authorization": f"Bearer {secret}"}


def assert_problem(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert set(body) >= {"type", "title", "status", "detail", "instance", "code", "retryable"}
    assert set(body) <= {
        "type",
        "title",
        "status",
        "detail",
        "instance",
        "code",
        "retryable",
        "errors",
    }
    assert body["retryable"] is (status >= 500 or status == 429 or body["code"] in RETRYABLE)
    assert body["status"] == status
    assert body["type"].startswith("https://")
    assert body["type"].endswith(body["code"].replace("_", "-"))
    assert body["title"] and body["detail"]
    assert body["instance"] == response.wsgi_request.path
    if code is not None:
        assert body["code"] == code
    return body


def patch_me(client, auth, body, **extra):
    return client.patch(ME, body, content_type="application/json", headers=auth, **extra)


# --- 400 ------------------------------------------------------------------------


@pytest.mark.parametrize("body", ["not json", "{", '{"bio": ', "[]", '"bio"', "42", "true", "null"])
def test_a_body_that_is_not_a_json_object_is_400(client, auth, body):
    assert_problem(patch_me(client, auth, body), 400, "unreadable_body")


def test_a_bad_idempotency_key_is_400(client, auth):
    from django.http import HttpRequest

    from equitime.api.idempotency import request_key
    from equitime.api.problems import ApiProblem

    class FakeRequest:
        headers = {"Idempotency-Key": "has spaces in it"}

    with pytest.raises(ApiProblem) as raised:
        request_key(cast(HttpRequest, FakeRequest()))  # only its headers are read
    assert raised.value.status == 400
    assert raised.value.code == "invalid_idempotency_key"


# --- 401 and 403 ------------------------------------------------------------------


def test_401_is_a_problem_with_www_authenticate(client, member):
    response = client.get(ME)

    assert_problem(response, 401, "unauthenticated")
    assert response["WWW-Authenticate"] == 'Bearer realm="equitime"'


def test_403_read_only_is_a_problem(client, member):
    _, secret = api_token_create(member=member, name="reader", read_only=True)

    response = patch_me(client, {"Authorization": f"Bearer {secret}"}, {"bio": "x"})

    assert_problem(response, 403, "read_only")


# --- 404 and 405 ------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/no-such-thing",
        "/api/v1/",
        "/api/v1/me/",
        "/api/v2/me",
        "/api/",
        "/api/v1/members/0",
        "/api/v1/members/99999999999999999999",
        "/api/v1/organisations/424242",
    ],
)
def test_nothing_there_is_a_404_problem(client, auth, path):
    assert_problem(client.get(path, headers=auth), 404, "not_found")


def test_an_unknown_path_is_a_404_problem_even_without_credentials(client, db):
    assert_problem(client.get("/api/v1/no-such-thing"), 404, "not_found")


def test_pages_outside_the_api_keep_their_html_errors(client, member):
    client.force_login(member)

    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_someone_elses_token_is_not_found(client, auth, other_member):
    theirs, _ = api_token_create(member=other_member, name="Ben's")

    response = client.post(f"/api/v1/tokens/{theirs.pk}/revoke", headers=auth)

    assert_problem(response, 404, "not_found")
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


def test_a_suspended_members_profile_is_not_found(client, auth, make_member):
    from equitime.members import roles
    from equitime.members.services import member_role_grant
    from equitime.moderation.services import member_suspend

    moderator = member_role_grant(member=make_member(), role=roles.MODERATOR, by=None)
    gone = make_member(display_name="Suspended Sam")
    member_suspend(member=gone, by=moderator, reason="Spam.")

    assert_problem(client.get(f"/api/v1/members/{gone.pk}", headers=auth), 404, "not_found")


def test_a_method_the_path_does_not_take_is_a_405_problem(client, auth):
    response = client.put(ME, {}, content_type="application/json", headers=auth)

    body = assert_problem(response, 405, "method_not_allowed")
    assert set(response["Allow"].replace(" ", "").split(",")) == {"GET", "PATCH"}
    assert "PUT" in body["detail"]


# --- 409, 422 and 403 from the domain's rules ----------------------------------------


@pytest.mark.parametrize(
    ("code", "kind", "status"),
    [
        ("already_suspended", ErrorKind.CONFLICT, 409),
        ("insufficient_credit", ErrorKind.CONFLICT, 409),
        ("refused", ErrorKind.CONFLICT, 409),
        ("patient_data", ErrorKind.INVALID, 422),
        ("money", ErrorKind.INVALID, 422),
        ("forbidden", ErrorKind.FORBIDDEN, 403),
        ("email_unverified", ErrorKind.FORBIDDEN, 403),
        ("no_such_thing", ErrorKind.NOT_FOUND, 404),
        # A code the API has never heard of takes its status from its kind.
        ("brand_new_rule", ErrorKind.INVALID, 422),
    ],
)
def test_a_domain_error_becomes_a_problem_by_its_kind(
    client, auth, monkeypatch, code, kind, status
):
    def refuse(**kwargs):
        raise DomainError("The rules refuse this, and say why.", code=code, kind=kind)

    monkeypatch.setattr("equitime.members.api.profile_update", refuse)

    response = patch_me(client, auth, {"bio": "Quality improvement lead."})

    body = assert_problem(response, status, code)
    assert body["detail"] == "The rules refuse this, and say why."
    assert "errors" not in body


# --- 422 --------------------------------------------------------------------------------


def test_field_errors_from_the_schema_are_422_with_errors(client, auth):
    response = patch_me(client, auth, {"display_name": 5, "country": "GBR"})

    body = assert_problem(response, 422, "invalid_fields")
    fields = {error["field"] for error in body["errors"]}
    assert fields == {"display_name", "country"}
    assert all(error["message"] for error in body["errors"])


def test_field_errors_from_the_web_form_are_422_with_errors(client, auth):
    response = patch_me(client, auth, {"country": "ZZ", "time_zone": "Mars/Olympus_Mons"})

    body = assert_problem(response, 422, "invalid_fields")
    assert {error["field"] for error in body["errors"]} == {"country", "time_zone"}


def test_a_bad_query_parameter_is_422(client, auth):
    body = assert_problem(client.get("/api/v1/members?page=abc", headers=auth), 422)

    assert body["errors"][0]["field"] == "page"


@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        ("get", "/api/v1/members?q=a%00b", None, "q"),
        ("get", "/api/v1/organisations?kind=%00", None, "kind"),
        ("patch", ME, '{"bio": "a\\u0000b"}', "bio"),
        ("patch", ME, '{"languages": ["Welsh", "\\u0000"]}', "languages.1"),
    ],
)
def test_a_nul_character_anywhere_is_422(client, auth, method, path, body, field):
    kwargs = {"headers": auth}
    if body is not None:
        kwargs |= {"data": body, "content_type": "application/json"}

    problem = assert_problem(getattr(client, method)(path, **kwargs), 422, "invalid_fields")

    assert problem["errors"][0]["field"] == field


# --- 429 --------------------------------------------------------------------------------


def test_too_many_requests_is_a_429_problem_with_retry_after(client, auth, settings):
    settings.EQUITIME_API_RATE_PER_TOKEN = "2/h"
    client.get(ME, headers=auth)
    client.get(ME, headers=auth)

    response = client.get(ME, headers=auth)

    assert_problem(response, 429, "rate_limited")
    assert int(response["Retry-After"]) >= 1


# --- Never a 500 -----------------------------------------------------------------------

HOSTILE = [
    ("get", "/api/v1/members?page=0", None),
    ("get", "/api/v1/members?page=-1", None),
    ("get", "/api/v1/members?page=99999999999999999999", None),
    ("get", "/api/v1/members?page=1e3", None),
    ("get", "/api/v1/members?page_size=0", None),
    ("get", "/api/v1/members?page_size=-5", None),
    ("get", "/api/v1/members?q=" + "x" * 5000, None),
    ("get", "/api/v1/organisations?q=" + "%27%22%3B--" * 50, None),
    ("get", "/api/v1/members/abc", None),
    ("get", "/api/v1/members/1.5", None),
    ("get", "/api/v1/members/-99999999999999999999", None),
    ("get", "/api/v1/organisations/%00", None),
    ("post", "/api/v1/tokens/abc/revoke", None),
    ("post", "/api/v1/tokens/99999999999999999999/revoke", None),
    ("patch", ME, '{"bio": "' + "x" * 100_000 + '"}'),
    ("patch", ME, '{"display_name": ""}'),
    ("patch", ME, '{"display_name": null}'),
    ("patch", ME, '{"display_name": {"nested": true}}'),
    ("patch", ME, '{"organisation_id": -1}'),
    ("patch", ME, '{"organisation_id": 99999999999999999999}'),
    ("patch", ME, '{"organisation_id": "one"}'),
    ("patch", ME, '{"skill_ids": [99999999999999999999]}'),
    ("patch", ME, '{"skill_ids": "1,2"}'),
    ("patch", ME, '{"languages": [' + ",".join(['"x"'] * 500) + "]}"),
    ("patch", ME, '{"preference": "teleport"}'),
    ("patch", ME, '{"country": "\\ud800"}'),
    ("patch", ME, "\xff\xfe"),
]


@pytest.mark.parametrize(("method", "path", "body"), HOSTILE)
def test_hostile_input_is_a_4xx_problem_never_a_500(client, auth, method, path, body):
    kwargs = {"headers": auth}
    if body is not None:
        kwargs |= {"data": body, "content_type": "application/json"}

    response = getattr(client, method)(path, **kwargs)

    assert 400 <= response.status_code < 500, (response.status_code, response.content[:500])
    assert response["Content-Type"] == PROBLEM


# --- 413 --------------------------------------------------------------------------------

TEN_MB = '{"bio": "' + "x" * (10 * 1024 * 1024) + '"}'


@pytest.mark.parametrize(
    ("method", "path"),
    [("patch", ME), ("post", "/api/v1/transfers/donations"), ("post", "/api/v1/exchanges")],
)
def test_a_10_mb_body_is_a_413_problem(client, auth, method, path):
    response = getattr(client, method)(
        path, TEN_MB, content_type="application/json", headers={**auth, "Idempotency-Key": "k"}
    )

    body = assert_problem(response, 413, "payload_too_large")
    assert body["retryable"] is False


def test_a_10_mb_body_without_credentials_is_413_too(client, db):
    response = client.post("/api/v1/exchanges", TEN_MB, content_type="application/json")

    assert_problem(response, 413, "payload_too_large")


def test_a_body_found_too_large_only_when_read_is_413(client, auth, monkeypatch):
    # As for a body sent without Content-Length: Django refuses it as it reads.
    monkeypatch.setattr("equitime.api.middleware._too_large", lambda request: False)

    assert_problem(patch_me(client, auth, TEN_MB), 413, "payload_too_large")


# --- retryable --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "kind", "retryable"),
    [
        ("busy", ErrorKind.CONFLICT, True),
        ("insufficient_credit", ErrorKind.CONFLICT, False),
        ("refused", ErrorKind.CONFLICT, False),
        ("money", ErrorKind.INVALID, False),
    ],
)
def test_a_problem_says_whether_a_retry_can_succeed(
    client, auth, monkeypatch, code, kind, retryable
):
    def refuse(**kwargs):
        raise DomainError("Not now.", code=code, kind=kind, retryable=code == "busy")

    monkeypatch.setattr("equitime.members.api.profile_update", refuse)

    body = patch_me(client, auth, {"bio": "QI lead."}).json()

    assert body["retryable"] is retryable


def test_a_server_error_is_retryable(client, auth, monkeypatch):
    def fail(**kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("equitime.members.api.profile_update", fail)

    assert assert_problem(patch_me(client, auth, {"bio": "QI lead."}), 500)["retryable"] is True


def test_every_problem_code_carries_retryable(client, auth, member, settings):
    responses = [
        client.get("/api/v1/nowhere", headers=auth),  # 404 from Django
        client.delete(ME, headers=auth),  # 405 from ninja
        client.get(ME),  # 401
        patch_me(client, auth, "{"),  # 400
    ]
    settings.EQUITIME_API_RATE_PER_TOKEN = "1/h"
    client.get(ME, headers=auth)
    responses.append(client.get(ME, headers=auth))  # 429
    for response in responses:
        assert isinstance(response.json()["retryable"], bool), response.content
    assert [r.json()["retryable"] for r in responses] == [False, False, False, False, True]

"""Logs: one JSON object per line in production, each request logged once with
its id (also sent back as X-Request-ID), and nothing about the person beyond
their member id."""

import io
import json
import logging

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from equitime.core.logging import (
    HEADER,
    JsonFormatter,
    RequestIdFilter,
    RequestLogMiddleware,
    request_logger,
)
from equitime.core.testing import settings_in_subprocess

pytestmark = pytest.mark.django_db


@pytest.fixture
def json_lines():
    """What the production handler writes for the request logger, line by line."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    handler.setLevel(logging.DEBUG)
    request_logger.addHandler(handler)
    level = request_logger.level
    request_logger.setLevel(logging.DEBUG)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        request_logger.removeHandler(handler)
        request_logger.setLevel(level)


def test_a_request_is_one_json_line_with_its_id_path_status_and_duration(
    client, member, json_lines
):
    client.force_login(member)

    response = client.get("/listings/?q=asthma+clinic+for+Mrs+Jones")

    assert response.status_code == 200
    request_id = response[HEADER]
    assert len(request_id) == 32
    [line] = json_lines()
    assert list(line)[:4] == ["time", "level", "logger", "message"]
    assert line["time"].endswith("+00:00")
    assert line["level"] == "INFO"
    assert line["logger"] == "equitime.request"
    assert line["message"] == f"GET /listings/ 200 {line['duration_ms']}ms"
    assert line["request_id"] == request_id
    assert line["method"] == "GET"
    assert line["path"] == "/listings/"
    assert line["status"] == 200
    assert isinstance(line["duration_ms"], float)
    assert line["member_id"] == member.pk
    # What someone searched for, and who they are beyond their id, stay out of the log.
    text = json.dumps(line)
    assert "Jones" not in text
    assert member.email not in text
    assert member.display_name not in text


def test_an_api_request_logs_the_token_holders_member_id(client, member, json_lines):
    from equitime.api.services import api_token_create

    _, secret = api_token_create(member=member, name="logs")

    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})

    assert response.status_code == 200
    [line] = json_lines()
    assert line["member_id"] == member.pk
    assert secret not in json.dumps(line)


def test_an_anonymous_request_has_no_member_id(client, json_lines):
    client.get("/")

    [line] = json_lines()
    assert line["member_id"] is None


def test_the_proxys_request_id_is_kept_and_a_strange_one_replaced(client, json_lines):
    nginx_id = "3f2a9c0d5e6b47a8b9c0d1e2f3a4b5c6"
    kept = client.get("/", headers={HEADER: nginx_id})
    replaced = client.get("/", headers={HEADER: "x\r\nSet-Cookie: a=b"})

    assert kept[HEADER] == nginx_id
    assert replaced[HEADER] != "x\r\nSet-Cookie: a=b"
    assert len(replaced[HEADER]) == 32
    assert [line["request_id"] for line in json_lines()] == [nginx_id, replaced[HEADER]]


def test_every_line_logged_during_a_request_carries_its_id(json_lines):
    def view(request):
        request_logger.warning("something to say")
        return HttpResponse("ok")

    response = RequestLogMiddleware(view)(RequestFactory().get("/somewhere/"))

    said, answered = json_lines()
    assert said["message"] == "something to say"
    assert said["request_id"] == answered["request_id"] == response[HEADER]


def test_health_probes_are_logged_at_debug(client, json_lines):
    client.get("/health/")

    [line] = json_lines()
    assert line["level"] == "DEBUG"


def test_production_logs_json_and_development_plain_text(tmp_path):
    formatter = "s.LOGGING['handlers']['console']['formatter']"
    assert settings_in_subprocess(tmp_path, formatter) == "json"
    assert settings_in_subprocess(tmp_path, formatter, EQUITIME_ENV="development") == "text"
    assert settings_in_subprocess(tmp_path, formatter, EQUITIME_LOG_FORMAT="text") == "text"


def test_a_cached_api_list_still_logs_the_token_holders_member_id(client, member, json_lines):
    from equitime.api.services import api_token_create

    _, secret = api_token_create(member=member, name="logs")
    headers = {"Authorization": f"Bearer {secret}"}
    client.get("/api/v1/notifications", headers=headers)

    again = client.get("/api/v1/notifications", headers=headers)

    assert again["X-Equitime-Page-Cache"] == "hit"
    [first, line] = json_lines()
    assert first["member_id"] == line["member_id"] == member.pk

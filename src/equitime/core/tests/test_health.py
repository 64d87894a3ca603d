"""The health endpoint a load balancer probes: 200 when the database, the cache
and the task queue all answer, 503 naming the one that did not."""

from unittest import mock

import pytest
from django.db import DEFAULT_DB_ALIAS, OperationalError, connections
from django.test import override_settings

from equitime.core.testing import settings_in_subprocess

pytestmark = pytest.mark.django_db

HEALTH = "/health/"
# Nothing listens on port 1: the connection is refused at once.
UNREACHABLE_REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
}


def test_healthy_answers_200_with_every_check(client):
    response = client.get(HEALTH)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "queue"}
    assert all(check["ok"] for check in body["checks"].values())
    assert all(check["ms"] >= 0 for check in body["checks"].values())
    # A balancer must never be served a cached answer.
    assert "no-cache" in response["Cache-Control"]


def test_an_unreachable_cache_answers_503_naming_the_cache(client):
    with override_settings(CACHES=UNREACHABLE_REDIS):
        response = client.get(HEALTH)

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["checks"]["cache"] == {
        "ok": False,
        "error": "ConnectionError",
        "ms": body["checks"]["cache"]["ms"],
    }
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["queue"]["ok"] is True
    # The endpoint is public: where Redis lives is for the log, not the caller.
    assert "127.0.0.1" not in response.content.decode()


def test_an_unreachable_database_answers_503_naming_the_database(client):
    connection = connections[DEFAULT_DB_ALIAS]
    with mock.patch.object(connection, "cursor", side_effect=OperationalError("server gone")):
        response = client.get(HEALTH)

    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["database"]["ok"] is False
    assert checks["database"]["error"] == "OperationalError"
    assert checks["cache"]["ok"] is True
    assert "server gone" not in response.content.decode()


def test_an_unusable_task_queue_answers_503_naming_the_queue(client, settings):
    settings.TASKS = {"default": {"BACKEND": "equitime.no_such_module.QueueBackend"}}

    response = client.get(HEALTH)

    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["queue"]["ok"] is False
    assert checks["database"]["ok"] is True
    assert checks["cache"]["ok"] is True


def test_the_database_queue_reports_its_oldest_ready_task(client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    if "django_tasks_db" not in settings.INSTALLED_APPS:
        pytest.skip("the database task backend (equitime.jobs) is not installed yet")

    response = client.get(HEALTH)

    queue = response.json()["checks"]["queue"]
    assert queue["ok"] is True
    assert queue["backend"] == "DatabaseBackend"
    assert queue["oldest_ready_seconds"] >= 0


def test_only_get_and_head(client):
    assert client.head(HEALTH).status_code == 200
    assert client.post(HEALTH).status_code == 405
    assert client.put(HEALTH).status_code == 405


def test_no_session_and_no_cookie(client):
    response = client.get(HEALTH)

    assert response.cookies == {}
    assert "Cookie" not in response.get("Vary", "")


@override_settings(EQUITIME_API_RATE_PER_IP="1/h")
def test_not_rate_limited(client):
    assert all(client.get(HEALTH).status_code == 200 for _ in range(5))


def test_a_balancer_can_probe_over_http_in_production(client, settings, tmp_path):
    exempt = settings_in_subprocess(tmp_path, "s.SECURE_REDIRECT_EXEMPT")
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_REDIRECT_EXEMPT = eval(exempt)  # noqa: S307 - a list literal we printed

    assert client.get(HEALTH).status_code == 200
    assert client.get("/listings/").status_code == 301


def test_answered_whatever_host_the_balancer_sends(client):
    # Balancers often probe by IP address, which ALLOWED_HOSTS does not list.
    assert client.get(HEALTH, HTTP_HOST="10.0.3.17:8000").status_code == 200

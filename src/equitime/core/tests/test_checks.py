"""The deployment check for a shared cache (core.checks, issue 10 §5).

In production, rate limits and sessions must be counted in one cache that
every process shares: Redis, or a database table chosen explicitly for a
single machine. A cache in each process's memory is an error."""

import os
import secrets
import subprocess
import sys

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from equitime.core.checks import shared_cache_check

LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/3",
    }
}
OURS = {
    "default": {
        "BACKEND": "equitime.core.cache.SharedClientRedisCache",
        "LOCATION": "redis://127.0.0.1:6379/3",
    }
}
DATABASE = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "equitime_cache_test",
    }
}


def check_with(caches_setting, *, production: bool = True):
    # Only for the call: the conftest clears the cache after each test.
    with override_settings(PRODUCTION=production, CACHES=caches_setting):
        return shared_cache_check()


def test_production_with_a_cache_in_each_process_is_an_error():
    errors = check_with(LOCMEM)

    assert [error.id for error in errors] == ["equitime.E001"]
    assert errors[0].is_serious()
    assert "REDIS_URL" in errors[0].hint and "EQUITIME_CACHE=database" in errors[0].hint


@pytest.mark.parametrize(
    "caches_setting", [REDIS, OURS, DATABASE], ids=["redis", "settings-redis", "database"]
)
def test_production_with_a_shared_cache_passes(caches_setting):
    assert check_with(caches_setting) == []


def test_a_backend_that_cannot_be_imported_is_not_taken_for_shared():
    broken = {"default": {"BACKEND": "nowhere.Cache"}}
    assert [error.id for error in check_with(broken)] == ["equitime.E001"]


def test_development_may_keep_the_cache_in_memory():
    assert check_with(LOCMEM, production=False) == []


@pytest.mark.django_db
def test_migrate_creates_the_database_cache_table():
    with override_settings(CACHES=DATABASE):  # the cache handler starts again with it
        call_command("migrate", "core", verbosity=0)

        assert "equitime_cache_test" in connection.introspection.table_names()
        caches["default"].set("k", "v")
        assert caches["default"].get("k") == "v"


def _deploy_check(tmp_path, **env: str) -> subprocess.CompletedProcess:
    ours = ("EQUITIME_", "DJANGO_", "DATABASE_URL", "SECRET_KEY", "ALLOWED_HOSTS", "REDIS_URL")
    clean = {name: value for name, value in os.environ.items() if not name.startswith(ours)}
    clean |= {
        "EQUITIME_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "equitime.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy-check.sqlite3'}",
        "EQUITIME_DATA_DIR": str(tmp_path),
        "EQUITIME_SITE_URL": "https://equitime.example.org",
    }
    return subprocess.run(
        [sys.executable, "-m", "equitime.cli", "check", "--deploy"],
        env=clean | env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.slow
def test_check_deploy_reports_the_missing_shared_cache(tmp_path):
    refused = _deploy_check(tmp_path)
    chosen = _deploy_check(tmp_path, EQUITIME_CACHE="database")
    redis = _deploy_check(tmp_path, REDIS_URL="redis://127.0.0.1:6379/3")

    assert refused.returncode != 0
    assert "equitime.E001" in refused.stderr
    assert chosen.returncode == 0, chosen.stderr
    assert redis.returncode == 0, redis.stderr

"""Stateless web processes: with REDIS_URL set, sessions are read from Redis
(written through to the database), so any process on any machine serves any
member; revoking a member's sessions still ends them everywhere."""

import pytest
from django.contrib.sessions.backends.cached_db import KEY_PREFIX
from django.core.cache import caches
from django.test import override_settings

from equitime.core.testing import redis_test_url, settings_in_subprocess
from equitime.members import roles
from equitime.members.services import member_role_grant
from equitime.moderation.services import member_suspend

pytestmark = pytest.mark.django_db

# This test process's own Redis database, which no other process empties.
REDIS_SESSIONS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": redis_test_url(),
    }
}


def test_with_redis_url_sessions_live_in_redis_and_the_database(tmp_path):
    shared = settings_in_subprocess(
        tmp_path,
        "s.SESSION_ENGINE, s.CACHES['default']['BACKEND']",
        REDIS_URL="redis://127.0.0.1:6379/3",
    )
    alone = settings_in_subprocess(tmp_path, "s.SESSION_ENGINE")

    assert shared.split() == [
        "django.contrib.sessions.backends.cached_db",
        "equitime.core.cache.SharedClientRedisCache",
    ]
    assert alone == "django.contrib.sessions.backends.db"


def test_production_writes_nothing_to_the_machines_disk(tmp_path):
    data_dir = tmp_path / "data"
    settings_in_subprocess(
        tmp_path,
        "s.SECRET_KEY and s.STATIC_ROOT",
        EQUITIME_DATA_DIR=str(data_dir),
        DATABASE_URL="postgres://nobody@127.0.0.1:5432/nothing",
        REDIS_URL="redis://127.0.0.1:6379/3",
    )

    assert not data_dir.exists()


@pytest.fixture
def redis_sessions(settings):
    settings.CACHES = REDIS_SESSIONS
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    caches["default"].clear()
    yield caches["default"]
    caches["default"].clear()


def test_a_session_is_read_from_redis_by_any_process(client, member, redis_sessions):
    client.force_login(member)
    session_key = client.cookies["sessionid"].value

    assert redis_sessions.get(KEY_PREFIX + session_key)["_auth_user_id"] == str(member.pk)
    assert client.get("/dashboard/").status_code == 200


def test_a_redis_restart_signs_nobody_out(client, member, redis_sessions):
    client.force_login(member)
    redis_sessions.clear()  # as after a restart or an eviction

    assert client.get("/dashboard/").status_code == 200


def test_suspension_ends_a_session_kept_in_redis(client, make_member, member, redis_sessions):
    moderator = member_role_grant(member=make_member(), role=roles.MODERATOR, by=None)
    client.force_login(member)
    assert client.get("/dashboard/").status_code == 200

    member_suspend(member=member, by=moderator, reason="Asked money for sessions.")

    response = client.get("/dashboard/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@override_settings(CACHES=REDIS_SESSIONS)
def test_rate_limits_count_in_redis(redis_sessions):
    from equitime.api.throttling import hit

    assert hit("ip", "198.51.100.7", "2/h") is None
    assert hit("ip", "198.51.100.7", "2/h") is None
    assert hit("ip", "198.51.100.7", "2/h") is not None
    assert any(key.startswith(b":1:equitime:rl:ip:198.51.100.7") for key in _redis_keys())


def _redis_keys():
    import redis

    return redis.Redis.from_url(REDIS_SESSIONS["default"]["LOCATION"]).keys("*")

"""Rate limits: per client IP before anything else, per token (or member),
writes counted apart; counted in the cache, so in Redis across processes."""

import pytest
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.test import override_settings

from equitime.api.services import api_token_create
from equitime.core.testing import redis_test_url

pytestmark = pytest.mark.django_db

ME = "/api/v1/me"
REDIS_TEST_URL = redis_test_url()


def bearer(secret):
    return {"Authorization": f"Bearer {secret}"}


def assert_rate_limited(response):
    assert response.status_code == 429, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "rate_limited"
    retry_after = response["Retry-After"]
    assert retry_after.isdigit(), retry_after
    assert 1 <= int(retry_after) <= 3600


# Hourly windows in tests, so that a run does not straddle the end of one.


@override_settings(EQUITIME_API_RATE_PER_TOKEN="3/h", EQUITIME_API_RATE_PER_IP="1000/h")
def test_a_token_is_limited_and_another_token_is_not(client, member):
    _, first = api_token_create(member=member, name="first")
    _, second = api_token_create(member=member, name="second")

    for _ in range(3):
        assert client.get(ME, headers=bearer(first)).status_code == 200
    assert_rate_limited(client.get(ME, headers=bearer(first)))

    assert client.get(ME, headers=bearer(second)).status_code == 200


@override_settings(EQUITIME_API_RATE_PER_TOKEN="2/h", EQUITIME_API_RATE_PER_IP="1000/h")
def test_a_browser_session_is_limited_per_member(client, member, other_member):
    client.force_login(member)
    for _ in range(2):
        assert client.get(ME).status_code == 200
    assert_rate_limited(client.get(ME))

    client.force_login(other_member)
    assert client.get(ME).status_code == 200


@override_settings(
    EQUITIME_API_RATE_PER_TOKEN="100/h",
    EQUITIME_API_WRITE_RATE_PER_TOKEN="2/h",
    EQUITIME_API_RATE_PER_IP="1000/h",
)
def test_writes_are_counted_apart_from_reads(client, member):
    _, secret = api_token_create(member=member, name="t")

    def write(text):
        return client.patch(
            ME, {"bio": text}, content_type="application/json", headers=bearer(secret)
        )

    assert write("one").status_code == 200
    assert write("two").status_code == 200
    assert_rate_limited(write("three"))
    member.profile.refresh_from_db()
    assert member.profile.bio == "two"
    # Reading goes on.
    for _ in range(5):
        assert client.get(ME, headers=bearer(secret)).status_code == 200


@override_settings(EQUITIME_API_RATE_PER_IP="3/h", EQUITIME_API_RATE_PER_TOKEN="1000/h")
def test_the_ip_limit_applies_to_anonymous_callers(client, db):
    for _ in range(3):
        assert client.get(ME).status_code == 401
    assert_rate_limited(client.get(ME))
    assert_rate_limited(client.get("/api/v1/openapi.json"))


@override_settings(EQUITIME_API_RATE_PER_IP="3/h", EQUITIME_API_RATE_PER_TOKEN="1000/h")
def test_the_ip_limit_comes_before_authentication(client, member, django_assert_num_queries):
    _, secret = api_token_create(member=member, name="t")
    for guess in range(3):
        client.get(ME, headers=bearer(f"eqt_guess{guess}"))

    # Past the limit not even a good token is looked up: no query at all.
    with django_assert_num_queries(0):
        response = client.get(ME, headers=bearer(secret))
    assert_rate_limited(response)

    # Another address is counted apart.
    assert client.get(ME, headers=bearer(secret), REMOTE_ADDR="192.0.2.10").status_code == 200


@override_settings(EQUITIME_API_RATE_PER_IP="2/h")
def test_the_ip_limit_is_only_for_the_api(client, db):
    for _ in range(5):
        assert client.get("/").status_code == 200


@override_settings(EQUITIME_API_RATE_PER_IP="2/h", ALLAUTH_TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_the_forwarded_address_is_counted(client, db):
    def from_address(address):
        return client.get(ME, HTTP_X_FORWARDED_FOR=f"{address}")

    assert from_address("198.51.100.1").status_code == 401
    assert from_address("198.51.100.1").status_code == 401
    assert_rate_limited(from_address("198.51.100.1"))
    assert from_address("198.51.100.2").status_code == 401


def _redis_reachable() -> bool:
    try:
        import redis

        redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=1).ping()
    except Exception:
        return False
    return True


@pytest.mark.skipif(not _redis_reachable(), reason=f"Redis is not reachable at {REDIS_TEST_URL}")
def test_the_limits_count_in_redis_as_with_redis_url(client, member):
    redis_cache = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_TEST_URL,
        }
    }
    _, secret = api_token_create(member=member, name="t")
    _, other = api_token_create(member=member, name="other")
    with override_settings(
        CACHES=redis_cache,
        EQUITIME_API_RATE_PER_TOKEN="3/h",
        EQUITIME_API_RATE_PER_IP="5/h",
    ):
        cache.clear()
        try:
            default = caches["default"]
            assert isinstance(default, RedisCache)
            assert type(default._cache).__name__ == "RedisCacheClient"
            for _ in range(3):
                assert client.get(ME, headers=bearer(secret)).status_code == 200
            assert_rate_limited(client.get(ME, headers=bearer(secret)))
            # The counters are in Redis, where every process would see them.
            import redis

            keys = redis.Redis.from_url(REDIS_TEST_URL).keys("*equitime:rl:*")
            assert any(b":read:token:" in key for key in keys), keys
            assert any(b":ip:" in key for key in keys), keys
            # Another token is not limited; the IP limit (5) is reached next.
            assert client.get(ME, headers=bearer(other)).status_code == 200
            assert_rate_limited(client.get(ME, headers=bearer(other)))
        finally:
            cache.clear()

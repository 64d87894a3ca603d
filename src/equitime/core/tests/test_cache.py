"""The Redis cache keeps one client per pool instead of one per command."""

import os

import pytest

from equitime.core.cache import SharedClientRedisCache
from equitime.core.testing import redis_test_url

REDIS_TEST_URL = redis_test_url()


@pytest.fixture
def redis_cache():
    cache = SharedClientRedisCache(REDIS_TEST_URL, {"KEY_PREFIX": f"test-cache-{os.getpid()}"})
    yield cache
    cache.clear()


def test_one_client_serves_every_command(redis_cache):
    assert redis_cache._cache.get_client() is redis_cache._cache.get_client(write=True)


def test_it_still_stores_counts_and_forgets(redis_cache):
    redis_cache.set("page", (b"<html>", {"Content-Type": "text/html"}), 30)
    assert redis_cache.get("page") == (b"<html>", {"Content-Type": "text/html"})
    redis_cache.set("count", 1, None)
    assert redis_cache.incr("count") == 2
    assert redis_cache.get_many(["page", "count", "missing"]) == {
        "page": (b"<html>", {"Content-Type": "text/html"}),
        "count": 2,
    }
    redis_cache.delete("page")
    assert redis_cache.get("page") is None


def test_incr_of_a_missing_key_is_refused_and_creates_nothing(redis_cache):
    with pytest.raises(ValueError):
        redis_cache.incr("window")
    assert redis_cache.get("window") is None
    redis_cache.add("window", 0, 30)
    assert redis_cache.incr("window") == 1
    assert redis_cache.incr("window", 5) == 6
    client = redis_cache._cache.get_client()
    assert 0 < client.ttl(redis_cache.make_key("window")) <= 30  # the expiry is kept

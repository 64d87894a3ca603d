"""Django's Redis cache, with one Redis client per connection pool.

Django's ``RedisCacheClient.get_client`` builds a new ``redis.Redis`` for every
command, and redis-py fills some 170 response callbacks in each new one: about
0.15 ms of CPU per cache call, several times a request (the session, the rate
limits, the page cache). A client is safe to share (the pool hands each
command a connection, and re-opens them after a fork), so keep one per pool.

``incr`` also takes one round trip instead of Django's two (EXISTS, then
INCRBY): a short script does both inside Redis, with the same meaning (a
missing key is a ValueError, never created without its expiry). The rate
limits and the page cache's generation count with it on every request.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.cache.backends.redis import RedisCache, RedisCacheClient

if TYPE_CHECKING:  # Django imports redis only when a Redis cache is built
    from redis import ConnectionPool, Redis
    from redis.commands.core import Script

_INCR_IF_PRESENT = """
if redis.call('EXISTS', KEYS[1]) == 1 then
    return redis.call('INCRBY', KEYS[1], ARGV[1])
end
return nil
"""


class SharedClientRedisCacheClient(RedisCacheClient):
    if TYPE_CHECKING:
        # Django's RedisCacheClient sets and defines these; they are private, so
        # django-stubs leaves them out. Declared here to be checked, not assumed.
        _client: type[Redis]

        def _get_connection_pool(self, write: bool) -> ConnectionPool: ...

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Redis] = {}
        self._scripts: dict[int, Script] = {}

    def incr(self, key: str | bytes | memoryview, delta: int) -> Any:
        client = self.get_client(key, write=True)
        script = self._scripts.get(id(client))
        if script is None:
            script = self._scripts[id(client)] = client.register_script(_INCR_IF_PRESENT)
        value = script(keys=[key], args=[delta])
        if value is None:  # Django's message; RedisCache passes only str keys
            raise ValueError(f"Key '{key!s}' not found.")
        return value

    def get_client(
        self, key: str | bytes | memoryview | None = None, *, write: bool = False
    ) -> Redis:
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class SharedClientRedisCache(RedisCache):
    def __init__(self, server: str | list[str], params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = SharedClientRedisCacheClient

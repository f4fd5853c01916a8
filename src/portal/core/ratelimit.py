"""Fixed-window counters, for anything that sends an OTP or checks a secret.

A window starts with the first count and ends `window_seconds` later, whatever happens in
between: every count is one atomic step that either starts a new window or adds one to the
current one without moving its end. Django's cache API cannot promise that (the database
cache's incr rewrites the expiry and loses counts under concurrency), so the counters live in
Redis when the default cache is Redis (one Lua script per step) and otherwise in the database
table core.RateCounter (one INSERT ... ON CONFLICT DO UPDATE ... RETURNING per step, on
PostgreSQL and SQLite alike). Every process (web and task worker) shares them.

Two ways to count:
- `rate_limit_hit` counts every attempt (codes sent, registrations, ThaID starts);
- `rate_limit_try` / `rate_limit_succeeded` count failures only: a try reserves one of the
  window's attempts atomically (so 20 parallel guesses against a limit of 5 evaluate 5), and
  a success gives it back, so a correct answer is never refused while the failures stay
  under the limit;
- `rate_limit_count` before and `rate_limit_failed` after a failure: failures only too, one
  read on success, a bound rather than an exact count under concurrency.
"""

import hashlib
import time

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.db import connection
from django.db.models import F

from portal.core.models import RateCounter

__all__ = [
    "rate_limit_count",
    "rate_limit_failed",
    "rate_limit_hit",
    "rate_limit_reset",
    "rate_limit_succeeded",
    "rate_limit_try",
    "ratelimit_purge_expired",
]


def now_ms() -> int:
    """The limiter's clock (tests move it by patching this function)."""
    return int(time.time() * 1000)


def _bucket(scope: str, key: str) -> str:
    name = f"rl:{scope}:{key}"
    # Keys are hashes, addresses and ids; a longer one is hashed to fit the column.
    return name if len(name) <= 200 else "rl:" + hashlib.sha256(name.encode()).hexdigest()


# --- stores ----------------------------------------------------------------------------------

# KEYS[1] a hash {c: count, e: window end in ms}; ARGV now, window (ms). Starts a window when
# there is none or it has ended, else adds one; the key's own TTL only clears old windows away.
_REDIS_HIT = """
local now = tonumber(ARGV[1])
local ends = tonumber(redis.call('HGET', KEYS[1], 'e') or '0')
if ends <= now then
  ends = now + tonumber(ARGV[2])
  redis.call('HSET', KEYS[1], 'c', 1, 'e', ends)
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]))
  return 1
end
return redis.call('HINCRBY', KEYS[1], 'c', 1)
"""

_REDIS_GIVE_BACK = """
local now = tonumber(ARGV[1])
local ends = tonumber(redis.call('HGET', KEYS[1], 'e') or '0')
if ends > now and tonumber(redis.call('HGET', KEYS[1], 'c') or '0') > 0 then
  return redis.call('HINCRBY', KEYS[1], 'c', -1)
end
return 0
"""


class _RedisStore:
    def __init__(self, cache: RedisCache):
        self.cache = cache

    def _client_and_key(self, bucket: str):
        key = self.cache.make_and_validate_key(bucket)
        return self.cache._cache.get_client(key, write=True), key

    def hit(self, bucket: str, window_seconds: int) -> int:
        client, key = self._client_and_key(bucket)
        return int(client.eval(_REDIS_HIT, 1, key, now_ms(), window_seconds * 1000))

    def give_back(self, bucket: str) -> None:
        client, key = self._client_and_key(bucket)
        client.eval(_REDIS_GIVE_BACK, 1, key, now_ms())

    def count(self, bucket: str) -> int:
        client, key = self._client_and_key(bucket)
        count, ends = client.hmget(key, "c", "e")
        return int(count) if ends is not None and float(ends) > now_ms() else 0

    def reset(self, bucket: str) -> None:
        client, key = self._client_and_key(bucket)
        client.delete(key)

    def purge_expired(self) -> int:
        return 0  # Redis drops ended windows itself (the key's TTL)


# SET reads the row as it was before the update, so both CASEs see the old end. PostgreSQL
# and SQLite (3.35 and later) both run this as one atomic statement.
_DATABASE_HIT = (
    "INSERT INTO core_ratecounter (bucket, count, window_ends_ms) VALUES (%s, 1, %s) "
    "ON CONFLICT (bucket) DO UPDATE SET "
    "count = CASE WHEN core_ratecounter.window_ends_ms <= %s THEN 1 "
    "ELSE core_ratecounter.count + 1 END, "
    "window_ends_ms = CASE WHEN core_ratecounter.window_ends_ms <= %s "
    "THEN excluded.window_ends_ms ELSE core_ratecounter.window_ends_ms END "
    "RETURNING count"
)


class _DatabaseStore:
    def hit(self, bucket: str, window_seconds: int) -> int:
        now = now_ms()
        # Inside a use case's transaction the count commits or rolls back with it: callers
        # count before (or after) their transaction so that a refusal keeps its count.
        with connection.cursor() as cursor:
            cursor.execute(_DATABASE_HIT, [bucket, now + window_seconds * 1000, now, now])
            return int(cursor.fetchone()[0])

    def give_back(self, bucket: str) -> None:

        RateCounter.objects.filter(bucket=bucket, window_ends_ms__gt=now_ms(), count__gt=0).update(
            count=F("count") - 1
        )

    def count(self, bucket: str) -> int:

        row = (
            RateCounter.objects.filter(bucket=bucket, window_ends_ms__gt=now_ms())
            .values_list("count", flat=True)
            .first()
        )
        return row or 0

    def reset(self, bucket: str) -> None:

        RateCounter.objects.filter(bucket=bucket).delete()

    def purge_expired(self) -> int:

        return RateCounter.objects.filter(window_ends_ms__lte=now_ms()).delete()[0]


def _store():
    cache = caches["default"]
    return _RedisStore(cache) if isinstance(cache, RedisCache) else _DatabaseStore()


# --- the public functions ----------------------------------------------------------------------


def rate_limit_hit(*, scope: str, key: str, limit: int, window_seconds: int) -> bool:
    """Count one attempt; True when the attempt is over the limit for this window."""
    return _store().hit(_bucket(scope, key), window_seconds) > limit


def rate_limit_try(*, scope: str, key: str, limit: int, window_seconds: int) -> bool:
    """Reserve one attempt at a secret; False (nothing counted) when `limit` failures fill
    this window already. Evaluate the attempt only when True; on success call
    rate_limit_succeeded, on failure do nothing: the reservation is the failure's count."""
    store, bucket = _store(), _bucket(scope, key)
    if store.hit(bucket, window_seconds) <= limit:
        return True
    store.give_back(bucket)  # a refused attempt is not a failure of its own
    return False


def rate_limit_failed(*, scope: str, key: str, window_seconds: int) -> int:
    """Count one failure, for a limit checked with rate_limit_count before the attempt
    (cheaper where a bound, not an exact count, is wanted); returns the window's count."""
    return _store().hit(_bucket(scope, key), window_seconds)


def rate_limit_succeeded(*, scope: str, key: str) -> None:
    """The reserved attempt was right: it does not count."""
    _store().give_back(_bucket(scope, key))


def rate_limit_reset(*, scope: str, key: str) -> None:
    _store().reset(_bucket(scope, key))


def rate_limit_count(*, scope: str, key: str) -> int:
    """The attempts counted in the current window, without counting one."""
    return _store().count(_bucket(scope, key))


def ratelimit_purge_expired() -> int:
    """Delete the database counters whose window has ended; returns how many. Meant to run
    from the task worker's schedule (every hour is plenty); nothing to do on Redis."""
    return _store().purge_expired()

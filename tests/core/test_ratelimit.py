"""The one rate limiter: atomic fixed windows on the database store and on Redis.

The Redis tests fail, rather than skip, when TEST_REDIS_URL cannot be reached: production
runs on Redis, so its store is tested on the real thing.
"""

import threading

import pytest
from django.db import connection

from portal.core import ratelimit
from portal.core.models import RateCounter
from portal.core.ratelimit import (
    rate_limit_count,
    rate_limit_failed,
    rate_limit_hit,
    rate_limit_reset,
    rate_limit_succeeded,
    rate_limit_try,
    ratelimit_purge_expired,
)

HOUR = 3600
T0 = 1_800_000_000_000  # a fixed "now" in ms


@pytest.fixture(params=["database", "redis"])
def store(request, db):
    """Each test runs on both stores; the database one is the default (no REDIS_URL)."""
    if request.param == "redis":
        request.getfixturevalue("redis_cache")
        assert isinstance(ratelimit._store(), ratelimit._RedisStore)
    else:
        assert isinstance(ratelimit._store(), ratelimit._DatabaseStore)
    return request.param


@pytest.fixture
def clock(monkeypatch):
    """The limiter's clock, moved by the test."""

    class Clock:
        ms = T0

        def move(self, seconds: float) -> None:
            self.ms = T0 + int(seconds * 1000)

    clock = Clock()
    monkeypatch.setattr(ratelimit, "now_ms", lambda: clock.ms)
    return clock


def _parallel(count: int, action) -> list:
    """Run `action` in `count` threads at once (each with its own database connection)."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(index: int) -> None:
        try:
            barrier.wait()
            results[index] = action()
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


# --- atomic under concurrency ----------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("backend", ["database", "redis"])
def test_twenty_parallel_guesses_against_a_limit_of_five_evaluate_exactly_five(request, backend):
    """Issue 8: 20 parallel birth-date guesses against a limit of 5 evaluate exactly 5, and
    the counter ends at 5 (the refused ones do not count)."""
    if backend == "redis":
        request.getfixturevalue("redis_cache")
    results = _parallel(
        20,
        lambda: rate_limit_try(scope="guess", key="m1", limit=5, window_seconds=HOUR),
    )
    assert results.count(True) == 5
    assert results.count(False) == 15
    assert rate_limit_count(scope="guess", key="m1") == 5


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("backend", ["database", "redis"])
def test_twenty_parallel_hits_count_twenty(request, backend):
    """Every counted attempt is counted once: 20 at once give the counts 1 to 20."""
    if backend == "redis":
        request.getfixturevalue("redis_cache")
    results = _parallel(
        20, lambda: rate_limit_hit(scope="send", key="m1", limit=5, window_seconds=HOUR)
    )
    assert results.count(False) == 5
    assert results.count(True) == 15
    assert rate_limit_count(scope="send", key="m1") == 20


# --- the window keeps its length ------------------------------------------------------------


def test_window_holds_its_full_length_with_the_clock_moved(store, clock):
    """An hour-long block lasts the hour: not 5 minutes (the old database cache's incr), not
    longer because of the attempts made during it."""
    for _attempt in range(5):
        assert rate_limit_hit(scope="dob", key="k", limit=5, window_seconds=HOUR) is False
    assert rate_limit_hit(scope="dob", key="k", limit=5, window_seconds=HOUR) is True
    for seconds in (301, 1800, 3599.999):
        clock.move(seconds)
        assert rate_limit_hit(scope="dob", key="k", limit=5, window_seconds=HOUR) is True
    assert rate_limit_count(scope="dob", key="k") == 9
    clock.move(HOUR)  # the window that began at T0 ends at T0 + 1 h, attempts or not
    assert rate_limit_count(scope="dob", key="k") == 0
    assert rate_limit_hit(scope="dob", key="k", limit=5, window_seconds=HOUR) is False
    assert rate_limit_count(scope="dob", key="k") == 1


def test_new_window_starts_at_its_first_attempt(store, clock):
    clock.move(10)
    rate_limit_hit(scope="s", key="k", limit=1, window_seconds=60)
    clock.move(69.999)
    assert rate_limit_count(scope="s", key="k") == 1
    clock.move(70)
    assert rate_limit_count(scope="s", key="k") == 0


def test_scopes_and_keys_are_separate(store, clock):
    rate_limit_hit(scope="a", key="k", limit=1, window_seconds=60)
    rate_limit_hit(scope="a", key="k", limit=1, window_seconds=60)
    assert rate_limit_count(scope="a", key="k") == 2
    assert rate_limit_count(scope="a", key="other") == 0
    assert rate_limit_count(scope="b", key="k") == 0


def test_reset_clears_the_window(store, clock):
    rate_limit_hit(scope="s", key="k", limit=1, window_seconds=60)
    rate_limit_reset(scope="s", key="k")
    assert rate_limit_count(scope="s", key="k") == 0
    assert rate_limit_hit(scope="s", key="k", limit=1, window_seconds=60) is False


# --- failures only --------------------------------------------------------------------------


def test_successes_never_count_and_a_right_answer_passes_under_the_limit(store, clock):
    """Throttles count failures, not successes: any number of right answers, then four
    wrong ones, and the fifth try is still evaluated."""
    for _right in range(12):
        assert rate_limit_try(scope="totp", key="m1", limit=5, window_seconds=300) is True
        rate_limit_succeeded(scope="totp", key="m1")
    assert rate_limit_count(scope="totp", key="m1") == 0
    for _wrong in range(4):
        assert rate_limit_try(scope="totp", key="m1", limit=5, window_seconds=300) is True
    assert rate_limit_try(scope="totp", key="m1", limit=5, window_seconds=300) is True
    rate_limit_succeeded(scope="totp", key="m1")
    assert rate_limit_count(scope="totp", key="m1") == 4


def test_five_failures_refuse_even_the_right_answer_until_the_window_ends(store, clock):
    for _wrong in range(5):
        assert rate_limit_try(scope="totp", key="m1", limit=5, window_seconds=300) is True
    assert rate_limit_try(scope="totp", key="m1", limit=5, window_seconds=300) is False
    assert rate_limit_count(scope="totp", key="m1") == 5
    clock.move(299.999)
    assert rate_limit_try(scope="totp", key="m1", limit=5, window_seconds=300) is False
    clock.move(300)
    assert rate_limit_try(scope="totp", key="m1", limit=5, window_seconds=300) is True
    assert rate_limit_count(scope="totp", key="m1") == 1


def test_giving_back_after_the_window_ended_does_not_touch_the_next(store, clock):
    assert rate_limit_try(scope="s", key="k", limit=5, window_seconds=60) is True
    clock.move(60)
    rate_limit_succeeded(scope="s", key="k")
    assert rate_limit_count(scope="s", key="k") == 0
    assert rate_limit_try(scope="s", key="k", limit=5, window_seconds=60) is True
    assert rate_limit_count(scope="s", key="k") == 1


# --- purge ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_purge_deletes_only_ended_windows(clock):
    rate_limit_hit(scope="s", key="old", limit=1, window_seconds=60)
    rate_limit_hit(scope="s", key="long", limit=1, window_seconds=HOUR)
    clock.move(60)
    rate_limit_hit(scope="s", key="new", limit=1, window_seconds=60)
    assert ratelimit_purge_expired() == 1
    assert sorted(RateCounter.objects.values_list("bucket", flat=True)) == [
        "rl:s:long",
        "rl:s:new",
    ]
    assert ratelimit_purge_expired() == 0


def test_long_keys_are_hashed_to_fit(db, clock):
    key = "x" * 400
    rate_limit_hit(scope="s", key=key, limit=1, window_seconds=60)
    rate_limit_hit(scope="s", key=key, limit=1, window_seconds=60)
    assert rate_limit_count(scope="s", key=key) == 2
    (bucket,) = RateCounter.objects.values_list("bucket", flat=True)
    assert len(bucket) == 3 + 64


def test_count_then_failed_counts_failures_only(store, clock):
    """The check-then-count form (the per-account login cap): a read before, a count only
    after a failure, in the same fixed window."""
    assert rate_limit_count(scope="cap", key="k") == 0
    assert rate_limit_failed(scope="cap", key="k", window_seconds=60) == 1
    assert rate_limit_failed(scope="cap", key="k", window_seconds=60) == 2
    clock.move(59.999)
    assert rate_limit_count(scope="cap", key="k") == 2
    clock.move(60)
    assert rate_limit_count(scope="cap", key="k") == 0
    assert rate_limit_failed(scope="cap", key="k", window_seconds=60) == 1

"""The database cache of `make run` (no Redis) keeps what is live in it: Django culls a third
of the table, live rows included, once it holds MAX_ENTRIES rows (default 300)."""

import copy

import pytest
from django.conf import settings as project_settings
from django.core.cache import cache

from portal.registries.failures import failure_mode, failure_set

pytestmark = pytest.mark.django_db


DATABASE_CACHE = {
    "BACKEND": "django.core.cache.backends.db.DatabaseCache",
    "LOCATION": "portal_cache",
    "OPTIONS": {"MAX_ENTRIES": 1_000_000},
}


def test_without_redis_the_cache_is_the_database_with_a_high_ceiling():
    """The suite runs without REDIS_URL (scripts/run-tests), as `make run` does."""
    assert project_settings.REDIS_URL == ""
    assert project_settings.CACHES == {"default": DATABASE_CACHE}


def test_live_entries_survive_many_robot_check_solutions(settings):
    """ACC-09: a used robot-check solution stays remembered (else it could be replayed), and
    the SMS gateway switched down at /sandbox/registries/ stays down, however many other
    entries the cache takes (before, the 301st entry culled a third of the table)."""
    settings.CACHES = copy.deepcopy(project_settings.CACHES)  # the caches are made anew
    failure_set("sms", "down")
    cache.set("altcha:replay:first", True, 600)
    for n in range(400):
        cache.set(f"altcha:replay:{n:04d}", True, 600)
    assert failure_mode("sms") == "down"
    assert cache.get("altcha:replay:first") is True
    assert cache.get("altcha:replay:0000") is True
    failure_set("sms", None)

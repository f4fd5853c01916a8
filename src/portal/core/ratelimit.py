"""Fixed-window counters in the shared cache, for anything that sends an OTP or checks a secret."""

from django.core.cache import cache


def rate_limit_hit(*, scope: str, key: str, limit: int, window_seconds: int) -> bool:
    """Count one attempt; True when the attempt is over the limit for this window."""
    cache_key = f"rl:{scope}:{key}"
    if cache.add(cache_key, 1, timeout=window_seconds):
        return False
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=window_seconds)
        return False
    return count > limit


def rate_limit_reset(*, scope: str, key: str) -> None:
    cache.delete(f"rl:{scope}:{key}")


def rate_limit_count(*, scope: str, key: str) -> int:
    """The attempts counted in the current window, without counting one."""
    return cache.get(f"rl:{scope}:{key}") or 0

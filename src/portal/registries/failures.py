"""Switchable failure modes of the sandbox registries, for tests and demos.

Each registry ("dopa", "dbd", "rd", "doae", "diw", "sms" ...) is working or has one mode:

- "down": every call raises RegistryUnavailable(registry, "down") at once;
- "slow": every call waits SANDBOX_SLOW_SECONDS (default 2) and then answers;
- "timeout": every call waits a little (SANDBOX_SLOW_SECONDS, never more than
  REGISTRY_TIMEOUT_SECONDS) and raises RegistryUnavailable(registry, "timeout").

The switches live in Django's default cache, which every process shares (web and task worker),
so a switch flipped on the sandbox page holds everywhere. Until anything is switched, the modes
come from SANDBOX_FAILURES (a setting, else the environment), written like "dopa:down,dbd:slow".
"""

import logging
import os
import re
import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured

from portal.registries.base import RegistryUnavailable

__all__ = [
    "MODES",
    "failure_apply",
    "failure_mode",
    "failure_set",
    "failures_all",
    "failures_reset",
    "parse_failures",
]

logger = logging.getLogger(__name__)

MODES = ("down", "slow", "timeout")
# Spellings of "working" that callers and forms use; all clear the switch.
_WORKING = (None, "", "none")
_CACHE_KEY = "sandbox:registry-failures"
_REGISTRY_NAME = re.compile(r"[a-z][a-z0-9_]*")
_DEFAULT_SLOW_SECONDS = 2.0


def _check(registry: str, mode: str) -> None:
    if not isinstance(registry, str) or not _REGISTRY_NAME.fullmatch(registry):
        raise ValueError(f"not a registry name: {registry!r}")
    if mode not in MODES:
        raise ValueError(f"unknown failure mode {mode!r} for {registry}; use one of {MODES}")


def parse_failures(raw: str) -> dict[str, str]:
    """{"dopa": "down", "dbd": "slow"} from "dopa:down,dbd:slow"; "none" entries are dropped."""
    failures: dict[str, str] = {}
    for item in (raw or "").split(","):
        if not item.strip():
            continue
        registry, _, mode = (part.strip() for part in item.partition(":"))
        if mode in _WORKING:
            failures.pop(registry, None)
            continue
        _check(registry, mode)
        failures[registry] = mode
    return failures


def _initial_failures() -> dict[str, str]:
    raw = getattr(settings, "SANDBOX_FAILURES", None)
    if raw is None:
        raw = os.environ.get("SANDBOX_FAILURES", "")
    try:
        return parse_failures(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"SANDBOX_FAILURES: {exc}") from exc


def failures_all() -> dict[str, str]:
    """Every registry that is switched to fail, with its mode; working ones are absent."""
    stored = cache.get(_CACHE_KEY)
    if stored is None:
        return _initial_failures()
    return dict(stored)


def failure_mode(registry: str) -> str | None:
    """ "down", "slow" or "timeout" when the registry is switched to fail, else None."""
    return failures_all().get(registry)


def failure_set(registry: str, mode: str | None) -> None:
    """Switch a registry to a failure mode, or back to working with None (or "none")."""
    failures = failures_all()
    if mode in _WORKING:
        if not isinstance(registry, str) or not _REGISTRY_NAME.fullmatch(registry):
            raise ValueError(f"not a registry name: {registry!r}")
        failures.pop(registry, None)
    else:
        _check(registry, mode)
        failures[registry] = mode
    # Stored even when empty: an explicit "all working" must win over SANDBOX_FAILURES.
    cache.set(_CACHE_KEY, failures, timeout=None)


def failures_reset() -> None:
    """Forget every switch: the modes are SANDBOX_FAILURES's again."""
    cache.delete(_CACHE_KEY)


def _slow_seconds() -> float:
    value = getattr(settings, "SANDBOX_SLOW_SECONDS", None)
    if value is None:
        value = os.environ.get("SANDBOX_SLOW_SECONDS", _DEFAULT_SLOW_SECONDS)
    return max(0.0, float(value))


def failure_apply(registry: str) -> None:
    """Act out the registry's failure mode before an adapter answers: raise, wait, or nothing."""
    mode = failure_mode(registry)
    if mode is None:
        return
    logger.info("sandbox failure mode %s is on for %s", mode, registry)
    if mode == "down":
        raise RegistryUnavailable(registry, "down")
    if mode == "slow":
        time.sleep(_slow_seconds())
        return
    # A real timeout would take REGISTRY_TIMEOUT_SECONDS; demos and tests need not wait longer.
    time.sleep(min(_slow_seconds(), float(settings.REGISTRY_TIMEOUT_SECONDS)))
    raise RegistryUnavailable(registry, "timeout")

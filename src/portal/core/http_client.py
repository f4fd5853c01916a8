"""The project's one outbound HTTP client (after Saleor's core/http_client.py).

Every call to another party goes through HttpClient, which keeps the same promises everywhere:

- a timeout on every request (REGISTRY_TIMEOUT_SECONDS unless the caller gives another);
- retries with exponential backoff, only for requests the caller marks idempotent and only on
  connection errors, timeouts and HTTP 502, 503 and 504 (REGISTRY_RETRIES,
  REGISTRY_BACKOFF_SECONDS);
- a circuit breaker per target (pybreaker): after REGISTRY_BREAKER_FAIL_MAX failed calls in a
  row the circuit opens and calls fail at once, without reaching the target, until
  REGISTRY_BREAKER_RESET_SECONDS have passed; then one trial call decides (half-open);
- failures raised as RegistryUnavailable(target, reason), reason "timeout", "down" or
  "circuit_open". Other answers (2xx, 3xx, 4xx) go back to the caller, whose protocol they are;
- logs name the method, target, path, status and duration, never a body or a query string:
  bodies carry national IDs, which is also why callers put IDs in POST bodies, not in URLs.

A path may also be an absolute URL (an OpenID provider names its endpoints in its discovery
document, on hosts of its own); bodies are JSON (`json=`) or form-encoded (`data=`).

A failed call is one request with all its retries: the breaker counts calls, not attempts.
"""

import logging
import random
import threading
import time
from typing import Any
from urllib.parse import urlsplit

import httpx
import pybreaker
from django.conf import settings

from portal.core.errors import RegistryUnavailable

__all__ = [
    "RETRYABLE_STATUSES",
    "HttpClient",
    "circuit_breaker",
    "circuit_breakers_reset",
]

logger = logging.getLogger(__name__)

RETRYABLE_STATUSES = frozenset({502, 503, 504})
_MAX_BACKOFF_SECONDS = 5.0

_lock = threading.Lock()
_breakers: dict[str, pybreaker.CircuitBreaker] = {}
_clients: dict[tuple[str, float, int], httpx.Client] = {}


def _setting(name: str, default: float) -> float:
    value = getattr(settings, name, None)
    return default if value is None else value


def circuit_breaker(target: str) -> pybreaker.CircuitBreaker:
    """The breaker of one target, shared by every client of it in this process."""
    with _lock:
        breaker = _breakers.get(target)
        if breaker is None:
            breaker = pybreaker.CircuitBreaker(
                fail_max=int(_setting("REGISTRY_BREAKER_FAIL_MAX", 5)),
                reset_timeout=float(_setting("REGISTRY_BREAKER_RESET_SECONDS", 30)),
                name=target,
                # The call that trips the breaker keeps its own reason (timeout, down).
                throw_new_error_on_trip=False,
            )
            _breakers[target] = breaker
        return breaker


def circuit_breakers_reset() -> None:
    """Forget every breaker (closed again, settings read anew); for tests."""
    with _lock:
        _breakers.clear()


def _pooled_client(
    base_url: str, timeout: float, transport: httpx.BaseTransport | None = None
) -> httpx.Client:
    # One connection pool per target and timeout: keep-alive across calls and threads.
    key = (base_url, timeout, id(transport))
    with _lock:
        client = _clients.get(key)
        if client is None:
            client = httpx.Client(
                base_url=base_url,
                timeout=httpx.Timeout(timeout),
                follow_redirects=False,
                transport=transport,
            )
            _clients[key] = client
        return client


def _shown(path: str) -> str:
    """What the logs may say of a path or URL: no query string, no fragment."""
    parts = urlsplit(path)
    return parts._replace(query="", fragment="").geturl()


class _CallFailed(Exception):
    """One call failed in a way that counts against the target's circuit."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class HttpClient:
    """Requests to one target (a registry, a gateway) under the promises of this module."""

    def __init__(
        self,
        target: str,
        *,
        base_url: str,
        headers: dict[str, str] | None = None,
        timeout: float | None = None,
        retries: int | None = None,
        backoff_seconds: float | None = None,
        transport: httpx.BaseTransport | None = None,
    ):
        """transport: httpx's own network transport unless given (tests pass an in-process
        one)."""
        if not base_url:
            raise ValueError(f"{target}: no base URL")
        timeout = float(settings.REGISTRY_TIMEOUT_SECONDS if timeout is None else timeout)
        if not timeout > 0:
            raise ValueError(f"{target}: the timeout must be positive")
        self.target = target
        self.base_url = base_url.rstrip("/") + "/"
        self.headers = dict(headers or {})
        self.timeout = timeout
        self.retries = int(_setting("REGISTRY_RETRIES", 2) if retries is None else retries)
        self.backoff_seconds = float(
            _setting("REGISTRY_BACKOFF_SECONDS", 0.2)
            if backoff_seconds is None
            else backoff_seconds
        )
        self.transport = transport

    def post(
        self,
        path: str,
        *,
        json: Any = None,
        data: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
        idempotent: bool = False,
    ) -> httpx.Response:
        return self.request(
            "POST", path, json=json, data=data, headers=headers, idempotent=idempotent
        )

    def get(self, path: str, *, headers: dict[str, str] | None = None) -> httpx.Response:
        return self.request("GET", path, headers=headers, idempotent=True)

    def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        data: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
        idempotent: bool = False,
    ) -> httpx.Response:
        """The target's answer; raises RegistryUnavailable when it cannot be had.

        idempotent: the request may be sent again without harm (reads, lookups), so it is
        retried on connection errors, timeouts and 502/503/504."""
        breaker = circuit_breaker(self.target)
        body = {"json": json} if data is None else {"data": data}
        try:
            # calling() keeps the breaker's lock only around its own bookkeeping, so
            # concurrent requests to one target are not queued behind each other.
            with breaker.calling():
                return self._send(
                    method, path, body, {**self.headers, **(headers or {})}, idempotent
                )
        except pybreaker.CircuitBreakerError:
            logger.warning("%s %s %s: circuit open, not called", method, self.target, _shown(path))
            raise RegistryUnavailable(self.target, "circuit_open") from None
        except _CallFailed as exc:
            raise RegistryUnavailable(self.target, exc.reason) from None

    def _send(
        self, method: str, url: str, body: dict, headers: dict[str, str], idempotent: bool
    ) -> httpx.Response:
        client = _pooled_client(self.base_url, self.timeout, self.transport)
        path = _shown(url)
        attempts = 1 + (max(0, self.retries) if idempotent else 0)
        attempt = 0
        while True:
            attempt += 1
            started = time.monotonic()
            try:
                response = client.request(method, url.lstrip("/"), headers=headers, **body)
            except httpx.TimeoutException:
                reason, outcome = "timeout", "timed out"
            except httpx.TransportError as exc:
                reason, outcome = "down", type(exc).__name__
            else:
                elapsed_ms = (time.monotonic() - started) * 1000
                status = response.status_code
                if status < 500:
                    logger.debug(
                        "%s %s %s: HTTP %s in %.0f ms",
                        method,
                        self.target,
                        path,
                        status,
                        elapsed_ms,
                    )
                    return response
                if status not in RETRYABLE_STATUSES:
                    logger.warning("%s %s %s: HTTP %s", method, self.target, path, status)
                    raise _CallFailed("down")
                reason, outcome = "down", f"HTTP {status}"
            if attempt == attempts:
                logger.warning(
                    "%s %s %s: %s (attempt %s of %s)",
                    *(method, self.target, path, outcome, attempt, attempts),
                )
                raise _CallFailed(reason)
            delay = self._backoff(attempt)
            logger.warning(
                "%s %s %s: %s (attempt %s of %s), retrying in %.2f s",
                *(method, self.target, path, outcome, attempt, attempts, delay),
            )
            time.sleep(delay)

    def _backoff(self, attempt: int) -> float:
        delay = self.backoff_seconds * 2 ** (attempt - 1)
        # Jitter spreads the retries of many workers hitting the same outage.
        jitter = random.uniform(0, self.backoff_seconds / 2)  # noqa: S311 (not security)
        return min(delay + jitter, _MAX_BACKOFF_SECONDS)

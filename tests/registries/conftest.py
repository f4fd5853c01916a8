"""Fixtures the registries' tests share: fake HTTP services, quick client settings, and the
sandbox failure switches."""

import re
import threading

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from portal.core.http_client import circuit_breakers_reset
from portal.registries.failures import failures_reset


@pytest.fixture(scope="module")
def server():
    """One fake HTTP server per test module; fresh_server empties it for each test."""
    # Threaded, so that a handler kept waiting by one test cannot hold up the next.
    fake = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    fake.start()
    yield fake
    fake.clear()
    fake.stop()


@pytest.fixture
def fresh_server(server):
    """The module's server with no handlers and an empty log, emptied again afterwards."""
    server.clear()
    yield server
    server.clear_all_handlers()


@pytest.fixture
def quick_http_client(settings):
    """Client settings that keep tests fast (1 s timeout, 2 quick retries, a breaker that opens
    after 3 failed calls and stays open for 60 s), with every circuit closed before and after."""
    settings.REGISTRY_TIMEOUT_SECONDS = 1.0
    settings.REGISTRY_RETRIES = 2
    settings.REGISTRY_BACKOFF_SECONDS = 0.01
    settings.REGISTRY_BREAKER_FAIL_MAX = 3
    settings.REGISTRY_BREAKER_RESET_SECONDS = 60
    circuit_breakers_reset()
    yield settings
    circuit_breakers_reset()


@pytest.fixture
def hanging_server():
    """A server of its own that never answers a POST in time, and the paths it was called at.

    Its own server, so that its late answers never reach the next test's server log."""
    release = threading.Event()
    calls = []

    def hang(request: Request) -> Response:
        calls.append(request.path)
        release.wait(5)
        return Response("{}", content_type="application/json")

    fake = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    fake.expect_request(re.compile(r"/.*"), method="POST").respond_with_handler(hang)
    fake.start()
    yield fake, calls
    release.set()
    fake.stop()


@pytest.fixture
def no_failure_switches(settings):
    """Every sandbox registry working, before and after; slow ones barely slow.

    The switches live in the database cache: tests using this need django_db."""
    settings.SANDBOX_FAILURES = ""
    settings.SANDBOX_SLOW_SECONDS = 0.05
    failures_reset()
    yield
    failures_reset()

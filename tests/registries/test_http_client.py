"""The one outbound HTTP client (portal.core.http_client): timeouts, which requests are retried,
the circuit breaker per target, and logs without bodies."""

import logging
import socket
import threading
import time

import pytest
from werkzeug import Request, Response

from portal.core.http_client import HttpClient, circuit_breaker
from portal.registries.base import RegistryUnavailable

# server, fresh_server and quick_http_client: tests/registries/conftest.py
pytestmark = pytest.mark.usefixtures("fresh_server", "quick_http_client")


@pytest.fixture
def client(server):
    return HttpClient("gateway", base_url=server.url_for("/api"))


def test_every_request_has_a_timeout(settings, server):
    assert HttpClient("gateway", base_url=server.url_for("/")).timeout == 1.0
    assert HttpClient("gateway", base_url=server.url_for("/"), timeout=0.3).timeout == 0.3
    for timeout in (0, -1, float("nan")):
        with pytest.raises(ValueError, match="timeout"):
            HttpClient("gateway", base_url=server.url_for("/"), timeout=timeout)
    with pytest.raises(ValueError, match="base URL"):
        HttpClient("gateway", base_url="")


def test_answers_below_500_go_back_to_the_caller(server, client):
    server.expect_request("/api/things", method="POST").respond_with_data("no", status=422)

    assert client.post("/things", json={"a": 1}, idempotent=True).status_code == 422
    assert len(server.log) == 1


def test_a_request_not_marked_idempotent_is_never_retried(server, client):
    server.expect_request("/api/payments", method="POST").respond_with_data("", status=503)

    with pytest.raises(RegistryUnavailable) as raised:
        client.post("/payments", json={"amount": 100})

    assert (raised.value.registry, raised.value.reason) == ("gateway", "down")
    assert len(server.log) == 1


def test_a_get_is_idempotent_and_retried(server, client):
    server.expect_oneshot_request("/api/status").respond_with_data("", status=504)
    server.expect_request("/api/status").respond_with_data("ok")

    assert client.get("/status").text == "ok"
    assert len(server.log) == 2


def test_500_is_a_failure_but_not_retried(server, client):
    server.expect_request("/api/lookup", method="POST").respond_with_data("", status=500)

    with pytest.raises(RegistryUnavailable) as raised:
        client.post("/lookup", json={}, idempotent=True)

    assert raised.value.reason == "down"
    assert len(server.log) == 1


def test_a_refused_connection_is_down():
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = HttpClient("gateway", base_url=f"http://127.0.0.1:{port}/")

    with pytest.raises(RegistryUnavailable) as raised:
        client.post("/lookup", json={}, idempotent=True)

    assert raised.value.reason == "down"


def test_answers_below_500_do_not_open_the_circuit(server, client):
    server.expect_request("/api/lookup", method="POST").respond_with_data("", status=404)

    for _ in range(5):
        assert client.post("/lookup", json={}, idempotent=True).status_code == 404

    assert circuit_breaker("gateway").current_state == "closed"


def test_a_breaker_belongs_to_one_target(server, settings):
    settings.REGISTRY_RETRIES = 0
    server.expect_request("/down/x", method="POST").respond_with_data("", status=503)
    server.expect_request("/up/x", method="POST").respond_with_data("fine")
    down = HttpClient("down", base_url=server.url_for("/down"))
    up = HttpClient("up", base_url=server.url_for("/up"))

    for _ in range(3):
        with pytest.raises(RegistryUnavailable):
            down.post("/x", json={})

    with pytest.raises(RegistryUnavailable, match="circuit_open"):
        down.post("/x", json={})
    assert up.post("/x", json={}).text == "fine"


def test_requests_to_one_target_run_side_by_side(server, client):
    """The breaker must not queue calls behind each other (pybreaker's call() would)."""

    def slow(request: Request) -> Response:
        time.sleep(0.4)
        return Response("done")

    server.expect_request("/api/slow", method="POST").respond_with_handler(slow)
    answers = []

    def call():
        answers.append(client.post("/slow", json={}, idempotent=True).text)

    threads = [threading.Thread(target=call) for _ in range(3)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert answers == ["done", "done", "done"]
    assert time.monotonic() - started < 1.0


def test_logs_name_the_call_and_never_the_body(server, client, caplog):
    caplog.set_level(logging.DEBUG)
    server.expect_oneshot_request("/api/lookup", method="POST").respond_with_data("", status=503)
    server.expect_request("/api/lookup", method="POST").respond_with_data("1101700230705")

    client.post("/lookup", json={"pid": "3100600123453"}, idempotent=True)

    assert "POST gateway /lookup: HTTP 503 (attempt 1 of 3), retrying" in caplog.text
    assert "3100600123453" not in caplog.text
    assert "1101700230705" not in caplog.text

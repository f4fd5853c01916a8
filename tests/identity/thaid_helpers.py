"""ACC-10 test helpers: the portal's ThaID client talks to the sandbox provider through
httpx.WSGITransport (no sockets), and the steps a person takes in the two browsers."""

import base64
import re
from urllib.parse import parse_qs, urlsplit

import httpx
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from portal.core.http_client import circuit_breakers_reset
from portal.identity import thaid

_handler = WSGIHandler()


def _wsgi_app_inside_the_test_transaction(environ, start_response):
    """Django's WSGI handler, minus the connection clean-up at request start and end, which
    would close the test's open transaction (the test client does the same)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        result = _handler(environ, start_response)
        try:
            body = b"".join(result)
        finally:
            result.close()
        return [body]
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def wsgi_transport() -> httpx.WSGITransport:
    return httpx.WSGITransport(app=_wsgi_app_inside_the_test_transaction)


def use_wsgi_transport(monkeypatch, transport: httpx.BaseTransport | None = None):
    # ThaID's calls go through core.http_client: every test starts with its circuit closed.
    circuit_breakers_reset()
    transport = transport or wsgi_transport()
    monkeypatch.setattr(thaid, "TRANSPORT", transport)
    return transport


def request_id_of(qr_url: str) -> str:
    match = re.search(r"/sandbox/thaid/qr/([0-9a-f-]{36})/", qr_url)
    assert match, qr_url
    return match.group(1)


def press_thaid_button(client, **data) -> str:
    """POST the login page's button, follow to the provider's QR page; its request id."""
    response = client.post("/accounts/thaid/start/", data)
    assert response.status_code == 302, response
    authorize = response["Location"]
    assert authorize.startswith("http://testserver/sandbox/thaid/authorize?"), authorize
    response = client.get(authorize)
    assert response.status_code == 302, response.content[:500]
    return request_id_of(response["Location"])


def answer_in_app(client, request_id: str, *, pid: str = "", action: str = "consent"):
    return client.post(f"/sandbox/thaid/app/{request_id}/", {"citizen": pid, "action": action})


def back_to_portal(client, request_id: str):
    """What the QR page does once the app has answered: continue, then the callback."""
    response = client.get(f"/sandbox/thaid/qr/{request_id}/continue/")
    assert response.status_code == 302, response.content[:500]
    callback = response["Location"]
    assert callback.startswith("http://testserver/accounts/thaid/callback/?"), callback
    return client.get(callback), callback


def thaid_login(client, pid: str, *, action: str = "consent"):
    """The whole flow: button, QR, the phone app's answer, back to the portal."""
    request_id = press_thaid_button(client)
    answer_in_app(client, request_id, pid=pid, action=action)
    response, _callback = back_to_portal(client, request_id)
    return response


def query_of(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def basic_auth(client_id: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()

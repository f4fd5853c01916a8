"""Port to the SMS gateway, with an HTTP adapter here and a sandbox adapter (the outbox) in
portal.sandbox.sms.

Email has no port of its own: it goes through Django's email framework, whose EMAIL_BACKEND is
the sandbox outbox (portal.sandbox.mail) in sandbox and test mode and SMTP in production.
Callers do not send directly either: they call `portal.registries.tasks.queue_sms` /
`queue_email`, which record the message in their transaction and send it from a background
task after the commit, with retries (portal.registries.tasks).

The production gateway's API (the HTTP adapter speaks exactly this; a gateway with another API
gets its own adapter):

    POST {SMS_GATEWAY_URL}/messages
    Authorization: Bearer {SMS_GATEWAY_TOKEN}
    Idempotency-Key: outbound-…      (optional; the same key on every attempt of one send)
    Content-Type: application/json

    {"to": "0812345678", "sender": "iIDS", "text": "…"}

    201 Created  {"id": "<message id>"}     sent, or queued at the gateway
    200 OK       {"id": "<first send's id>"} a repeated Idempotency-Key: nothing sent again
    other 4xx but 401, 403, 408, 429         refused for good (bad number, unregistered sender,
                 {"error": "<code>",         body too long): SmsRejected(code, detail); a retry
                  "detail": "…"}             cannot help
    401, 403, 408, 429, 5xx, a timeout, a    RegistryUnavailable("sms", reason), reason "down",
    refused connection, an open circuit, a   "timeout", "circuit_open" or "bad_response": try
    200/201 without an id                    again later

`sender` is one of SMS_SENDER_NAMES (ACC-12: `iIDS` and `i-ind`), registered with the gateway.
"""

import logging
from typing import Protocol

import httpx
from django.conf import settings
from django.utils.module_loading import import_string

from portal.core.http_client import HttpClient
from portal.registries.base import RegistryError, RegistryUnavailable

__all__ = [
    "HttpSmsGateway",
    "RegistryUnavailable",
    "SmsGateway",
    "SmsRejected",
    "check_sender",
    "sms_gateway",
    "sms_sender",
]

logger = logging.getLogger(__name__)
REGISTRY = "sms"


class SmsRejected(RegistryError):
    """The gateway refused this message for good (bad number, unregistered sender...)."""

    registry = REGISTRY

    def __init__(self, code: str, detail: str = ""):
        super().__init__(f"sms rejected: {code}" + (f" ({detail})" if detail else ""))
        self.code = code
        self.detail = detail


class SmsGateway(Protocol):
    def send(self, *, to: str, sender: str, body: str, reference: str = "") -> str:
        """Send one SMS and return the gateway's message id.

        `reference` is an idempotency key: a second send with the same non-empty reference
        sends nothing and returns the first send's id. Raises RegistryUnavailable when the
        gateway cannot take the message now, SmsRejected when it never will.
        """


def sms_sender(*, otp_sequence: int | None = None) -> str:
    """ACC-12: the sender name of an SMS. A one-time password takes the names of
    SMS_SENDER_OTP in turn by its sequence number (the member's how-many-th code by SMS);
    anything else goes under SMS_SENDER_NOTICE."""
    if otp_sequence is None:
        return settings.SMS_SENDER_NOTICE
    names = settings.SMS_SENDER_OTP
    return names[otp_sequence % len(names)]


def check_sender(sender: str) -> str:
    """ACC-12: only the registered sender names may appear on an SMS."""
    if sender not in settings.SMS_SENDER_NAMES:
        allowed = ", ".join(settings.SMS_SENDER_NAMES)
        raise ValueError(f"SMS sender {sender!r} is not one of {allowed}")
    return sender


class HttpSmsGateway:
    """The production gateway over HTTPS (API in this module's docstring), via core.http_client.

    A send with a reference is marked idempotent, so the client may retry it after a timeout or
    a 502/503/504: the gateway's Idempotency-Key check keeps a retried send from being a second
    SMS. A send without one is tried once.
    """

    def __init__(self, client: HttpClient | None = None):
        self._given_client = client

    def _client(self) -> HttpClient:
        if self._given_client is not None:
            return self._given_client
        if not settings.SMS_GATEWAY_URL:
            # Members see "the SMS could not be sent"; operators see why here.
            logger.error("SMS_GATEWAY_URL is not set: no SMS can be sent")
            raise RegistryUnavailable(REGISTRY, "down")
        headers = {"Accept": "application/json"}
        if settings.SMS_GATEWAY_TOKEN:
            headers["Authorization"] = f"Bearer {settings.SMS_GATEWAY_TOKEN}"
        return HttpClient(REGISTRY, base_url=settings.SMS_GATEWAY_URL, headers=headers)

    def send(self, *, to: str, sender: str, body: str, reference: str = "") -> str:
        check_sender(sender)
        response = self._client().request(
            "POST",
            "messages",
            json={"to": to, "sender": sender, "text": body},
            headers={"Idempotency-Key": reference} if reference else None,
            idempotent=bool(reference),
        )
        return _message_id(response)


def _message_id(response: httpx.Response) -> str:
    """The message id of a 200/201 answer; the port's errors for every other answer."""
    status = response.status_code
    if status in (401, 403, 408, 429):
        # Our credentials, the gateway's patience or its rate limit: nothing wrong with the
        # message itself, so it may go through later.
        logger.warning("SMS gateway answered HTTP %s", status)
        raise RegistryUnavailable(REGISTRY, "timeout" if status == 408 else "down")
    try:
        payload = response.json()
    except ValueError:
        payload = None
    if 400 <= status < 500:
        error = payload if isinstance(payload, dict) else {}
        raise SmsRejected(str(error.get("error") or f"http_{status}"), str(error.get("detail", "")))
    if status not in (200, 201) or not isinstance(payload, dict) or not payload.get("id"):
        logger.warning("SMS gateway answered HTTP %s without a message id", status)
        raise RegistryUnavailable(REGISTRY, "bad_response")
    return str(payload["id"])


_ADAPTERS = {
    # The outbox is the sandbox app's table, so its adapter lives there (by name: registries
    # imports no sandbox module).
    "sandbox": "portal.sandbox.sms.SandboxSmsGateway",
    "http": "portal.registries.messaging.HttpSmsGateway",
}


def sms_gateway() -> SmsGateway:
    """The adapter MESSAGING_ADAPTER names ("sandbox" or "http")."""
    try:
        path = _ADAPTERS[settings.MESSAGING_ADAPTER]
    except KeyError:
        raise ValueError(
            f"MESSAGING_ADAPTER must be one of {', '.join(_ADAPTERS)}, "
            f"not {settings.MESSAGING_ADAPTER!r}"
        ) from None
    return import_string(path)()

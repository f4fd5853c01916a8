"""Port to the banks that collect bills (BILL-08): banks are plugins behind one interface, as
Open Forms' payment plugins are, found in a registry by their code.

    bank_for("sandbox").start_payment(ref1=..., ref2=..., amount_satang=...)  -> PaymentStart
    bank_for(code).payment_status(transaction_id)                           -> PaymentStatus | None
    bank_for(code).verify_callback(body, headers)                           -> BankCallback
    bank_for(code).statement(day)                                           -> Statement

Adapters by code come from settings.BANKS: {code: {"adapter": dotted path, "url": ...,
"token": ..., "secret": ...}}. The sandbox bank ("sandbox", SANDBOX=1 and tests) lives in the
sandbox app (portal.sandbox.bank, named by path: registries imports no sandbox module); a
production bank speaks the HTTP API below through core.http_client (HttpBank), or gets an
adapter of its own.

Callbacks (docs/decisions.md "Bank callbacks"): the bank POSTs a JSON body to
/payments/callback/<code>/ with

    X-Bank-Timestamp: 1764770000                 (Unix seconds, when it was signed)
    X-Bank-Signature: sha256=<hex>               HMAC-SHA256 with the bank's secret over
                                                 "<timestamp>." + the raw body bytes
    {"transaction_id": "SBX…", "ref1": "10…", "ref2": "2020…", "amount_satang": 43500,
     "paid_at": "2026-12-03T10:15:00+07:00"}

The timestamp is signed with the body, so a replay cannot refresh it; one older or newer than
BANK_CALLBACK_WINDOW_SECONDS is refused; the signatures are compared in constant time.

HTTP API of a bank (HttpBank; base URL and bearer token per bank in settings.BANKS):

    POST {url}/payments        {"ref1", "ref2", "amount_satang"}
                               -> 200 {"payment_url", "reference"}
    POST {url}/payments/status {"transaction_id"}
                               -> 200 a callback's fields and "status" ("paid"), 404 unknown
    GET  {url}/statements/YYYY-MM-DD.json
                               -> 200 the day's statement:
         {"bank": code, "date": "YYYY-MM-DD", "lines": [a callback's fields, ...]}
"""

import datetime as dt
import hashlib
import hmac
import json
import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from django.conf import settings
from django.utils.dateparse import parse_datetime
from django.utils.module_loading import import_string

from portal.core.http_client import HttpClient
from portal.registries.base import RegistryError, RegistryUnavailable

__all__ = [
    "SIGNATURE_HEADER",
    "TIMESTAMP_HEADER",
    "Bank",
    "BankCallback",
    "BankCallbackRejected",
    "HttpBank",
    "PaymentStart",
    "PaymentStatus",
    "Statement",
    "UnknownBank",
    "bank_codes",
    "bank_for",
    "callback_body",
    "callback_signature",
    "parse_payment",
    "parse_statement",
    "verify_signature",
]

logger = logging.getLogger(__name__)

TIMESTAMP_HEADER = "X-Bank-Timestamp"
SIGNATURE_HEADER = "X-Bank-Signature"
_SIGNATURE_PREFIX = "sha256="


class UnknownBank(RegistryError):
    """No bank has this code in settings.BANKS."""


class BankCallbackRejected(RegistryError):
    """A callback that is not the bank's, or not now: `reason` is "unsigned", "signature",
    "stale" or "malformed"."""

    def __init__(self, reason: str):
        super().__init__(f"bank callback rejected: {reason}")
        self.reason = reason


@dataclass(frozen=True)
class BankCallback:
    """One payment the bank took: what a callback and a statement line both say."""

    bank_code: str
    transaction_id: str
    ref1: str
    ref2: str
    amount_satang: int
    paid_at: dt.datetime

    def as_json(self) -> dict[str, Any]:
        return {
            "transaction_id": self.transaction_id,
            "ref1": self.ref1,
            "ref2": self.ref2,
            "amount_satang": self.amount_satang,
            "paid_at": self.paid_at.isoformat(),
        }


@dataclass(frozen=True)
class PaymentStart:
    """Where the payer goes to pay (the bank's page), and the bank's reference for it."""

    payment_url: str
    reference: str = ""


@dataclass(frozen=True)
class PaymentStatus:
    status: str  # "paid"
    payment: BankCallback


@dataclass(frozen=True)
class Statement:
    """The bank's account of one Bangkok day: every payment it took for the biller."""

    bank_code: str
    day: dt.date
    lines: tuple[BankCallback, ...]


class Bank(Protocol):
    code: str

    def start_payment(self, *, ref1: str, ref2: str, amount_satang: int) -> PaymentStart: ...

    def payment_status(self, transaction_id: str) -> PaymentStatus | None: ...

    def verify_callback(
        self, body: bytes, headers: Mapping[str, str], *, now: float | None = None
    ) -> BankCallback:
        """The payment a callback reports, once its signature and time are checked; raises
        BankCallbackRejected otherwise."""

    def statement(self, day: dt.date) -> Statement:
        """The day's statement; RegistryUnavailable when it cannot be read now."""


# --- signatures -------------------------------------------------------------------------------


def callback_signature(secret: str, timestamp: str, body: bytes) -> str:
    """The X-Bank-Signature value of a body signed at `timestamp`."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return _SIGNATURE_PREFIX + mac.hexdigest()


def callback_body(payment: BankCallback) -> bytes:
    return json.dumps(payment.as_json(), separators=(",", ":"), sort_keys=True).encode()


def _header(headers: Mapping[str, str], name: str) -> str:
    # Django's request.headers is case-insensitive; a plain dict from a test may not be.
    value = headers.get(name)
    if value is None:
        value = next((v for k, v in headers.items() if k.lower() == name.lower()), "")
    return str(value or "").strip()


def verify_signature(
    *, secret: str, body: bytes, headers: Mapping[str, str], now: float | None = None
) -> None:
    """Raises BankCallbackRejected unless the body carries the bank's signature, made within
    BANK_CALLBACK_WINDOW_SECONDS of now."""
    timestamp, signature = _header(headers, TIMESTAMP_HEADER), _header(headers, SIGNATURE_HEADER)
    if not timestamp or not signature:
        raise BankCallbackRejected("unsigned")
    if not secret:
        # A bank without a secret cannot be believed: refuse rather than accept unsigned money.
        logger.error("the bank's callback secret is not set: its callbacks are refused")
        raise BankCallbackRejected("signature")
    expected = callback_signature(secret, timestamp, body)
    if not hmac.compare_digest(expected.encode(), signature.encode()):
        raise BankCallbackRejected("signature")
    try:
        signed_at = int(timestamp)
    except ValueError:
        raise BankCallbackRejected("malformed") from None
    now = time.time() if now is None else now
    if abs(now - signed_at) > settings.BANK_CALLBACK_WINDOW_SECONDS:
        raise BankCallbackRejected("stale")


def parse_payment(bank_code: str, obj: Any) -> BankCallback:
    """A callback body or statement line as a BankCallback; ValueError when not in the format."""
    if not isinstance(obj, dict):
        raise ValueError("not a JSON object")
    txn, ref1, ref2 = obj.get("transaction_id"), obj.get("ref1"), obj.get("ref2", "")
    amount, paid_at = obj.get("amount_satang"), obj.get("paid_at")
    if not (isinstance(txn, str) and 0 < len(txn) <= 64):
        raise ValueError("transaction_id")
    if not (isinstance(ref1, str) and 0 < len(ref1) <= 20) or not (
        isinstance(ref2, str) and len(ref2) <= 20
    ):
        raise ValueError("ref1/ref2")
    # Integer satang only: a float or a string amount is not the format (BILL-10).
    if type(amount) is not int or amount <= 0:
        raise ValueError("amount_satang")
    when = parse_datetime(paid_at) if isinstance(paid_at, str) else None
    if when is None or when.tzinfo is None:
        raise ValueError("paid_at")
    return BankCallback(bank_code, txn, ref1, ref2, amount, when)


def parse_statement(bank_code: str, day: dt.date, obj: Any) -> Statement:
    if not isinstance(obj, dict) or not isinstance(obj.get("lines"), list):
        raise ValueError("not a statement")
    if obj.get("date") != day.isoformat():
        raise ValueError("a statement of another day")
    return Statement(bank_code, day, tuple(parse_payment(bank_code, line) for line in obj["lines"]))


class SignedCallbacks:
    """verify_callback for every adapter whose bank signs as this module says."""

    code = ""

    def _secret(self) -> str:
        return str(settings.BANKS.get(self.code, {}).get("secret", ""))

    def verify_callback(
        self, body: bytes, headers: Mapping[str, str], *, now: float | None = None
    ) -> BankCallback:
        verify_signature(secret=self._secret(), body=body, headers=headers, now=now)
        try:
            return parse_payment(self.code, json.loads(body))
        except ValueError as exc:
            # Signed by the bank but not in the format: the field name only, never values.
            logger.warning("bank %s signed a callback with a bad %s", self.code, exc)
            raise BankCallbackRejected("malformed") from None


# --- the HTTP adapter -------------------------------------------------------------------------


class HttpBank(SignedCallbacks):
    """A bank that speaks this module's HTTP API, through core.http_client."""

    def __init__(self, code: str, client: HttpClient | None = None):
        self.code = code
        self._given_client = client

    def _client(self) -> HttpClient:
        if self._given_client is not None:
            return self._given_client
        config = settings.BANKS.get(self.code, {})
        if not config.get("url"):
            logger.error("BANKS[%r] has no url: the bank cannot be called", self.code)
            raise RegistryUnavailable(f"bank_{self.code}", "down")
        headers = {"Accept": "application/json"}
        if config.get("token"):
            headers["Authorization"] = f"Bearer {config['token']}"
        return HttpClient(f"bank_{self.code}", base_url=config["url"], headers=headers)

    def _json(self, response, path: str) -> Any:
        if response.status_code != 200:
            logger.warning("bank %s %s answered HTTP %s", self.code, path, response.status_code)
            raise RegistryUnavailable(f"bank_{self.code}", "down")
        try:
            return json.loads(response.content)
        except ValueError:
            raise self._bad(path, "something that is not JSON") from None

    def _bad(self, path: str, what: str) -> RegistryUnavailable:
        logger.warning("bank %s %s answered %s", self.code, path, what)
        return RegistryUnavailable(f"bank_{self.code}", "bad_response")

    def start_payment(self, *, ref1: str, ref2: str, amount_satang: int) -> PaymentStart:
        path = "payments"
        response = self._client().post(
            path, json={"ref1": ref1, "ref2": ref2, "amount_satang": amount_satang}
        )
        answer = self._json(response, path)
        if not isinstance(answer, dict) or not isinstance(answer.get("payment_url"), str):
            raise self._bad(path, "no payment_url")
        return PaymentStart(answer["payment_url"], str(answer.get("reference", "")))

    def payment_status(self, transaction_id: str) -> PaymentStatus | None:
        path = "payments/status"
        response = self._client().post(
            path, json={"transaction_id": transaction_id}, idempotent=True
        )
        if response.status_code == 404:
            return None
        answer = self._json(response, path)
        try:
            payment = parse_payment(self.code, answer)
        except ValueError as exc:
            raise self._bad(path, f"a bad {exc}") from None
        if payment.transaction_id != transaction_id:
            raise self._bad(path, "another transaction than asked")
        return PaymentStatus(str(answer.get("status", "paid")), payment)

    def statement(self, day: dt.date) -> Statement:
        path = f"statements/{day.isoformat()}.json"
        answer = self._json(self._client().get(path), path)
        try:
            return parse_statement(self.code, day, answer)
        except ValueError as exc:
            raise self._bad(path, f"a statement with a bad {exc}") from None


# --- the registry of banks --------------------------------------------------------------------


def bank_codes() -> list[str]:
    return sorted(settings.BANKS)


def bank_for(code: str) -> Bank:
    """The adapter of the bank with this code; UnknownBank when settings name none."""
    config = settings.BANKS.get(code)
    if config is None:
        raise UnknownBank(f"no bank {code!r}")
    adapter = config.get("adapter", "http")
    if adapter == "http":
        return HttpBank(code)
    return import_string(adapter)(code)

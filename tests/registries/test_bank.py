"""The bank port (BILL-08): the registry of banks by code, the callback signature, and the HTTP
adapter against a bank speaking the documented API (pytest-httpserver)."""

import datetime as dt
import json
import time

import pytest

from portal.core.http_client import HttpClient
from portal.registries.bank import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    BankCallbackRejected,
    HttpBank,
    UnknownBank,
    bank_codes,
    bank_for,
    callback_signature,
    verify_signature,
)
from portal.registries.base import RegistryUnavailable

LINE = {
    "transaction_id": "K1",
    "ref1": "10000000000018",
    "ref2": "20200000000001",
    "amount_satang": 4_350_000,
    "paid_at": "2026-12-02T10:15:00+07:00",
}


def headers(body: bytes, *, secret="s3cret", at=None) -> dict:
    timestamp = str(int(time.time() if at is None else at))
    return {
        TIMESTAMP_HEADER: timestamp,
        SIGNATURE_HEADER: callback_signature(secret, timestamp, body),
    }


def test_bill_08_a_signature_holds_only_for_its_body_its_time_and_the_secret():
    """BILL-08: A signature holds only for its body its time and the secret."""
    body = json.dumps(LINE).encode()
    verify_signature(secret="s3cret", body=body, headers=headers(body))
    refusals = {
        "other secret": ("signature", body, headers(body, secret="other")),
        "other body": ("signature", body + b" ", headers(body)),
        "unsigned": ("unsigned", body, {}),
        "old": ("stale", body, headers(body, at=time.time() - 3600)),
        "future": ("stale", body, headers(body, at=time.time() + 3600)),
    }
    for name, (reason, sent, sent_headers) in refusals.items():
        with pytest.raises(BankCallbackRejected) as refused:
            verify_signature(secret="s3cret", body=sent, headers=sent_headers)
        assert refused.value.reason == reason, name
    # The timestamp is inside the signature: a replay with a fresh timestamp does not verify.
    replay = headers(body, at=time.time() - 3600)
    replay[TIMESTAMP_HEADER] = str(int(time.time()))
    with pytest.raises(BankCallbackRejected):
        verify_signature(secret="s3cret", body=body, headers=replay)
    # A bank configured without a secret is never believed.
    with pytest.raises(BankCallbackRejected):
        verify_signature(secret="", body=body, headers=headers(body, secret=""))


def test_banks_are_found_by_their_code(settings):
    ktb = {"adapter": "http", "url": "http://x/", "secret": "k"}
    settings.BANKS = {**settings.BANKS, "ktb": ktb}
    assert bank_codes() == ["ktb", "sandbox"]
    assert isinstance(bank_for("ktb"), HttpBank)
    assert type(bank_for("sandbox")).__name__ == "SandboxBank"
    with pytest.raises(UnknownBank):
        bank_for("nobody")


def http_bank(httpserver, settings) -> HttpBank:
    settings.BANKS = {"ktb": {"adapter": "http", "secret": "k"}}
    return HttpBank("ktb", client=HttpClient("bank_ktb", base_url=httpserver.url_for("/api/")))


def test_the_http_adapter_downloads_and_reads_a_statement(httpserver, settings):
    httpserver.expect_request("/api/statements/2026-12-02.json", method="GET").respond_with_json(
        {"bank": "ktb", "date": "2026-12-02", "lines": [LINE]}
    )
    statement = http_bank(httpserver, settings).statement(dt.date(2026, 12, 2))
    (line,) = statement.lines
    assert (line.bank_code, line.transaction_id, line.amount_satang) == ("ktb", "K1", 4_350_000)
    assert line.paid_at == dt.datetime.fromisoformat(LINE["paid_at"])


@pytest.mark.parametrize(
    "answer",
    [
        {"date": "2026-12-01", "lines": []},  # another day
        {"date": "2026-12-02", "lines": [{**LINE, "amount_satang": 43500.0}]},  # a float
        {"date": "2026-12-02", "lines": [{**LINE, "paid_at": "2026-12-02T10:15:00"}]},  # naive
        {"date": "2026-12-02"},
    ],
)
def test_a_statement_not_in_the_format_is_a_bad_response(httpserver, settings, answer):
    httpserver.expect_request("/api/statements/2026-12-02.json").respond_with_json(answer)
    with pytest.raises(RegistryUnavailable) as failed:
        http_bank(httpserver, settings).statement(dt.date(2026, 12, 2))
    assert failed.value.reason == "bad_response"


def test_the_http_adapter_starts_a_payment_and_reads_its_status(httpserver, settings):
    httpserver.expect_request(
        "/api/payments", method="POST", json={"ref1": "1", "ref2": "2", "amount_satang": 5}
    ).respond_with_json({"payment_url": "https://bank.example/pay/abc", "reference": "abc"})
    httpserver.expect_request(
        "/api/payments/status", method="POST", json={"transaction_id": "K1"}
    ).respond_with_json({**LINE, "status": "paid"})
    httpserver.expect_request(
        "/api/payments/status", method="POST", json={"transaction_id": "K2"}
    ).respond_with_data("", status=404)
    bank = http_bank(httpserver, settings)
    start = bank.start_payment(ref1="1", ref2="2", amount_satang=5)
    assert (start.payment_url, start.reference) == ("https://bank.example/pay/abc", "abc")
    status = bank.payment_status("K1")
    assert status.status == "paid" and status.payment.ref1 == LINE["ref1"]
    assert bank.payment_status("K2") is None


def test_the_http_adapter_verifies_callbacks_with_its_banks_secret(settings, httpserver):
    bank = http_bank(httpserver, settings)
    body = json.dumps(LINE).encode()
    assert bank.verify_callback(body, headers(body, secret="k")).transaction_id == "K1"
    bad = json.dumps({**LINE, "amount_satang": "43500"}).encode()
    with pytest.raises(BankCallbackRejected) as refused:
        bank.verify_callback(bad, headers(bad, secret="k"))
    assert refused.value.reason == "malformed"


def test_a_bank_without_a_url_is_unavailable(settings):
    settings.BANKS = {"ktb": {"adapter": "http"}}
    with pytest.raises(RegistryUnavailable):
        HttpBank("ktb").statement(dt.date(2026, 12, 2))

"""Payments (BILL-06, BILL-08): the banks' signed callbacks, idempotent and checked against the
bill; late, wrong and extra payments recorded and flagged, never lost; the officers' queue."""

import datetime as dt
import hashlib
import json
import threading
import time
import zoneinfo
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from portal.billing.models import (
    BankCallbackLog,
    Bill,
    Payment,
    ReconciliationIssue,
)
from portal.billing.selectors import reconciliation_issues
from portal.billing.services import (
    BillingError,
    bill_run_execute,
    bill_run_start,
    reconciliation_issue_resolve,
)
from portal.core.models import AuditEntry
from portal.registries.bank import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    BankCallback,
    callback_body,
    callback_signature,
)

BANGKOK = zoneinfo.ZoneInfo("Asia/Bangkok")


def open_bill(mirror_factory, *, days_ahead: int = 10, province: str = "ชลบุรี") -> Bill:
    """An annual bill awaiting payment, due in `days_ahead` days (the daily run of today)."""
    today = timezone.localdate()
    due = today + dt.timedelta(days=days_ahead)
    started = due.replace(year=2005) if (due.month, due.day) != (2, 29) else dt.date(2005, 3, 1)
    factory = mirror_factory(
        horsepower=Decimal(45_000), operation_started_on=started, province=province
    )
    bill_run_execute(bill_run_start(run_on=today).pk)
    return Bill.objects.get(factory=factory)


@pytest.fixture
def bill(mirror_factory):
    return open_bill(mirror_factory)


def paid(bill: Bill, *, txn: str = "T1", amount: int | None = None, at=None) -> BankCallback:
    return BankCallback(
        bank_code="sandbox",
        transaction_id=txn,
        ref1=bill.ref1,
        ref2=bill.ref2,
        amount_satang=bill.amount_satang if amount is None else amount,
        paid_at=at or timezone.now().astimezone(BANGKOK),
    )


def signed(payment: BankCallback, *, secret: str | None = None, at: float | None = None):
    body = callback_body(payment)
    timestamp = str(int(time.time() if at is None else at))
    secret = settings.BANKS["sandbox"]["secret"] if secret is None else secret
    headers = {
        f"HTTP_{TIMESTAMP_HEADER.upper().replace('-', '_')}": timestamp,
        f"HTTP_{SIGNATURE_HEADER.upper().replace('-', '_')}": callback_signature(
            secret, timestamp, body
        ),
    }
    return body, headers


def post(body: bytes, headers: dict, bank: str = "sandbox"):
    # enforce_csrf_checks: the endpoint is CSRF-exempt by design, and must stay so.
    client = Client(enforce_csrf_checks=True)
    return client.post(
        reverse("payments:bank_callback", args=[bank]),
        data=body,
        content_type="application/json",
        **headers,
    )


@pytest.mark.django_db
def test_bill_08_a_signed_callback_records_the_payment_and_the_bill_is_paid(bill):
    """BILL-08, BILL-06: verified, amount matched: one payment, the bill paid with paid_at,
    a 200 JSON ack for the bank, the callback logged by its body's hash, the payment audited."""
    payment = paid(bill)
    body, headers = signed(payment)
    response = post(body, headers)
    assert response.status_code == 200
    assert response.json() == {"ok": True, "transaction_id": "T1", "outcome": "recorded"}
    recorded = Payment.objects.get()
    assert (recorded.bill, recorded.amount_satang, recorded.source, recorded.status) == (
        bill,
        bill.amount_satang,
        "callback",
        "settled",
    )
    assert not recorded.late and recorded.review_state == "none"
    bill.refresh_from_db()
    assert bill.state == Bill.State.PAID and bill.paid_at == payment.paid_at
    log = BankCallbackLog.objects.get()
    assert log.signature_valid and log.outcome == "recorded" and log.payment == recorded
    assert log.body_sha256 == hashlib.sha256(body).hexdigest()
    assert AuditEntry.objects.filter(action="payment.callback").count() == 1
    assert not ReconciliationIssue.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("how", "reason"),
    [("tampered", "signature"), ("wrong_secret", "signature"), ("unsigned", "unsigned")],
)
def test_bill_08_a_tampered_or_unsigned_callback_is_refused_and_logged(bill, how, reason):
    """BILL-08: a body changed after signing, one signed with another key, or one without a
    signature: 401, logged with the outcome, no payment, the bill still open; the log keeps
    no secret and no signature."""
    body, headers = signed(paid(bill), secret="not the bank's" if how == "wrong_secret" else None)
    if how == "tampered":
        body = body.replace(str(bill.amount_satang).encode(), b"1")
    if how == "unsigned":
        headers = {}
    response = post(body, headers)
    assert response.status_code == 401
    assert response.json() == {"ok": False, "error": reason}
    assert not Payment.objects.exists()
    log = BankCallbackLog.objects.get()
    assert (log.signature_valid, log.outcome, log.payment) == (False, reason, None)
    kept = json.dumps([getattr(log, f.attname) for f in log._meta.fields], default=str)
    assert settings.BANKS["sandbox"]["secret"] not in kept
    bill.refresh_from_db()
    assert bill.state == Bill.State.AWAITING_PAYMENT


@pytest.mark.django_db
def test_bill_08_a_replay_outside_the_time_window_is_refused(bill):
    """BILL-08: the timestamp is signed with the body; one older than the window is stale."""
    body, headers = signed(paid(bill), at=time.time() - settings.BANK_CALLBACK_WINDOW_SECONDS - 5)
    response = post(body, headers)
    assert response.status_code == 401 and response.json()["error"] == "stale"
    assert not Payment.objects.exists()


@pytest.mark.django_db
def test_bill_08_a_repeated_callback_changes_nothing(bill):
    """BILL-08: the bank retries: the same answer, still one payment, logged as a repeat."""
    body, headers = signed(paid(bill))
    first, second = post(body, headers), post(body, headers)
    assert first.status_code == second.status_code == 200
    assert second.json()["outcome"] == "duplicate"
    assert Payment.objects.count() == 1
    assert list(BankCallbackLog.objects.order_by("pk").values_list("outcome", flat=True)) == [
        "recorded",
        "duplicate",
    ]
    assert AuditEntry.objects.filter(action="payment.callback").count() == 1


@pytest.mark.django_db
def test_bill_08_a_wrong_amount_is_recorded_and_queued_but_does_not_pay_the_bill(bill):
    """BILL-08: A wrong amount is recorded and queued but does not pay the bill."""
    response = post(*signed(paid(bill, amount=bill.amount_satang - 100)))
    assert response.status_code == 200
    payment = Payment.objects.get()
    assert payment.status == "amount_mismatch" and payment.review_state == "pending"
    bill.refresh_from_db()
    assert bill.state == Bill.State.AWAITING_PAYMENT and bill.paid_at is None
    issue = ReconciliationIssue.objects.get()
    assert (issue.kind, issue.payment, issue.bill, issue.province) == (
        "amount_mismatch",
        payment,
        bill,
        bill.province,
    )


@pytest.mark.django_db
def test_bill_08_a_late_payment_of_an_expired_bill_is_recorded_and_flagged(bill):
    """BILL-08: never lost: recorded as late, the bill stays expired, an officer is asked."""
    Bill.objects.filter(pk=bill.pk).update(
        state=Bill.State.EXPIRED, expires_at=timezone.now() - dt.timedelta(days=1)
    )
    assert post(*signed(paid(bill))).status_code == 200
    payment = Payment.objects.get()
    assert payment.late and payment.status == "late" and payment.review_state == "pending"
    bill.refresh_from_db()
    assert bill.state == Bill.State.EXPIRED
    assert ReconciliationIssue.objects.get().kind == "late_payment"


@pytest.mark.django_db
def test_bill_08_a_second_payment_of_a_paid_bill_is_kept_and_flagged(bill):
    """BILL-08: A second payment of a paid bill is kept and flagged."""
    post(*signed(paid(bill, txn="T1")))
    post(*signed(paid(bill, txn="T2")))
    statuses = dict(Payment.objects.values_list("bank_transaction_id", "status"))
    assert statuses == {"T1": "settled", "T2": "extra"}
    assert ReconciliationIssue.objects.get().kind == "extra_payment"


@pytest.mark.django_db
def test_bill_08_a_payment_naming_no_bill_is_acknowledged_and_queued(bill):
    """BILL-08: the bank is told it was received (so it stops retrying); OPS sees the
    references."""
    unknown = BankCallback("sandbox", "T9", "10999999999999", "", 10_000, timezone.now())
    response = post(*signed(unknown))
    assert response.status_code == 200 and response.json()["outcome"] == "unknown_bill"
    assert not Payment.objects.exists()
    issue = ReconciliationIssue.objects.get()
    assert (issue.kind, issue.ref1, issue.province) == ("unknown_reference", "10999999999999", "")


@pytest.mark.django_db
def test_a_callback_for_a_bank_nobody_configured_is_not_found(bill):
    assert post(*signed(paid(bill)), bank="nobank").status_code == 404


def post_at_once(body, headers, times: int = 10) -> list[int]:
    """The same signed callback posted by `times` threads at once (each its own connection):
    their answers' status codes."""
    barrier = threading.Barrier(times)
    answers = []

    def replay():
        try:
            barrier.wait()
            answers.append(post(body, headers).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=replay) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


@pytest.mark.django_db(transaction=True)
def test_bill_08_ten_simultaneous_replays_of_one_callback_record_one_payment(mirror_factory):
    """BILL-08 on PostgreSQL: 10 threads post the same signed callback at once."""
    bill = open_bill(mirror_factory)
    body, headers = signed(paid(bill))
    answers = post_at_once(body, headers)
    assert answers == [200] * 10
    assert Payment.objects.count() == 1
    outcomes = sorted(BankCallbackLog.objects.values_list("outcome", flat=True))
    assert outcomes == ["duplicate"] * 9 + ["recorded"]
    assert Bill.objects.get(pk=bill.pk).state == Bill.State.PAID


# --- the officers' queue ----------------------------------------------------------------------


@pytest.mark.django_db
def test_bill_08_an_officer_of_the_province_accepts_a_late_payment(bill, billing_officer):
    """BILL-08: The PIO of the bill's province counts the late payment as settling it: the
    bill is paid, the issue resolved, audited; another province's PIO neither sees nor
    decides it."""
    Bill.objects.filter(pk=bill.pk).update(
        state=Bill.State.EXPIRED, expires_at=timezone.now() - dt.timedelta(days=1)
    )
    post(*signed(paid(bill)))
    issue = ReconciliationIssue.objects.get()
    _, elsewhere = billing_officer(province="ลำปาง")
    assert not reconciliation_issues(acting=elsewhere).exists()
    with pytest.raises(BillingError) as refused:
        reconciliation_issue_resolve(acting=elsewhere, issue_id=issue.pk, resolution="settle")
    assert refused.value.code == "area"
    member, here = billing_officer()
    assert list(reconciliation_issues(acting=here)) == [issue]
    with pytest.raises(BillingError) as own:
        reconciliation_issue_resolve(
            acting=here, issue_id=issue.pk, resolution="settle", concerned_member_ids=[member.pk]
        )
    assert own.value.code == "own_case"
    reconciliation_issue_resolve(
        acting=here, issue_id=issue.pk, resolution="settle", note="paid at the counter late"
    )
    issue.refresh_from_db()
    bill.refresh_from_db()
    assert (issue.state, issue.resolution, issue.resolved_by) == ("resolved", "settle", member)
    assert bill.state == Bill.State.PAID and bill.paid_at is not None
    payment = Payment.objects.get()
    assert payment.status == "settled" and payment.review_state == "resolved"
    entry = AuditEntry.objects.get(action="reconciliation_issue.resolve")
    assert entry.after["resolution"] == "settle" and entry.after["bill_state"] == "paid"
    with pytest.raises(BillingError) as again:
        reconciliation_issue_resolve(acting=here, issue_id=issue.pk, resolution="noted")
    assert again.value.code == "resolved"


@pytest.mark.django_db
def test_bill_08_only_ops_sees_a_payment_that_names_no_bill(bill, billing_officer):
    """BILL-08: Only OPS sees a payment that names no bill."""
    post(*signed(BankCallback("sandbox", "T9", "10999999999999", "", 100, timezone.now())))
    _, pio = billing_officer()
    _, ops = billing_officer(agency="OPS", province="")
    assert not reconciliation_issues(acting=pio).exists()
    issue = reconciliation_issues(acting=ops).get()
    with pytest.raises(BillingError) as refused:
        reconciliation_issue_resolve(acting=ops, issue_id=issue.pk, resolution="settle")
    assert refused.value.code == "settle"
    reconciliation_issue_resolve(acting=ops, issue_id=issue.pk, resolution="refund")
    assert ReconciliationIssue.objects.get().state == "resolved"

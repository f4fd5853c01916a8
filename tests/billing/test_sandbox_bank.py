"""The sandbox bank and reconciliation (BILL-07, BILL-08): pay a bill by its references or its
QR image; the callback's switches (drop, delay, duplicate, tamper); the daily statement, and a
dropped callback recovered by reconciliation."""

import datetime as dt
import zoneinfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from portal.billing.models import BankCallbackLog, Bill, Payment, ReconciliationIssue
from portal.billing.payment_codes import (
    barcode_png,
    cross_bank_barcode_data,
    make_biller_id,
    qr_png,
    thai_qr_payload,
)
from portal.billing.services import payment_record, statement_reconcile
from portal.registries.bank import BankCallback
from portal.registries.failures import failure_set
from portal.sandbox.bank import callback_mode_set, held_callbacks_send
from portal.sandbox.models import SandboxBankPayment
from tests.billing.test_payments import open_bill

BANGKOK = zoneinfo.ZoneInfo("Asia/Bangkok")
BILLER_ID = make_biller_id("0994000158378")


@pytest.fixture
def bill(mirror_factory):
    return open_bill(mirror_factory)


@pytest.fixture(autouse=True)
def _normal_callbacks(db):
    callback_mode_set("normal")
    yield
    callback_mode_set("normal")
    failure_set("bank", None)


def pay(client: Client, bill: Bill, amount: str | None = None):
    amount = amount or f"{bill.amount_satang // 100}.{bill.amount_satang % 100:02d}"
    return client.post(
        reverse("sandbox:bank"),
        {"action": "pay", "pay-ref1": bill.ref1, "pay-ref2": bill.ref2, "pay-amount": amount},
    )


def today() -> dt.date:
    return timezone.now().astimezone(BANGKOK).date()


@pytest.mark.django_db
def test_bill_08_the_sandbox_bank_pays_a_bill_by_its_references_and_the_bill_is_paid(client, bill):
    """BILL-08: The payer types Ref1/Ref2, sees the bill's amount, pays; the signed callback
    reaches the portal and the bill is paid."""
    found = client.post(
        reverse("sandbox:bank"), {"action": "find", "ref1": bill.ref1, "ref2": bill.ref2}
    )
    assert found.status_code == 200
    assert f"{bill.amount_satang // 100:,}.{bill.amount_satang % 100:02d}" in found.text
    assert pay(client, bill).status_code == 302
    bill.refresh_from_db()
    assert bill.state == Bill.State.PAID
    taken = SandboxBankPayment.objects.get()
    payment = Payment.objects.get()
    assert payment.bank_transaction_id == taken.transaction_id and payment.source == "callback"
    assert taken.callback_answer == "200 recorded"
    assert taken.transaction_id in client.get(reverse("sandbox:bank")).text


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["qr", "barcode"])
def test_bill_07_the_sandbox_bank_reads_the_bill_from_its_qr_or_barcode_image(client, bill, kind):
    """BILL-07: The uploaded image is decoded (zxing-cpp) and parsed (billing.payment_codes)."""
    refs = {"biller_id": BILLER_ID, "ref1": bill.ref1, "ref2": bill.ref2}
    if kind == "qr":
        image = qr_png(thai_qr_payload(**refs, amount_satang=bill.amount_satang))
    else:
        image = barcode_png(cross_bank_barcode_data(**refs, amount_satang=bill.amount_satang))
    response = client.post(
        reverse("sandbox:bank"),
        {"action": "scan", "image": SimpleUploadedFile("code.png", image, "image/png")},
    )
    assert response.status_code == 200
    assert f'data-bill="{bill.ref1}"' in response.text


@pytest.mark.django_db
def test_an_image_without_a_bill_payment_code_is_refused(client, bill):
    response = client.post(
        reverse("sandbox:bank"),
        {"action": "scan", "image": SimpleUploadedFile("x.png", qr_png("hello"), "image/png")},
    )
    assert response.status_code == 400
    assert not SandboxBankPayment.objects.exists()


@pytest.mark.django_db
def test_bill_08_a_tampered_callback_from_the_sandbox_bank_is_refused_and_logged(client, bill):
    """BILL-08: A tampered callback from the sandbox bank is refused and logged."""
    callback_mode_set("tamper")
    pay(client, bill)
    assert not Payment.objects.exists()
    log = BankCallbackLog.objects.get()
    assert (log.signature_valid, log.outcome) == (False, "signature")
    assert SandboxBankPayment.objects.get().callback_answer == "401 signature"
    bill.refresh_from_db()
    assert bill.state == Bill.State.AWAITING_PAYMENT


@pytest.mark.django_db
def test_bill_08_a_duplicated_callback_records_one_payment(client, bill):
    """BILL-08: A duplicated callback records one payment."""
    callback_mode_set("duplicate")
    pay(client, bill)
    assert Payment.objects.count() == 1
    assert SandboxBankPayment.objects.get().callback_answer == "200 recorded; 200 duplicate"


@pytest.mark.django_db
def test_bill_08_a_delayed_callback_arrives_when_its_time_comes(client, bill, settings):
    """BILL-08: A delayed callback arrives when its time comes."""
    callback_mode_set("delay")
    pay(client, bill)
    assert not Payment.objects.exists()
    assert held_callbacks_send() == 0  # not yet due
    settings.SANDBOX_BANK_DELAY_SECONDS = 0
    SandboxBankPayment.objects.update(send_after=timezone.now())
    assert held_callbacks_send() == 1
    assert Payment.objects.get().source == "callback"


@pytest.mark.django_db
def test_the_bank_page_sends_every_held_callback_on_request(client, bill):
    callback_mode_set("delay")
    pay(client, bill)
    client.post(reverse("sandbox:bank"), {"action": "send_held"})
    assert Payment.objects.count() == 1


@pytest.mark.django_db
def test_the_bank_page_switches_the_callbacks(client):
    url = reverse("sandbox:bank")
    assert client.post(url, {"action": "mode", "mode": "drop"}).status_code == 302
    assert 'value="drop" selected' in client.get(url).text
    assert client.post(url, {"action": "mode", "mode": "x"}).status_code == 400


@pytest.mark.django_db
def test_bill_08_a_dropped_callback_is_recovered_by_reconciliation(client, bill):
    """BILL-08: The bank took the money but its callback never came: the daily statement
    lists it, the reconciliation records it (source statement, said so in the queue) and the
    bill is paid."""
    callback_mode_set("drop")
    pay(client, bill)
    assert not Payment.objects.exists()
    statement = client.get(
        reverse("sandbox:bank_statement", kwargs={"day": today().isoformat()})
    ).json()
    assert [line["ref1"] for line in statement["lines"]] == [bill.ref1]
    call_command("payments_reconcile", "--date", today().isoformat(), "--bank", "sandbox")
    payment = Payment.objects.get()
    assert payment.source == "statement" and payment.status == "settled"
    bill.refresh_from_db()
    assert bill.state == Bill.State.PAID
    issue = ReconciliationIssue.objects.get()
    assert (issue.kind, issue.payment) == ("from_statement", payment)
    # A second run finds everything matched and adds nothing.
    run = statement_reconcile("sandbox", today())
    assert (run.lines, run.matched, run.recorded, run.issues) == (1, 1, 0, 0)
    assert Payment.objects.count() == 1


@pytest.mark.django_db
def test_bill_08_reconciliation_queues_a_callback_without_a_statement_line_and_a_wrong_amount(
    client, bill, mirror_factory
):
    """BILL-08: Reconciliation queues a callback without a statement line and a wrong amount."""
    other = open_bill(mirror_factory, days_ahead=12)
    pay(client, bill)
    # The statement says another amount than the callback did.
    SandboxBankPayment.objects.filter(ref1=bill.ref1).update(amount_satang=bill.amount_satang + 1)
    # A payment the portal heard of that the bank does not list.
    payment_record(
        BankCallback(
            "sandbox", "GHOST1", other.ref1, other.ref2, other.amount_satang, timezone.now()
        ),
        source="callback",
    )
    run = statement_reconcile("sandbox", today())
    assert (run.state, run.lines, run.matched, run.issues) == ("finished", 1, 0, 2)
    kinds = dict(ReconciliationIssue.objects.values_list("kind", "bank_transaction_id"))
    assert kinds["not_in_statement"] == "GHOST1"
    assert kinds["statement_amount"] == SandboxBankPayment.objects.get().transaction_id


@pytest.mark.django_db
def test_a_statement_that_cannot_be_read_fails_the_run_and_the_command(bill):
    failure_set("bank", "down")
    run = statement_reconcile("sandbox", today())
    assert run.state == "failed" and "bank" in run.error
    with pytest.raises(Exception, match="could not be read"):
        call_command("payments_reconcile", "--date", today().isoformat())


@pytest.mark.django_db
def test_the_statement_url_refuses_a_day_that_is_not_one(client):
    url = reverse("sandbox:bank_statement", kwargs={"day": "yesterday"})
    assert client.get(url).status_code == 400


def test_the_daily_reconciliation_is_a_scheduled_job(settings):
    assert settings.PERIODIC_JOBS["bank-reconciliation"] == ("manage:payments_reconcile", 86400)

"""The sandbox bank (issue 10, BILL-08): takes a bill's payment by its Ref1/Ref2 or its QR
image, sends the portal its signed callback, and publishes a statement of each day.

Callbacks are sent by a task (sandbox_bank_callback_task), queued when the payment commits,
and delivered in-process to the same service the callback endpoint runs
(billing.services.bank_callback_receive) with the raw signed body and headers: a sandbox,
its task worker and the tests cannot count on reaching the portal's own address over HTTP
(docs/decisions.md "Bank callbacks"). Switches (like the registries' failure switches, in the
shared cache) make the bank drop, delay, duplicate or tamper with the next callbacks.
"""

import datetime as dt
import io
import logging
import secrets
import time
import zoneinfo

import zxingcpp
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.tasks import task
from django.urls import reverse
from django.utils import timezone
from PIL import Image, UnidentifiedImageError

from portal.billing.payment_codes import (
    BillPayment,
    PaymentCodeError,
    parse_cross_bank_barcode,
    parse_thai_qr_payload,
)
from portal.billing.services import bank_callback_receive
from portal.registries.bank import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    BankCallback,
    PaymentStart,
    PaymentStatus,
    SignedCallbacks,
    Statement,
    callback_body,
    callback_signature,
)
from portal.registries.failures import failure_apply
from portal.sandbox.models import SandboxBankPayment

__all__ = [
    "CALLBACK_MODES",
    "SandboxBank",
    "callback_mode",
    "callback_mode_set",
    "decode_payment_image",
    "held_callbacks_send",
    "sandbox_bank_pay",
    "statement_json",
]

logger = logging.getLogger(__name__)
BANGKOK = zoneinfo.ZoneInfo("Asia/Bangkok")
CODE = "sandbox"
CALLBACK_MODES = ("normal", "drop", "delay", "duplicate", "tamper")
_MODE_KEY = "sandbox:bank-callback-mode"
_MODE_TO_STATE = {
    "normal": SandboxBankPayment.Callback.SENT,
    "drop": SandboxBankPayment.Callback.DROPPED,
    "delay": SandboxBankPayment.Callback.HELD,
    "duplicate": SandboxBankPayment.Callback.DUPLICATED,
    "tamper": SandboxBankPayment.Callback.TAMPERED,
}


def callback_mode() -> str:
    return cache.get(_MODE_KEY) or "normal"


def callback_mode_set(mode: str) -> None:
    if mode not in CALLBACK_MODES:
        raise ValueError(f"unknown callback mode {mode!r}; use one of {CALLBACK_MODES}")
    cache.set(_MODE_KEY, mode, timeout=None)


def _as_callback(payment: SandboxBankPayment) -> BankCallback:
    return BankCallback(
        bank_code=CODE,
        transaction_id=payment.transaction_id,
        ref1=payment.ref1,
        ref2=payment.ref2,
        amount_satang=payment.amount_satang,
        paid_at=timezone.localtime(payment.paid_at, BANGKOK),
    )


class SandboxBank(SignedCallbacks):
    """The bank port's sandbox adapter (settings.BANKS["sandbox"])."""

    def __init__(self, code: str = CODE):
        self.code = code

    def start_payment(self, *, ref1: str, ref2: str, amount_satang: int) -> PaymentStart:
        # The payer keys or scans the references on the bank's page, as at a real bank's app.
        return PaymentStart(reverse("sandbox:bank"), reference="")

    def payment_status(self, transaction_id: str) -> PaymentStatus | None:
        payment = SandboxBankPayment.objects.filter(transaction_id=transaction_id).first()
        return PaymentStatus("paid", _as_callback(payment)) if payment else None

    def statement(self, day: dt.date) -> Statement:
        failure_apply("bank")
        start = dt.datetime.combine(day, dt.time(), tzinfo=BANGKOK)
        rows = SandboxBankPayment.objects.filter(
            paid_at__gte=start, paid_at__lt=start + dt.timedelta(days=1)
        ).order_by("paid_at", "id")
        return Statement(CODE, day, tuple(_as_callback(row) for row in rows))


def statement_json(day: dt.date) -> dict:
    """The statement file of a day, in the format of registries/bank.py."""
    statement = SandboxBank().statement(day)
    return {
        "bank": CODE,
        "date": day.isoformat(),
        "lines": [line.as_json() for line in statement.lines],
    }


def decode_payment_image(data: bytes) -> BillPayment:
    """The bill payment a QR code or cross-bank barcode image carries (zxing-cpp reads it,
    billing.payment_codes parses it); PaymentCodeError when there is none."""
    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError, ValueError):
        raise PaymentCodeError("not an image", code="image") from None
    for result in zxingcpp.read_barcodes(image.convert("L")):
        text = result.text
        try:
            if text.startswith("|"):
                return parse_cross_bank_barcode(text)
            return parse_thai_qr_payload(text)
        except PaymentCodeError:
            continue
    raise PaymentCodeError("no bill payment code in the image", code="no_code")


def sandbox_bank_pay(*, ref1: str, ref2: str, amount_satang: int) -> SandboxBankPayment:
    """Take a payment and queue its callback as the switch says."""
    mode = callback_mode()
    now = timezone.now()
    with transaction.atomic():
        payment = SandboxBankPayment.objects.create(
            transaction_id="SBX" + secrets.token_hex(8).upper(),
            ref1=ref1,
            ref2=ref2,
            amount_satang=amount_satang,
            paid_at=now,
            callback=_MODE_TO_STATE[mode],
            send_after=(
                now + dt.timedelta(seconds=settings.SANDBOX_BANK_DELAY_SECONDS)
                if mode == "delay"
                else None
            ),
        )
        if mode not in ("drop", "delay"):
            payment_id = payment.pk
            transaction.on_commit(lambda: sandbox_bank_callback_task.enqueue(payment_id))
    return payment


def _deliver(body: bytes, headers: dict[str, str]) -> str:
    answer = bank_callback_receive(CODE, body, headers)
    return f"{answer.status_code} {answer.body.get('outcome') or answer.body.get('error', '')}"


def _send(payment: SandboxBankPayment) -> None:
    body = callback_body(_as_callback(payment))
    timestamp = str(int(time.time()))
    secret = str(settings.BANKS[CODE]["secret"])
    headers = {
        TIMESTAMP_HEADER: timestamp,
        SIGNATURE_HEADER: callback_signature(secret, timestamp, body),
        "Content-Type": "application/json",
    }
    if payment.callback == SandboxBankPayment.Callback.TAMPERED:
        # Someone on the way raises the amount by one baht after the bank signed the body.
        tampered = _as_callback(payment)
        body = callback_body(
            BankCallback(**{**tampered.__dict__, "amount_satang": tampered.amount_satang + 100})
        )
    answers = [_deliver(body, headers)]
    if payment.callback == SandboxBankPayment.Callback.DUPLICATED:
        answers.append(_deliver(body, headers))  # the very same signed callback, replayed
    payment.callback_answer = "; ".join(answers)[:100]
    payment.save(update_fields=["callback_answer"])


@task
def sandbox_bank_callback_task(payment_id: int) -> str:
    payment = SandboxBankPayment.objects.get(pk=payment_id)
    _send(payment)
    return payment.callback_answer


def held_callbacks_send(*, all_held: bool = False) -> int:
    """Send the delayed callbacks whose time has come (PERIODIC_JOBS), or every held one
    (all_held: the bank page's button); returns how many."""
    due = SandboxBankPayment.objects.filter(callback=SandboxBankPayment.Callback.HELD)
    if not all_held:
        due = due.filter(send_after__lte=timezone.now())
    sent = 0
    for payment in due:
        payment.callback = SandboxBankPayment.Callback.SENT
        payment.save(update_fields=["callback"])
        _send(payment)
        sent += 1
    return sent

"""Receipts of paid bills (issue 10, Receipts): signed PDFs in Thai with the amount in words,
the original once and two copies, each marked, for the members who hold the factory only."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from portal.billing.models import Bill
from portal.billing.services import BillingError, payment_record, receipt_issue
from portal.core.acting import system_acting
from portal.documents.services import DocumentError
from portal.documents.signing import check_signed_pdf
from portal.registries.bank import BankCallback
from tests.billing.helpers import hold_factory
from tests.documents.helpers import pdf_text, thai_as_extracted
from tests.factories import BillFactory, DiwFactoryFactory, MemberFactory

pytestmark = pytest.mark.django_db


def paid_bill_of(member, *, pay=True) -> Bill:
    held = hold_factory(member)
    bill = BillFactory(
        factory=DiwFactoryFactory(factory_no=held.factory.factory_no),
        fee_satang=123_450,
        amount_satang=123_450,
    )
    if pay:
        payment_record(
            BankCallback(
                bank_code="sandbox",
                transaction_id=f"T{bill.pk}",
                ref1=bill.ref1,
                ref2=bill.ref2,
                amount_satang=bill.amount_satang,
                paid_at=timezone.now(),
            ),
            source="callback",
        )
        bill.refresh_from_db()
    return bill


def client_of(member) -> Client:
    client = Client()
    client.force_login(member)
    return client


def receipt_url(bill) -> str:
    return reverse("billing:bill_receipt", args=[bill.pk])


def test_bill_09_original_once_then_two_copies_each_marked_and_signed():
    """BILL-09, BILL-10: the original downloads once, then two copies, each marked; a fourth
    is refused; every file is a signed PDF that validates, with the amount in Thai words."""
    member = MemberFactory(verified=True)
    bill = paid_bill_of(member)
    assert bill.state == Bill.State.PAID
    client = client_of(member)

    page = client.get(reverse("billing:bill_detail", args=[bill.pk])).content.decode()
    assert 'data-testid="receipt-original"' in page

    original = client.post(receipt_url(bill), {"which": "original"})
    assert original.status_code == 200 and original["Content-Type"] == "application/pdf"
    data = b"".join(original.streaming_content)
    assert check_signed_pdf(data).valid
    text = pdf_text(data)
    assert "ต้นฉบับ" in text and f"R{bill.ref1}" in text
    # One thousand two hundred thirty-four baht fifty satang, spelled from integer satang.
    assert thai_as_extracted("หนึ่งพันสองร้อยสามสิบสี่บาทห้าสิบสตางค์") in text.replace(" ", "").replace(
        "\n", ""
    )

    again = client.post(receipt_url(bill), {"which": "original"})
    assert again.status_code == 302  # refused: back to the bill page with the reason

    for number in (1, 2):
        copy = client.post(receipt_url(bill), {"which": "copy"})
        assert copy.status_code == 200
        assert thai_as_extracted(f"สำเนา ครั้งที่ {number}") in pdf_text(
            b"".join(copy.streaming_content)
        )
    refused = client.post(receipt_url(bill), {"which": "copy"}, follow=True)
    assert "both copies were downloaded" in refused.content.decode() or "ครบทั้งสองครั้ง" in (
        refused.content.decode()
    )


def test_bill_09_an_unpaid_bill_has_no_receipt():
    """BILL-09: no receipt before the bank confirms the payment."""
    member = MemberFactory(verified=True)
    bill = paid_bill_of(member, pay=False)
    with pytest.raises(BillingError) as refused:
        receipt_issue(acting=system_acting(), member=member, bill_id=bill.pk, copy=False)
    assert refused.value.code == "not_paid"
    page = client_of(member).get(reverse("billing:bill_detail", args=[bill.pk])).content.decode()
    assert "receipt-original" not in page


def test_bill_09_a_stranger_gets_no_receipt_of_another_factory():
    """BILL-09: only a holder of the factory's business; anyone else is told it is not found."""
    holder = MemberFactory(verified=True)
    bill = paid_bill_of(holder)
    stranger = MemberFactory(verified=True)
    assert client_of(stranger).post(receipt_url(bill), {"which": "original"}).status_code == 404
    with pytest.raises(BillingError):
        receipt_issue(acting=system_acting(), member=stranger, bill_id=bill.pk, copy=False)


def test_receipt_needs_a_post():
    member = MemberFactory(verified=True)
    bill = paid_bill_of(member)
    assert client_of(member).get(receipt_url(bill)).status_code == 405


@pytest.mark.django_db(transaction=True)
def test_bill_09_ten_simultaneous_originals_give_exactly_one():
    """BILL-09: ten downloads of the original at once give exactly one original."""
    member = MemberFactory(verified=True)
    bill = paid_bill_of(member)
    outcomes: list[str] = []
    barrier = threading.Barrier(10)

    def download():
        try:
            barrier.wait()
            receipt_issue(acting=system_acting(), member=member, bill_id=bill.pk, copy=False)
            outcomes.append("original")
        except DocumentError as error:
            outcomes.append(error.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=download) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("original") == 1
    assert outcomes.count("original_issued") == 9


def test_bill_06_the_list_of_all_bills_shows_when_a_bill_was_paid_and_its_receipt():
    """BILL-06: the member's list keeps the paid bill, with the payment's date and the way to
    its receipt."""
    member = MemberFactory(verified=True)
    bill = paid_bill_of(member)
    page = client_of(member).get(reverse("billing:bill_list")).content.decode()
    assert bill.ref1 in page
    assert 'data-testid="paid-on"' in page
    assert reverse("billing:bill_detail", args=[bill.pk]) + "#h-receipt" in page

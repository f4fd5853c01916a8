"""BILL-08 as the member sees it: a payment the bank confirmed that did not pay its bill (late,
another amount, a second payment) is shown on the bill and in the list of bills and payments,
with why and what the provincial industry office decided, so the money never looks lost."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.billing.models import Bill, Payment
from portal.billing.services import payment_record, reconciliation_issue_resolve
from portal.registries.bank import BankCallback
from tests.billing.helpers import hold_factory
from tests.billing.test_member_pages import client_of, mirror_of
from tests.factories import BillFactory, MemberFactory

pytestmark = pytest.mark.django_db

LATE = "Received after the bill had expired or was cancelled"
PENDING = "The money is recorded, not lost"


@pytest.fixture
def member():
    return MemberFactory(verified=True)


@pytest.fixture
def held(member):
    return hold_factory(member)


def pay(bill: Bill, txn: str, *, amount: int | None = None) -> Payment:
    payment, _ = payment_record(
        BankCallback(
            bank_code="sandbox",
            transaction_id=txn,
            ref1=bill.ref1,
            ref2=bill.ref2,
            amount_satang=bill.amount_satang if amount is None else amount,
            paid_at=timezone.now(),
        ),
        source=Payment.Source.CALLBACK,
    )
    return payment


def expired_bill(held) -> Bill:
    return BillFactory(
        factory=mirror_of(held),
        state=Bill.State.EXPIRED,
        expires_at=timezone.now() - dt.timedelta(days=2),
    )


def test_bill_08_a_late_payment_shows_on_the_bill_with_its_explanation(member, held):
    """BILL-08: a payment received after the bill expired is on the bill page, said to await
    the provincial office's decision; on the list too, at the top and beside its bill."""
    bill = expired_bill(held)
    pay(bill, "L1")
    client = client_of(member, "en")
    html = client.get(reverse("billing:bill_detail", args=[bill.pk])).content.decode()
    assert "Payments that did not pay this bill" in html
    assert LATE in html and PENDING in html and "1,234.50" in html
    listing = client.get(reverse("billing:bill_list"))
    assert [n.bill_id for n in listing.context["pending_notices"]] == [bill.pk]
    assert listing.context["bills"][0].payment_notices[0].why.startswith(LATE)
    assert 'data-testid="pending-payments"' in listing.content.decode()


def test_bill_08_a_wrong_amount_and_a_second_payment_are_explained(member, held):
    """BILL-08: another amount and a second payment of a paid bill each say why they did not
    pay the bill; the payment that did pay it is not listed among them."""
    wrong = BillFactory(factory=mirror_of(held))
    pay(wrong, "W1", amount=1_000)
    paid = BillFactory(factory=mirror_of(held))
    pay(paid, "P1")
    pay(paid, "P2")
    client = client_of(member, "en")
    html = client.get(reverse("billing:bill_detail", args=[wrong.pk])).content.decode()
    assert "The amount received differs from the bill" in html and "10.00" in html
    page = client.get(reverse("billing:bill_detail", args=[paid.pk]))
    notices = page.context["payment_notices"]
    assert len(notices) == 1 and "second payment" in notices[0].why
    assert Bill.objects.get(pk=paid.pk).state == Bill.State.PAID


@pytest.mark.parametrize(
    ("resolution", "said"),
    [
        ("settle", "counted this payment as paying the bill"),
        ("refund", "decided to refund this payment"),
        ("noted", "checked this payment and left the bill as it is"),
    ],
)
def test_bill_08_the_offices_decision_is_shown_once_resolved(
    member, held, billing_officer, resolution, said
):
    """BILL-08: once an officer resolves the issue, the member reads the decision (and the
    payment is no longer among those awaiting one)."""
    bill = expired_bill(held)
    payment = pay(bill, "L1")
    _, ops = billing_officer(agency="OPS", province="")
    reconciliation_issue_resolve(
        acting=ops, issue_id=payment.issues.get().pk, resolution=resolution
    )
    client = client_of(member, "en")
    page = client.get(reverse("billing:bill_detail", args=[bill.pk]))
    [notice] = page.context["payment_notices"]
    assert notice.resolved and said in notice.outcome and notice.resolved_at is not None
    assert said in page.content.decode()
    listing = client.get(reverse("billing:bill_list"))
    assert listing.context["pending_notices"] == []
    assert said in listing.content.decode()


def test_bill_08_another_members_payments_are_not_shown(member, held):
    """BILL-08: a holder of another business sees neither the bill nor its payments."""
    bill = expired_bill(held)
    pay(bill, "L1")
    stranger = MemberFactory(verified=True)
    hold_factory(stranger)
    client = client_of(stranger, "en")
    assert client.get(reverse("billing:bill_list")).context["pending_notices"] == []
    assert client.get(reverse("billing:bill_detail", args=[bill.pk])).status_code == 404


def test_bill_08_the_thai_page_explains_in_thai(member, held):
    """BILL-08: Thai first: the explanation reads in Thai."""
    bill = expired_bill(held)
    pay(bill, "L1")
    html = client_of(member).get(reverse("billing:bill_detail", args=[bill.pk])).content
    assert "ได้รับหลังใบแจ้งชำระเงินหมดอายุ" in html.decode()


def test_bill_08_payment_notices_cost_constant_queries(member, held, django_assert_max_num_queries):
    """BILL-08: the list and the bill page read the payments that did not pay their bills in
    a constant number of queries, however many there are."""
    mirror = mirror_of(held)
    first = BillFactory(factory=mirror, state=Bill.State.PAID)
    pay(first, "X0")
    client = client_of(member)
    list_url = reverse("billing:bill_list")
    bill_url = reverse("billing:bill_detail", args=[first.pk])
    client.get(list_url)
    with django_assert_max_num_queries(14) as few_list:
        client.get(list_url)
    with django_assert_max_num_queries(10) as few_bill:
        client.get(bill_url)
    for n in range(12):
        bill = BillFactory(factory=mirror, state=Bill.State.EXPIRED, expires_at=timezone.now())
        pay(bill, f"L{n}")
        pay(bill, f"M{n}")
        pay(first, f"X{n + 1}")
    with django_assert_max_num_queries(len(few_list.captured_queries)):
        listing = client.get(list_url)
    assert len(listing.context["pending_notices"]) == 20
    with django_assert_max_num_queries(len(few_bill.captured_queries)):
        page = client.get(bill_url)
    assert len(page.context["payment_notices"]) == 13  # X0 to X12: all second payments

"""BILL-08, members told: a payment the bank confirmed that did not pay its bill (late, another
amount, a second payment) is told to the members who hold the bill's factory through a
verified holding, by their verified channels, when it is recorded (by the callback or by the
reconciliation) and when an officer decides it; once, however often the bank repeats itself."""

import datetime as dt
import zoneinfo

import pytest
from django.utils import timezone, translation

from portal.billing.models import Bill, Payment, ReconciliationIssue
from portal.billing.services import (
    BillingError,
    payment_record,
    reconciliation_issue_resolve,
    statement_reconcile,
)
from portal.operators.models import FactoryHolding
from portal.registries.bank import BankCallback
from portal.registries.models import OutboundMessage
from portal.sandbox.bank import callback_mode_set, sandbox_bank_pay
from tests.billing.helpers import hold_factory
from tests.billing.test_member_pages import mirror_of
from tests.billing.test_payments import paid, post, post_at_once, signed
from tests.factories import BillFactory, HoldingFactory, MemberFactory

BANGKOK = zoneinfo.ZoneInfo("Asia/Bangkok")
LATE_EN = "Received after the bill had expired or was cancelled"
LATE_TH = "ได้รับหลังใบแจ้งชำระเงินหมดอายุหรือถูกยกเลิกแล้ว"


def told(member) -> list[OutboundMessage]:
    """The messages queued to this member's number or address, oldest first."""
    return [
        m
        for m in OutboundMessage.objects.order_by("pk")
        if m.recipient in (member.mobile, member.email)
    ]


def channels(member) -> list[str]:
    return sorted(m.channel for m in told(member))


def co_hold(member, row: FactoryHolding, **holding_traits) -> FactoryHolding:
    """The same factory in another member's profile, through their own holding of its
    business (verified unless a trait says otherwise)."""
    holding = HoldingFactory(member=member, business=row.holding.business, **holding_traits)
    return FactoryHolding.objects.create(member=member, factory=row.factory, holding=holding)


@pytest.fixture
def holders(db):
    """A bill's factory held by: an English reader with both channels verified, a Thai reader
    with only the mobile verified, a pending claim, a closed account, a business taken off a
    profile; and a stranger holding another business's factory."""
    english = MemberFactory(verified=True, language="en")
    row = hold_factory(english)
    thai = MemberFactory(mobile_verified_at=timezone.now(), language="th")
    co_hold(thai, row)
    pending = MemberFactory(verified=True)
    co_hold(pending, row, pending=True)
    closed = MemberFactory(verified=True, closed=True)
    co_hold(closed, row)
    removed = MemberFactory(verified=True)
    co_hold(removed, row, removed=True)
    stranger = MemberFactory(verified=True)
    hold_factory(stranger)
    return {
        "english": english,
        "thai": thai,
        "pending": pending,
        "closed": closed,
        "removed": removed,
        "stranger": stranger,
        "row": row,
    }


def expired_bill(row: FactoryHolding) -> Bill:
    return BillFactory(
        factory=mirror_of(row),
        state=Bill.State.EXPIRED,
        expires_at=timezone.now() - dt.timedelta(days=2),
    )


def record(bill: Bill, txn: str, *, amount: int | None = None) -> Payment:
    payment, _created = payment_record(paid(bill, txn=txn, amount=amount), source="callback")
    return payment


def only_the_verified_holders_were_told(holders, *, english=1, thai=1) -> None:
    assert channels(holders["english"]) == ["email"] * english + ["sms"] * english
    assert channels(holders["thai"]) == ["sms"] * thai  # the email is not verified
    for nobody in ("pending", "closed", "removed", "stranger"):
        assert told(holders[nobody]) == []


@pytest.mark.django_db
def test_bill_08_a_late_payment_by_callback_tells_each_verified_holder(holders, outbox):
    """BILL-08: a late payment confirmed by the bank's callback queues, in the same
    transaction, one SMS and one email per verified channel of each member holding the
    factory through a verified holding, sent once it commits: none to a pending claim, a
    closed account, an unverified email or another business's member. What it says: the
    amount, the bill, why, that the money is kept and the office decides, where to read it;
    no national ID."""
    bill = expired_bill(holders["row"])
    assert post(*signed(paid(bill))).status_code == 200
    only_the_verified_holders_were_told(holders)
    assert set(OutboundMessage.objects.values_list("status", flat=True)) == {"sent"}
    english = holders["english"]
    issue = ReconciliationIssue.objects.get()
    assert {m.topic for m in told(english)} == {
        f"bill-issue-{issue.pk}-recorded-{english.pk}-sms",
        f"bill-issue-{issue.pk}-recorded-{english.pk}-email",
    }
    [sms] = outbox.messages(to=english.mobile)
    [email] = outbox.messages(to=english.email)
    assert sms.body == email.body
    assert "1,234.50 baht" in sms.body and bill.ref1 in sms.body and LATE_EN in sms.body
    assert "The money is recorded, not lost" in sms.body
    assert "provincial industry office will decide" in sms.body
    assert sms.body.endswith("/bills/")
    assert email.subject == f"Your payment for bill {bill.ref1} did not pay it"
    for message in outbox.messages():
        for member in (english, holders["thai"]):
            assert member.national_id not in message.body + message.subject


@pytest.mark.django_db
def test_bill_08_a_wrong_amount_and_a_second_payment_are_told_with_their_reason(holders):
    """BILL-08: another amount and a second payment each tell why; a payment that settles its
    bill tells nobody anything here (the receipt is the member's answer)."""
    wrong = BillFactory(factory=mirror_of(holders["row"]))
    record(wrong, "W1", amount=1_000)
    paid_bill = BillFactory(factory=mirror_of(holders["row"]))
    record(paid_bill, "P1")
    assert Payment.objects.get(bank_transaction_id="P1").status == "settled"
    record(paid_bill, "P2")
    bodies = [m.body for m in told(holders["english"]) if m.channel == "sms"]
    assert len(bodies) == 2
    assert "10.00 baht" in bodies[0] and "differs from the bill's" in bodies[0]
    assert paid_bill.ref1 in bodies[1] and "this is a second payment" in bodies[1]


@pytest.mark.django_db
def test_bill_08_ten_replays_of_the_callback_queue_one_message_per_member(holders):
    """BILL-08: the bank repeats the same signed callback ten times: one payment, and still
    one message per verified channel of each holder."""
    bill = expired_bill(holders["row"])
    body, headers = signed(paid(bill))
    outcomes = [post(body, headers).json()["outcome"] for _ in range(10)]
    assert outcomes == ["recorded"] + ["duplicate"] * 9
    assert Payment.objects.count() == 1
    only_the_verified_holders_were_told(holders)


@pytest.mark.django_db(transaction=True)
def test_bill_08_ten_simultaneous_replays_tell_each_member_once(holders):
    """BILL-08 on PostgreSQL: ten threads post the same signed callback of a late payment at
    once: one message per verified channel of each holder, sent after the commit."""
    bill = expired_bill(holders["row"])
    body, headers = signed(paid(bill))
    answers = post_at_once(body, headers)
    assert answers == [200] * 10
    only_the_verified_holders_were_told(holders)
    assert set(OutboundMessage.objects.values_list("status", flat=True)) == {"sent"}


@pytest.mark.django_db
def test_bill_08_a_late_payment_found_by_reconciliation_tells_the_holders_once(holders):
    """BILL-08: the bank's callback never came; the daily reconciliation (the scheduler's
    task) records the late payment from the statement and tells the holders; running it again,
    or the callback arriving at last, tells nothing more."""
    callback_mode_set("drop")
    try:
        bill = expired_bill(holders["row"])
        taken = sandbox_bank_pay(ref1=bill.ref1, ref2=bill.ref2, amount_satang=bill.amount_satang)
    finally:
        callback_mode_set("normal")
    day = timezone.localtime(taken.paid_at, BANGKOK).date()
    run = statement_reconcile("sandbox", day)
    assert run.recorded == 1 and Payment.objects.get().status == "late"
    only_the_verified_holders_were_told(holders)
    statement_reconcile("sandbox", day)
    late_callback = BankCallback(
        "sandbox", taken.transaction_id, bill.ref1, bill.ref2, bill.amount_satang, taken.paid_at
    )
    assert post(*signed(late_callback)).json()["outcome"] == "duplicate"
    only_the_verified_holders_were_told(holders)


@pytest.mark.django_db
def test_bill_08_the_officers_bookkeeping_tells_nobody(holders):
    """BILL-08: a payment recovered from the statement that settles its bill (only the
    officers' "from the statement" issue) and a reference naming no bill queue nothing."""
    bill = BillFactory(factory=mirror_of(holders["row"]))
    payment_record(paid(bill, txn="S1"), source="statement")
    assert ReconciliationIssue.objects.get().kind == "from_statement"
    payment_record(
        BankCallback("sandbox", "U1", "10999999999999", "", 10_000, timezone.now()),
        source="callback",
    )
    assert not OutboundMessage.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("resolution", "said"),
    [
        ("settle", "counted this payment as paying the bill"),
        ("refund", "decided to refund this payment"),
        ("noted", "checked this payment and left the bill as it is"),
    ],
)
def test_bill_08_the_officers_decision_is_told_to_the_holders(
    holders, billing_officer, resolution, said
):
    """BILL-08: once an officer resolves the issue, each verified holder is told the decision
    (and where to read it) in the same transaction; the first message is not repeated, and a
    second attempt to decide queues nothing."""
    bill = expired_bill(holders["row"])
    issue = record(bill, "L1").issues.get()
    _, ops = billing_officer(agency="OPS", province="")
    reconciliation_issue_resolve(acting=ops, issue_id=issue.pk, resolution=resolution)
    only_the_verified_holders_were_told(holders, english=2, thai=2)
    english = told(holders["english"])
    decision = [m for m in english if "-decided-" in m.topic]
    assert {m.channel for m in decision} == {"sms", "email"}
    for message in decision:
        assert said in message.body and bill.ref1 in message.body and "1,234.50" in message.body
        assert message.body.endswith("/bills/")
        assert message.topic.startswith(f"bill-issue-{issue.pk}-decided-")
    assert next(m for m in decision if m.channel == "email").subject == (
        f"Decision on your payment for bill {bill.ref1}"
    )
    # The recorded message, still queued, was not cancelled by the decision's.
    assert all(m.status == "queued" for m in english)
    with pytest.raises(BillingError):
        reconciliation_issue_resolve(acting=ops, issue_id=issue.pk, resolution="noted")
    only_the_verified_holders_were_told(holders, english=2, thai=2)


@pytest.mark.django_db
def test_bill_08_the_messages_of_two_issues_do_not_cancel_each_other(holders):
    """BILL-08: two late payments of one bill: two messages per channel, both still queued (a
    topic per issue, so the second does not replace the first)."""
    bill = expired_bill(holders["row"])
    record(bill, "L1")
    record(bill, "L2")
    messages = told(holders["english"])
    assert len(messages) == 4 and all(m.status == "queued" for m in messages)


@pytest.mark.django_db
def test_bill_08_a_thai_member_is_told_in_thai(holders, billing_officer):
    """BILL-08: Thai first: a member whose language is Thai reads both messages in Thai,
    whatever language the request or the officer uses."""
    bill = expired_bill(holders["row"])
    _, ops = billing_officer(agency="OPS", province="")
    with translation.override("en"):
        issue = record(bill, "L1").issues.get()
        reconciliation_issue_resolve(acting=ops, issue_id=issue.pk, resolution="settle")
    recorded, decided = (m.body for m in told(holders["thai"]))
    assert recorded.startswith("Industry Portal: เงินที่ท่านชำระ จำนวน 1,234.50 บาท")
    assert LATE_TH in recorded and "ไม่สูญหาย" in recorded and bill.ref1 in recorded
    assert "สำนักงานอุตสาหกรรมจังหวัดนำเงินที่ชำระนี้ไปชำระใบแจ้งชำระเงินแล้ว" in decided
    assert "ดูได้ที่เมนูค่าธรรมเนียม" in decided
    assert LATE_EN not in recorded
    english_bodies = [m.body for m in told(holders["english"])]
    assert all("baht" in body and "บาท" not in body for body in english_bodies)

"""The back-office queue of late payments and mismatches (BILL-08, ADM-01, ADM-02): the
province's office decides; an officer who holds the bill's factory may not (own case)."""

from django.db import transaction
from django.utils import timezone

from portal.backoffice.services import officer_appoint
from portal.billing.models import Bill, ReconciliationIssue
from portal.billing.services import payment_record
from portal.operators.models import Factory, FactoryHolding
from portal.registries.bank import BankCallback
from tests.backoffice.helpers import signed_in
from tests.e2e.test_sandbox_bank_browser import make_bill
from tests.factories import HoldingFactory, MemberFactory


def late_issue() -> ReconciliationIssue:
    bill = make_bill()
    Bill.objects.filter(pk=bill.pk).update(state=Bill.State.EXPIRED)
    payment_record(
        BankCallback("sandbox", "LATE1", bill.ref1, bill.ref2, bill.amount_satang, timezone.now()),
        source="callback",
    )
    return ReconciliationIssue.objects.get()


def pio(province="ชลบุรี"):
    officer = MemberFactory(verified=True)
    with transaction.atomic():
        officer_appoint(
            member=officer,
            agency="PIO",
            province=province,
            permissions=["billing.change_reconciliationissue"],
        )
    return officer


def holds_factory(member, factory_no: str) -> FactoryHolding:
    """The factory of the issue's bill in the member's profile, held through a business."""
    holding = HoldingFactory(member=member)
    factory = Factory.objects.create(
        factory_no=factory_no,
        name_th="โรงงาน",
        business=holding.business,
        licence="ror_ngor_4",
        factory_class=3,
        category="0101",
        status="operating",
        province="ชลบุรี",
        supervisor="PIO",
        registry_read_at=timezone.now(),
    )
    return FactoryHolding.objects.create(member=member, factory=factory, holding=holding)


def test_bill_08_adm_02_an_officer_holding_the_factory_may_not_decide_its_payment(db, robot):
    """BILL-08, ADM-02: An officer holding the factory may not decide its payment."""
    issue = late_issue()
    officer = pio()
    holds_factory(officer, issue.bill.factory.factory_no)
    client = signed_in(robot, officer)
    url = f"/backoffice/payment-issues/{issue.pk}/"
    response = client.post(url, {"resolution": "settle", "note": ""})
    assert response.status_code == 200
    assert "เรื่องนี้เป็นเรื่องของท่านเอง" in response.text  # ADM-02: own case
    issue.refresh_from_db()
    assert issue.state == "open"


def test_bill_08_the_provinces_office_settles_a_late_payment_and_another_province_cannot(db, robot):
    """BILL-08: The provinces office settles a late payment and another province cannot."""
    issue = late_issue()
    elsewhere = signed_in(robot, pio("ลำปาง"))
    url = f"/backoffice/payment-issues/{issue.pk}/"
    assert elsewhere.get(url).status_code == 404
    here = signed_in(robot, pio())
    assert here.get("/backoffice/payment-issues/").status_code == 200
    response = here.post(url, {"resolution": "settle", "note": "รับชำระ"})
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.state == "resolved" and issue.bill.state == Bill.State.PAID


def test_bill_08_the_holders_are_told_the_offices_decision_made_on_the_page(db, robot, outbox):
    """BILL-08: the decision an officer makes on the queue's page reaches the members who hold
    the factory (here by SMS, in Thai), sent once the request commits."""
    issue = late_issue()
    holder = MemberFactory(verified=True, language="th")
    holds_factory(holder, issue.bill.factory.factory_no)
    here = signed_in(robot, pio())
    url = f"/backoffice/payment-issues/{issue.pk}/"
    assert here.post(url, {"resolution": "refund", "note": ""}).status_code == 302
    [sms] = outbox.messages(to=holder.mobile)
    assert issue.bill.ref1 in sms.body
    assert "สำนักงานอุตสาหกรรมจังหวัดพิจารณาให้คืนเงินที่ชำระนี้แก่ผู้ชำระ" in sms.body
    assert len(outbox.messages(to=holder.email)) == 1

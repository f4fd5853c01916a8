"""BILL-06, BILL-07 in the browser, on a phone: a member opens a factory's bill tab, the bill,
then the payment page, accessible in Thai and in English; the page notices by itself that the
bill was paid."""

import datetime as dt
from dataclasses import replace

from django.db import transaction
from django.utils import timezone
from playwright.sync_api import expect

from portal.backoffice.services import officer_appoint
from portal.billing.models import Bill, Payment
from portal.billing.services import payment_record, reconciliation_issue_resolve
from portal.core.acting import system_acting
from portal.registries.bank import BankCallback
from tests.billing.helpers import hold_factory
from tests.e2e.helpers import login
from tests.factories import DEFAULT_PASSWORD, BillFactory, DiwFactoryFactory, MemberFactory


def test_bill_06_bill_07_bill_tab_bill_and_payment_page(
    page, settings, solve_robot_check, assert_accessible, switch_language
):
    """BILL-06, BILL-07: bill tab -> bill -> payment page; the payment page turns to "paid"."""
    settings.BILL_STATUS_POLL_SECONDS = 1
    member = MemberFactory()
    row = hold_factory(member, name_th="โรงงานทดสอบบิล")
    bill = BillFactory(
        factory=DiwFactoryFactory(factory_no=row.factory.factory_no), fee_satang=300_000
    )
    login(page, solve_robot_check, member.national_id, DEFAULT_PASSWORD)

    page.goto(f"/factories/{row.pk}/")
    page.get_by_test_id("bill-tab").click()
    page.wait_for_url(f"**/factories/{row.pk}/bills/")
    assert_accessible(page)
    page.get_by_role("link", name="ค่าธรรมเนียมรายปี", exact=False).click()
    page.wait_for_url(f"**/bills/{bill.pk}/")
    assert page.get_by_test_id("total").inner_text().startswith("3,000.00")
    assert_accessible(page)
    page.get_by_role("link", name="ชำระเงิน", exact=True).click()
    page.wait_for_url(f"**/bills/{bill.pk}/pay/")
    assert_accessible(page)
    # The images loaded (a broken image has no natural width).
    for test_id in ("qr", "barcode"):
        assert page.get_by_test_id(test_id).evaluate("img => img.naturalWidth") > 0
    assert bill.ref1 in page.content() and bill.ref2 in page.content()

    switch_language(page, "en")
    expect(page.get_by_role("heading", name="Pay bill")).to_be_visible()
    assert_accessible(page)
    page.goto(f"/bills/{bill.pk}/")
    assert_accessible(page)
    page.goto(f"/factories/{row.pk}/bills/")
    assert_accessible(page)
    page.goto("/bills/")
    assert_accessible(page)

    # The bank confirms the payment: the open payment page says so without a reload.
    page.goto(f"/bills/{bill.pk}/pay/")
    assert page.get_by_test_id("paid").is_hidden()
    Bill.objects.filter(pk=bill.pk).update(state=Bill.State.PAID)
    page.get_by_test_id("paid").wait_for(state="visible")
    assert page.get_by_test_id("qr").is_hidden()
    assert_accessible(page)


def test_bill_08_a_member_sees_a_late_payment_and_the_offices_decision(
    page, solve_robot_check, assert_accessible, switch_language
):
    """BILL-08: a payment received after the bill expired is on the list and the bill page,
    explained; once the office decides, the decision is there; axe clean, Thai and English."""
    member = MemberFactory()
    row = hold_factory(member, name_th="โรงงานจ่ายช้า")
    bill = BillFactory(
        factory=DiwFactoryFactory(factory_no=row.factory.factory_no),
        state=Bill.State.EXPIRED,
        expires_at=timezone.now() - dt.timedelta(days=3),
    )
    payment, _ = payment_record(
        BankCallback("sandbox", "LATE1", bill.ref1, bill.ref2, bill.amount_satang, timezone.now()),
        source=Payment.Source.CALLBACK,
    )
    login(page, solve_robot_check, member.national_id, DEFAULT_PASSWORD)
    page.goto("/bills/")
    expect(page.get_by_test_id("pending-payments")).to_be_visible()
    assert_accessible(page)
    page.goto(f"/bills/{bill.pk}/")
    expect(page.get_by_test_id("payment-notice")).to_contain_text("ได้รับหลังใบแจ้งชำระเงินหมดอายุ")
    assert_accessible(page)

    officer = MemberFactory()
    with transaction.atomic():
        officer_appoint(member=officer, agency="OPS", permissions=[])
    acting = replace(system_acting(actor=officer, channel="web"), two_factor=True)
    reconciliation_issue_resolve(
        acting=acting, issue_id=payment.issues.get().pk, resolution="refund"
    )
    switch_language(page, "en")
    expect(page.get_by_test_id("payment-notice-outcome")).to_contain_text(
        "decided to refund this payment"
    )
    assert_accessible(page)
    page.goto("/bills/")
    expect(page.get_by_test_id("pending-payments")).to_have_count(0)
    expect(page.get_by_test_id("payment-notice")).to_be_visible()
    assert_accessible(page)

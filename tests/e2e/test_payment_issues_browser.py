"""An officer resolves a late payment in the back office (BILL-08, ADM-01 to ADM-03): the
provincial office of the bill's province finds it in its queue, counts it as settling the
bill; axe clean in Thai and in English."""

from django.db import transaction
from django.utils import timezone
from playwright.sync_api import expect

from portal.backoffice.services import officer_appoint
from portal.billing.models import Bill, Payment, ReconciliationIssue
from portal.billing.services import payment_record
from portal.registries.bank import BankCallback
from tests.e2e.helpers import officer_login
from tests.e2e.test_sandbox_bank_browser import make_bill
from tests.factories import DEFAULT_PASSWORD, MemberFactory


def test_bill_08_an_officer_resolves_a_late_payment(
    page, solve_robot_check, assert_accessible, switch_language
):
    """BILL-08: An officer resolves a late payment."""
    bill = make_bill()
    Bill.objects.filter(pk=bill.pk).update(state=Bill.State.EXPIRED)
    payment_record(
        BankCallback("sandbox", "LATE1", bill.ref1, bill.ref2, bill.amount_satang, timezone.now()),
        source="callback",
    )
    officer = MemberFactory(verified=True)
    with transaction.atomic():
        officer_appoint(
            member=officer,
            agency="PIO",
            province=bill.province,
            permissions=["billing.change_reconciliationissue"],
        )
    officer_login(page, solve_robot_check, officer, DEFAULT_PASSWORD)
    page.goto("/backoffice/")
    page.get_by_role("link", name="การชำระล่าช้าและรายการที่ไม่ตรงกัน").click()
    assert page.locator("tr[data-issue]").count() == 1
    assert_accessible(page)
    page.locator("tr[data-issue] a").click()
    assert_accessible(page)
    switch_language(page, "en")
    assert_accessible(page)
    page.get_by_role("button", name="Save the decision").click()  # nothing chosen: said
    expect(page.locator(".error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("radio", name="Count the payment as settling the bill").check()
    page.get_by_role("button", name="Save the decision").click()
    expect(page.locator(".alert-success")).to_be_visible()
    assert page.locator("tr[data-issue]").count() == 0
    assert_accessible(page)
    bill.refresh_from_db()
    assert bill.state == Bill.State.PAID
    assert Payment.objects.get().status == "settled"
    assert ReconciliationIssue.objects.get().resolved_by == officer

"""BILL-05, ADM-01 in a browser: an officer with two-factor authentication finds the
province's bills and issues a bill, every page axe-clean in Thai and in English."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from playwright.sync_api import expect

from portal.backoffice.services import officer_appoint
from portal.billing.models import Bill, DiwFactory
from tests.e2e.helpers import officer_login
from tests.factories import DEFAULT_PASSWORD, MemberFactory


def test_bill_05_adm_01_an_officer_issues_a_bill(
    page, solve_robot_check, assert_accessible, switch_language
):
    """BILL-05: a provincial officer issues a factory expansion fee of 1,500.50 baht after
    confirming it, and sees the new bill; ADM-01: it is in the province's list."""
    officer = MemberFactory()
    with transaction.atomic():
        officer_appoint(
            member=officer,
            agency="PIO",
            province="ชลบุรี",
            permissions=["billing.view_bill", "billing.add_bill"],
        )
    now = timezone.now()
    DiwFactory.objects.create(
        factory_no="20200000000077",
        name_th="โรงงานทดสอบเบราว์เซอร์",
        province="ชลบุรี",
        supervisor="PIO",
        status="operating",
        registry_changed_at=now,
        synced_at=now,
    )
    due = timezone.localdate() + dt.timedelta(days=20)

    officer_login(page, solve_robot_check, officer, DEFAULT_PASSWORD)
    page.goto("/backoffice/")
    page.get_by_role("link", name="ใบแจ้งชำระเงิน", exact=True).click()
    page.wait_for_url("**/backoffice/bills/")
    assert_accessible(page)
    page.get_by_role("link", name="ออกใบแจ้งชำระเงิน").click()
    page.wait_for_url("**/backoffice/bills/issue/")
    assert_accessible(page)

    # A mistake first: the amount is refused beside its field, in Thai.
    page.locator("#id_factory_no").fill("20200000000077")
    page.locator("#id_kind").select_option("expansion")
    page.locator("#id_period").fill("ขยายโรงงาน")
    page.locator("#id_due_on_0").select_option(str(due.day))
    page.locator("#id_due_on_1").select_option(str(due.month))
    page.locator("#id_due_on_2").fill(str(due.year + 543))
    page.locator("#id_amount").fill("หนึ่งพัน")
    page.get_by_role("button", name="ดำเนินการต่อ").click()
    assert "กรุณากรอกจำนวนเงินเป็นบาท" in page.locator(".field-invalid").inner_text()
    assert_accessible(page)

    page.locator("#id_amount").fill("1,500.50")
    page.get_by_role("button", name="ดำเนินการต่อ").click()
    assert page.get_by_test_id("confirm-amount").inner_text() == "1,500.50"
    assert_accessible(page)
    assert not Bill.objects.exists()
    page.get_by_role("button", name="ออกใบแจ้งชำระเงิน").click()
    page.wait_for_url("**/backoffice/bills/*/")
    bill = Bill.objects.get()
    assert bill.amount_satang == 150_050 and bill.issued_by_id == officer.pk
    assert page.get_by_test_id("bill-ref1").inner_text() == bill.ref1
    assert page.get_by_test_id("bill-amount").inner_text() == "1,500.50"
    assert_accessible(page)

    switch_language(page, "en")
    assert_accessible(page)
    page.get_by_role("link", name="All bills").click()
    page.wait_for_url("**/backoffice/bills/")
    expect(page.get_by_role("link", name=bill.ref1)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Issue a bill").click()
    assert_accessible(page)


def test_bill_02_bill_01_ops_starts_the_bill_run_and_opens_the_fee_tables(
    page, solve_robot_check, assert_accessible, switch_language
):
    """BILL-02: an OPS officer starts the annual bill run from the bills page and follows its
    progress; BILL-01: opens the fee tables and a table's revise form; axe-clean in Thai and
    English."""
    officer = MemberFactory()
    rights = ["billing.view_bill", "billing.add_bill", "billing.view_feetable"]
    with transaction.atomic():
        officer_appoint(
            member=officer, agency="OPS", permissions=[*rights, "billing.edit_fee_table"]
        )
    officer_login(page, solve_robot_check, officer, DEFAULT_PASSWORD)
    page.goto("/backoffice/bills/")
    page.get_by_role("link", name="เริ่มออกใบแจ้งชำระค่าธรรมเนียมรายปี").click()
    page.wait_for_url("**/backoffice/bills/run/")
    assert_accessible(page)
    page.get_by_role("button", name="เริ่มเดี๋ยวนี้").click()
    page.wait_for_url("**/backoffice/bills/runs/*/")
    # The live server runs tasks at once: the run has finished by the time the page shows.
    assert page.get_by_test_id("run-state").inner_text() == "เสร็จสิ้น"
    assert_accessible(page)
    switch_language(page, "en")
    assert page.get_by_test_id("run-state").inner_text() == "Finished"
    assert_accessible(page)

    page.goto("/backoffice/")
    assert_accessible(page)
    page.get_by_role("link", name="Fee tables").click()
    page.wait_for_url("**/backoffice/fee-tables/")
    assert_accessible(page)
    page.get_by_role("link", name="Revise licence").first.click()
    page.wait_for_url("**/revise/")
    assert_accessible(page)
    switch_language(page, "th")
    # The form starts from the table's own lines.
    assert ": 1000.00" in page.locator("#id_tiers").input_value()
    assert_accessible(page)

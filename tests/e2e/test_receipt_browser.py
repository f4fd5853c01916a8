"""Issue 10's journey in the browser: a member takes the QR image of their bill from its
payment page, pays it at the sandbox bank by that image, sees the bill paid and downloads the
signed original receipt, then a copy (BILL-07, BILL-08, BILL-09)."""

from playwright.sync_api import expect

from portal.billing.models import Bill
from portal.documents.signing import check_signed_pdf
from tests.billing.helpers import hold_factory
from tests.documents.helpers import pdf_text, thai_as_extracted
from tests.e2e.helpers import login
from tests.factories import DEFAULT_PASSWORD, BillFactory, DiwFactoryFactory, MemberFactory


def test_bill_07_bill_08_bill_09_pay_by_qr_at_the_bank_then_download_the_receipt(
    page, tmp_path, solve_robot_check, assert_accessible
):
    """BILL-07, BILL-08, BILL-09: QR image -> sandbox bank -> paid -> original, then a copy."""
    member = MemberFactory()
    row = hold_factory(member, name_th="โรงงานทดสอบใบเสร็จ")
    bill = BillFactory(
        factory=DiwFactoryFactory(factory_no=row.factory.factory_no), fee_satang=250_000
    )
    login(page, solve_robot_check, member.national_id, DEFAULT_PASSWORD)

    # The QR image exactly as the payment page shows it.
    page.goto(f"/bills/{bill.pk}/pay/")
    source = page.get_by_test_id("qr").get_attribute("src")
    image = tmp_path / "qr.png"
    image.write_bytes(page.request.get(source).body())

    page.goto("/sandbox/bank/")
    page.locator("#id_image").set_input_files(str(image))
    page.locator("form:has(#id_image) button[type=submit]").click()
    assert page.locator("[data-ref1]").inner_text() == bill.ref1
    page.locator("[data-pay]").click()
    expect(page.locator(".alert-success")).to_be_visible()

    bill.refresh_from_db()
    assert bill.state == Bill.State.PAID
    page.goto(f"/bills/{bill.pk}/")
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_test_id("receipt-original").click()
    original = download.value.path().read_bytes()
    assert check_signed_pdf(original).valid
    assert "ต้นฉบับ" in pdf_text(original)

    page.goto(f"/bills/{bill.pk}/")
    assert "2" in page.get_by_test_id("receipt-left").inner_text()
    assert page.get_by_test_id("receipt-original").count() == 0
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_test_id("receipt-copy").click()
    copy = download.value.path().read_bytes()
    assert check_signed_pdf(copy).valid
    assert thai_as_extracted("สำเนา ครั้งที่ 1") in pdf_text(copy)

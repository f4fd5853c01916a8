"""The sandbox bank in a browser (BILL-07, BILL-08): a payer finds a bill by its references,
sees its amount, pays; the signed callback marks the bill paid; the page is axe clean in Thai
and in English, with a bill found, a form error and the payments list shown."""

import base64
import datetime as dt

from django.utils import timezone
from playwright.sync_api import expect

from portal.billing.models import Bill, DiwFactory, Payment
from portal.billing.payment_codes import make_biller_id, qr_png, thai_qr_payload


def make_bill() -> Bill:
    now = timezone.now()
    factory = DiwFactory.objects.create(
        factory_no="20200000000777",
        name_th="โรงงานทดสอบธนาคาร",
        province="ชลบุรี",
        supervisor="PIO",
        status="operating",
        registry_changed_at=now,
        synced_at=now,
    )
    due = timezone.localdate() + dt.timedelta(days=10)
    return Bill.objects.create(
        kind=Bill.Kind.OTHER,
        factory=factory,
        province=factory.province,
        fee_satang=123_450,
        amount_satang=123_450,
        due_on=due,
        issued_on=timezone.localdate(),
        expires_at=now + dt.timedelta(days=10),
        ref1="19000000000017",
        ref2=factory.factory_no,
        created_at=now,
    )


def test_bill_07_the_sandbox_bank_reads_a_bills_qr_image(
    page, tmp_path, assert_accessible, switch_language
):
    """BILL-07: the payer uploads the QR image of the bill; the bank shows the bill and its
    amount to pay."""
    bill = make_bill()
    image = tmp_path / "bill-qr.png"
    image.write_bytes(
        qr_png(
            thai_qr_payload(
                biller_id=make_biller_id("0994000158378"),
                ref1=bill.ref1,
                ref2=bill.ref2,
                amount_satang=bill.amount_satang,
            )
        )
    )
    page.goto("/sandbox/bank/")
    if page.locator("html").get_attribute("lang") != "th":
        switch_language(page, "th")
    page.locator("#id_image").set_input_files(str(image))
    assert_accessible(page)
    page.locator("form:has(#id_image) button[type=submit]").click()
    assert page.locator("[data-ref1]").inner_text() == bill.ref1
    assert page.locator("#id_pay-amount").input_value() == "1,234.50"
    assert_accessible(page)


def test_bill_08_a_payer_pays_a_bill_at_the_sandbox_bank(page, assert_accessible, switch_language):
    """BILL-08: A payer pays a bill at the sandbox bank."""
    bill = make_bill()
    page.goto("/sandbox/bank/")
    for language in ("en", "th"):
        if page.locator("html").get_attribute("lang") != language:
            switch_language(page, language)
        assert_accessible(page)
    # A reference no bill has: said on the form.
    page.locator("#id_ref1").fill("19999999999999")
    page.locator("#id_ref2").fill(bill.ref2)
    page.locator("form:has(#id_ref1) button[type=submit]").click()
    expect(page.locator(".error-summary")).to_be_visible()
    assert_accessible(page)
    page.locator("#id_ref1").fill(bill.ref1)
    page.locator("form:has(#id_ref1) button[type=submit]").click()
    assert page.locator("[data-amount]").inner_text().startswith("1,234.50")
    assert page.locator("#id_pay-amount").input_value() == "1,234.50"
    assert_accessible(page)
    page.locator("[data-pay]").click()
    expect(page.locator(".alert-success")).to_be_visible()
    assert page.locator("tr[data-transaction]").count() == 1
    assert_accessible(page)
    switch_language(page, "en")
    assert_accessible(page)
    bill.refresh_from_db()
    assert bill.state == Bill.State.PAID
    assert Payment.objects.get().bill == bill


PASTE_SCRIPT = """([b64, type]) => {
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  const transfer = new DataTransfer();
  transfer.items.add(new File([bytes], "image.png", { type }));
  const event = new ClipboardEvent("paste", {
    clipboardData: transfer, bubbles: true, cancelable: true,
  });
  document.body.dispatchEvent(event);
  return event.defaultPrevented;
}"""


def test_bill_07_bill_08_a_payer_pastes_the_qr_image_and_pays(
    page, assert_accessible, switch_language
):
    """BILL-07: the payer pastes the bill's QR image on the sandbox bank's page (no upload):
    it goes into the scan form's file field, its name shown; the code is read and, BILL-08,
    the bill paid by the bank's callback."""
    bill = make_bill()
    png = qr_png(
        thai_qr_payload(
            biller_id=make_biller_id("0994000158378"),
            ref1=bill.ref1,
            ref2=bill.ref2,
            amount_satang=bill.amount_satang,
        )
    )
    page.goto("/sandbox/bank/")
    if page.locator("html").get_attribute("lang") != "th":
        switch_language(page, "th")
    expect(page.locator("[data-paste-hint]")).to_be_visible()
    assert page.evaluate(PASTE_SCRIPT, [base64.b64encode(png).decode(), "image/png"]) is True
    expect(page.locator("[data-paste-status]")).to_have_text("วางรูปภาพแล้ว: image.png")
    expect(page.locator("form:has(#id_image) [data-file-name]")).to_have_text("image.png")
    assert page.evaluate("document.getElementById('id_image').files.length") == 1
    assert_accessible(page)
    switch_language(page, "en")  # a fresh page: paste again, in English
    page.evaluate(PASTE_SCRIPT, [base64.b64encode(png).decode(), "image/png"])
    expect(page.locator("[data-paste-status]")).to_have_text("Image pasted: image.png")
    assert_accessible(page)
    page.locator("form:has(#id_image) button[type=submit]").click()
    expect(page.locator("[data-ref1]")).to_have_text(bill.ref1)
    assert page.locator("#id_pay-amount").input_value() == "1,234.50"
    page.locator("[data-pay]").click()
    expect(page.locator(".alert-success")).to_be_visible()
    assert_accessible(page)
    bill.refresh_from_db()
    assert bill.state == Bill.State.PAID
    assert Payment.objects.get().bill == bill


def test_pasting_text_leaves_the_file_field_alone(page):
    """Only an image is taken from the clipboard: pasted text changes nothing."""
    page.goto("/sandbox/bank/")
    assert page.evaluate(PASTE_SCRIPT, ["aGVsbG8=", "text/plain"]) is False
    assert page.evaluate("document.getElementById('id_image').files.length") == 0
    expect(page.locator("[data-paste-status]")).to_have_text("")

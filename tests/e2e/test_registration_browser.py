import pytest
from playwright.sync_api import expect

from portal.accounts.models import Member
from tests.factories import DEFAULT_PASSWORD


def fill_details(page, citizen, *, day: str, month: str):
    page.get_by_label("เลขประจำตัวประชาชน (13 หลัก)").fill(citizen["pid"])
    page.get_by_label("ชื่อ (ภาษาไทย)").fill(citizen["first_name_th"])
    page.get_by_label("นามสกุล (ภาษาไทย)").fill(citizen["last_name_th"])
    page.locator("#id_birth_day").select_option(day)
    page.locator("#id_birth_month").select_option(month)
    page.locator("#id_birth_year_be").fill(str(citizen["birth_year_be"]))
    page.locator("#id_password1").fill(DEFAULT_PASSWORD)
    page.locator("#id_password2").fill(DEFAULT_PASSWORD)


@pytest.mark.parametrize("known_birth_date", [True, False], ids=["full-date", "year-only"])
def test_acc_02_acc_04_register_step_by_step(
    page, world, assert_accessible, switch_language, known_birth_date
):
    """ACC-02, ACC-04: Register step by step."""
    citizen = world.add_citizen(
        birth_day=19 if known_birth_date else None,
        birth_month=6 if known_birth_date else None,
        birth_year_be=2527 if known_birth_date else 2483,
    )
    page.goto("/")
    page.locator("header").get_by_role("link", name="ลงทะเบียน").click()
    # Step 1: terms, with the step indicator.
    assert page.locator(".steps [aria-current=step]").inner_text().strip().startswith("1")
    assert_accessible(page)
    page.get_by_role("button", name="ถัดไป").click()
    expect(page.locator(".errors").first).to_be_visible()  # not ticked: stays, says why
    page.get_by_label("ข้าพเจ้าได้อ่าน", exact=False).check()
    page.get_by_role("button", name="ถัดไป").click()
    # Step 2: each PDPA purpose answered on its own.
    assert_accessible(page)
    radios = page.get_by_role("radio", name="ยินยอม", exact=True)
    for index in range(radios.count()):
        radios.nth(index).check()
    page.get_by_role("button", name="ถัดไป").click()
    # Step 3: the form; the password eye shows what was typed.
    assert_accessible(page)
    fill_details(
        page, citizen, day="19" if known_birth_date else "0", month="6" if known_birth_date else "0"
    )
    page.locator("[data-toggle-password=id_password1]").click()
    assert page.locator("#id_password1").get_attribute("type") == "text"
    page.get_by_role("button", name="ลงทะเบียน", exact=True).last.click()
    # Step 4: done, and the same flow reads in English.
    page.wait_for_url("**/register/done/")
    assert page.locator(".steps [aria-current=step]").inner_text().strip().startswith("4")
    assert_accessible(page)
    switch_language(page, "en")
    assert_accessible(page)
    member = Member.objects.get()
    assert member.birth_month == (6 if known_birth_date else None)


def test_acc_05_registry_outage_message_in_the_browser(page, world, assert_accessible):
    """ACC-05: Registry outage message in the browser."""
    from portal.registries.failures import failure_set

    citizen = world.add_citizen()
    page.goto("/accounts/register/")
    page.get_by_label("ข้าพเจ้าได้อ่าน", exact=False).check()
    page.get_by_role("button", name="ถัดไป").click()
    radios = page.get_by_role("radio", name="ไม่ยินยอม", exact=True)
    for index in range(radios.count()):
        radios.nth(index).check()
    page.get_by_role("button", name="ถัดไป").click()
    fill_details(page, citizen, day="19", month="6")
    failure_set("dopa", "down")
    try:
        page.get_by_role("button", name="ลงทะเบียน", exact=True).last.click()
        alert = page.locator(".alert-error")
        assert "1-2" in alert.inner_text()
    finally:
        failure_set("dopa", None)
    assert page.locator("#id_national_id").input_value() == citizen["pid"]
    assert_accessible(page)
    assert Member.objects.count() == 0

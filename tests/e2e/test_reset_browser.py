import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import last_code, login
from tests.factories import MemberFactory

NEW_PASSWORD = "NewPass#2569"


@pytest.mark.parametrize("channel", ["sms", "email", "birth_date"])
def test_acc_11_reset_by_each_channel(
    page, channel, solve_robot_check, assert_accessible, switch_language
):
    """ACC-11: Reset by each channel."""
    member = MemberFactory(verified=True, birth_day=None, birth_month=None, birth_year_be=2483)
    page.goto("/accounts/login/")
    page.get_by_role("link", name="ลืมรหัสผ่าน").click()
    assert_accessible(page)
    page.get_by_label("เลขประจำตัวประชาชน (13 หลัก)").fill(member.national_id)
    solve_robot_check(page)
    page.get_by_role("button", name="ถัดไป").click()
    assert_accessible(page)
    option = {"sms": "SMS", "email": "อีเมล", "birth_date": "วันเดือนปีเกิด"}[channel]
    page.get_by_role("radio", name=option, exact=False).check()
    page.get_by_role("button", name="ถัดไป").click()
    if channel == "birth_date":
        page.locator("#id_birth_date").fill("00002483")
        assert_accessible(page)
        page.get_by_role("button", name="ถัดไป").click()
    else:
        expect(page.locator("[data-expires-in]")).to_be_visible()  # the code's life is shown
        assert_accessible(page)
        to = member.mobile if channel == "sms" else member.email
        page.locator("#id_code").fill(last_code(page, to))
        page.get_by_role("button", name="ยืนยัน", exact=True).click()
    assert page.locator(".steps [aria-current=step]").inner_text().strip().startswith("3")
    switch_language(page, "en")
    assert_accessible(page)
    page.locator("#id_password1").fill(NEW_PASSWORD)
    page.locator("#id_password2").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Save the new password").click()
    page.wait_for_url("**/accounts/login/")
    switch_language(page, "th")
    login(page, solve_robot_check, member.national_id, NEW_PASSWORD)
    assert member.display_name in page.get_by_test_id("who").inner_text()

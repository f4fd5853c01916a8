import pyotp
from playwright.sync_api import expect

from portal.identity.models import TwoFactorDevice
from tests.e2e.helpers import login
from tests.factories import DEFAULT_PASSWORD, MemberFactory


def test_sso_04_set_up_an_authenticator_and_log_in_with_its_code(
    page, solve_robot_check, assert_accessible, switch_language
):
    """SSO-04: Set up an authenticator and log in with its code."""
    from portal.operators.services import business_add_myself

    member = MemberFactory()
    business_add_myself(member=member)
    login(page, solve_robot_check, member.national_id, DEFAULT_PASSWORD)
    page.goto("/accounts/settings/")
    page.get_by_role("link", name="การยืนยันตัวตนสองขั้นตอน").click()
    assert_accessible(page)
    page.get_by_role("button", name="ตั้งค่า").click()
    expect(page.locator(".qr svg")).to_be_visible()
    assert_accessible(page)
    secret = page.locator("code").inner_text().strip()
    totp = pyotp.TOTP(secret)
    page.locator("#id_code").fill(totp.now())
    page.get_by_role("button", name="เปิดใช้งาน").click()
    assert page.locator(".recovery-codes li").count() == 8
    assert_accessible(page)
    switch_language(page, "en")
    assert_accessible(page)
    switch_language(page, "th")
    page.locator("header").get_by_role("button", name="ออกจากระบบ").click()
    # From the next login a code is asked after the password.
    page.goto("/accounts/login/")
    page.locator("#id_national_id").fill(member.national_id)
    page.locator("#id_password").fill(DEFAULT_PASSWORD)
    solve_robot_check(page)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    page.wait_for_url("**/accounts/login/code/")
    assert_accessible(page)
    # The enrolment used this 30-second step's code; as if the next step had come:
    TwoFactorDevice.objects.filter(member=member).update(last_used_step=0)
    page.locator("#id_code").fill(totp.now())
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    page.wait_for_url("**/")
    assert member.display_name in page.get_by_test_id("who").inner_text()

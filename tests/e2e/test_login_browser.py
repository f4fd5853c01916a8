from playwright.sync_api import expect

from tests.factories import DEFAULT_PASSWORD, MemberFactory


def test_acc_09_login_in_the_browser_with_the_robot_check(
    page, assert_accessible, solve_robot_check, switch_language
):
    """ACC-09: Login in the browser with the robot check."""
    member = MemberFactory()
    page.goto("/")
    assert_accessible(page)
    page.locator("header").get_by_role("link", name="เข้าสู่ระบบ").click()
    page.wait_for_url("**/accounts/login/")
    assert_accessible(page)
    page.get_by_label("เลขประจำตัวประชาชน (13 หลัก)").fill(member.national_id)
    page.locator("#id_password").fill(DEFAULT_PASSWORD)
    solve_robot_check(page)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    page.wait_for_url("**/")
    assert member.display_name in page.get_by_test_id("who").inner_text()
    switch_language(page, "en")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    assert_accessible(page)

"""What only a browser shows of the error summary: it takes the focus, and its links put the
focus in their fields."""


def test_the_error_summary_takes_the_focus_and_leads_to_the_field(
    page, solve_robot_check, assert_accessible
):
    page.goto("/accounts/login/")
    page.locator("#id_national_id").fill("123")
    page.locator("#id_password").fill("not the right one")
    solve_robot_check(page)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    page.wait_for_selector("[data-error-summary]")
    assert page.title().startswith("ข้อผิดพลาด:")
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    page.locator("[data-error-summary] a[href='#id_national_id']").click()
    assert page.evaluate("document.activeElement.id") == "id_national_id"
    assert page.locator("#id_national_id").input_value() == "123"
    assert_accessible(page)


def test_choosing_a_month_keeps_the_day_as_chosen(page):
    """ACC-02: "ไม่มี" for the day, then a month: the day stays as chosen (no field silently
    clears another); the server says what goes with what."""
    page.goto("/accounts/reopen/")
    page.locator("#id_birth_day").select_option("0")
    page.locator("#id_birth_month").select_option("6")
    assert page.locator("#id_birth_day").input_value() == "0"
    assert page.locator("#id_birth_month").input_value() == "6"

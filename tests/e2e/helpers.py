import re


def last_code(page, to: str) -> str:
    """Read the newest one-time password sent to `to` from the sandbox outbox, as a tester does."""
    messages = page.request.get(f"/sandbox/outbox.json?to={to}").json()["messages"]
    for message in messages:
        match = re.search(r"\b(\d{6})\b", message["body"])
        if match:
            return match.group(1)
    raise AssertionError(f"no code sent to {to}")


def login(page, solve_robot_check, national_id: str, password: str):
    page.goto("/accounts/login/")
    page.get_by_label("เลขประจำตัวประชาชน (13 หลัก)").fill(national_id)
    page.locator("#id_password").fill(password)
    solve_robot_check(page)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    page.wait_for_url(re.compile(r".*/$"))


def officer_login(page, solve_robot_check, officer, password: str):
    """Officers log in with their authenticator's code (SSO-04): one switched on earlier."""
    from tests.backoffice.helpers import enrol_authenticator

    totp = enrol_authenticator(officer)
    login(page, solve_robot_check, officer.national_id, password)
    page.wait_for_url("**/accounts/login/code/")
    page.locator("#id_code").fill(totp.now())
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    page.wait_for_url(lambda url: "/login/code/" not in url)

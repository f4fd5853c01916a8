"""The Content-Security-Policy holds in a real browser: the key pages, the robot check's
widget and its proof of work run without a single violation (issue 8)."""

from tests.factories import DEFAULT_PASSWORD, MemberFactory


def test_no_csp_violation_on_the_key_pages(page, solve_robot_check):
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text)
            if "Content Security Policy" in message.text
            or "Content-Security-Policy" in message.text
            else None
        ),
    )
    # Also what the page itself is told (a violation is reported even without a console line).
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e =>"
        " console.error('Content Security Policy: ' + e.violatedDirective + ' ' + e.blockedURI))"
    )
    member = MemberFactory()
    page.goto("/")
    page.goto("/accounts/register/")
    page.goto("/accounts/login/")
    page.get_by_label("เลขประจำตัวประชาชน (13 หลัก)").fill(member.national_id)
    page.locator("#id_password").fill(DEFAULT_PASSWORD)
    solve_robot_check(page)  # altcha's style (nonce) and its blob: worker
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    page.wait_for_url("**/")
    for url in ["/accounts/settings/", "/businesses/", "/services/", "/no-such-page/"]:
        page.goto(url)
        page.wait_for_load_state("load")
    assert violations == []

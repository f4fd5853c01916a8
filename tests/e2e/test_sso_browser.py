"""The whole single sign-on journey in a browser: a member logs in with two-factor
authentication, opens a service from the menu, consents, lands in the sample connected system
signed in as themselves for the chosen business (SSO-01, SSO-04, SSO-06, SVC-01, SVC-02), then
logging out of the portal ends the system's session too (SSO-07); the consent is withdrawn on
the sessions page (SSO-10)."""

import re

import pyotp
from playwright.sync_api import expect

from portal.identity.models import ConnectedSystem, TwoFactorDevice
from portal.identity.services import two_factor_confirm, two_factor_start
from portal.operators.services import business_add_myself
from portal.sandbox.connected_client import register_sample_clients
from tests.factories import (
    DEFAULT_PASSWORD,
    BusinessFactory,
    HoldingFactory,
    MemberFactory,
)


def member_with_two_businesses_and_2fa():
    member = MemberFactory()
    business_add_myself(member=member)
    company = BusinessFactory(name_th="บริษัท ส่งต่อระบบ จำกัด")
    HoldingFactory(member=member, business=company)
    _device, uri = two_factor_start(member=member)
    totp = pyotp.parse_uri(uri)
    two_factor_confirm(member=member, code=totp.now())
    TwoFactorDevice.objects.filter(member=member).update(last_used_step=0)
    return member, company, totp


def test_sso_01_svc_02_login_with_2fa_open_a_service_and_log_out_everywhere(
    page, live_server, solve_robot_check, assert_accessible, switch_language
):
    """SSO-01, SVC-02: Login with 2FA open a service and log out everywhere."""
    register_sample_clients([live_server.url])
    system = ConnectedSystem.objects.filter(needs_business=True, needs_factory=False).first()
    member, company, totp = member_with_two_businesses_and_2fa()

    page.goto("/accounts/login/")
    page.locator("#id_national_id").fill(member.national_id)
    page.locator("#id_password").fill(DEFAULT_PASSWORD)
    solve_robot_check(page)
    page.get_by_role("button", name="เข้าสู่ระบบ", exact=True).click()
    page.wait_for_url("**/accounts/login/code/")
    page.locator("#id_code").fill(totp.now())
    page.get_by_role("button", name="เข้าสู่ระบบ", exact=True).click()
    page.wait_for_url(re.compile(r".*/$"))

    page.goto("/services/")
    assert_accessible(page)
    page.locator(f"a[href='/services/{system.slug}/']").click()
    page.wait_for_url(f"**/services/{system.slug}/")
    assert_accessible(page)
    page.get_by_label(re.compile("บริษัท ส่งต่อระบบ จำกัด")).check()
    page.locator("main form button.button").click()
    page.wait_for_url(f"**/services/{system.slug}/consent/")
    assert_accessible(page)
    # The rest of the journey in English: the consent, the hand-off and the system's page.
    switch_language(page, "en")
    expect(page.get_by_role("button", name="I consent")).to_be_visible()
    assert_accessible(page)
    page.locator("button[name=answer][value=accept]").click()
    page.wait_for_url(f"**/services/{system.slug}/open/")
    assert page.get_by_test_id("open-system").inner_text().startswith("Open ")
    assert_accessible(page)

    # Opened by the member's own click, in a new tab: no popup blocker in the way.
    with page.context.expect_page() as opened:
        page.get_by_test_id("open-system").click()
    connected = opened.value
    connected.wait_for_url(f"**/sandbox/connected/{system.slug}/")
    assert member.first_name in connected.get_by_test_id("signed-in-name").inner_text()
    assert connected.get_by_test_id("signed-in-business").inner_text() == company.name_th
    assert company.registry_key in connected.get_by_test_id("userinfo-claims").inner_text()
    assert_accessible(connected)

    # The consent is on the sessions page.
    page.goto("/accounts/sessions/")
    assert page.locator("button[name=withdraw]").count() == 1
    assert_accessible(page)

    # Logging out of the portal (here through the provider's logout page, which asks first)
    # ends the connected system's session too (back-channel).
    page.goto("/oidc/logout/")
    assert_accessible(page)
    page.locator("main button[name=allow]").click()
    page.wait_for_url(re.compile(r".*/$"))
    expect(page.locator("header a[href='/accounts/login/']")).to_be_visible()
    connected.reload()
    expect(connected.get_by_test_id("signed-out")).to_be_visible()


def test_sso_07_logging_out_in_the_connected_system_logs_out_of_the_portal(
    page, live_server, solve_robot_check, assert_accessible
):
    """SSO-07: Logging out in the connected system logs out of the portal."""
    register_sample_clients([live_server.url])
    system = ConnectedSystem.objects.filter(needs_business=False).first() or (
        ConnectedSystem.objects.first()
    )
    member = MemberFactory()
    business_add_myself(member=member)
    # The system starts the login itself (not from the menu): the portal asks the member to
    # log in, then for consent, then sends them back.
    page.goto(f"/sandbox/connected/{system.slug}/")
    page.locator("main a.button").click()
    page.wait_for_url("**/accounts/login/**")
    page.locator("#id_national_id").fill(member.national_id)
    page.locator("#id_password").fill(DEFAULT_PASSWORD)
    solve_robot_check(page)
    page.get_by_role("button", name="เข้าสู่ระบบ", exact=True).click()
    page.wait_for_url("**/oidc/authorize/**")
    assert_accessible(page)
    page.locator("button[name=allow]").click()
    page.wait_for_url(f"**/sandbox/connected/{system.slug}/")
    expect(page.get_by_test_id("signed-in")).to_be_visible()
    page.locator("main form button").click()
    page.wait_for_url(f"**/sandbox/connected/{system.slug}/")
    expect(page.get_by_test_id("signed-out")).to_be_visible()
    page.goto("/accounts/sessions/")
    page.wait_for_url("**/accounts/login/**")

"""SSO-08: the journeys that matter most, in Firefox ESR and in WebKitGTK (Safari's engine) as
well as in Chromium (whose Playwright versions are tests/e2e/test_sso_browser.py and
test_two_factor_browser.py): logging in with a second factor, the hand-off to a connected
system, and logging out, which ends the connected system's session too. The same journey code
runs in each engine (tests/e2e/engines/pages.py)."""

import re

import pytest

from portal.identity.models import ConnectedSystem
from portal.operators.services import business_add_myself
from portal.sandbox.connected_client import register_sample_clients
from tests.e2e.engines.pages import EnginePage
from tests.e2e.test_sso_browser import member_with_two_businesses_and_2fa
from tests.factories import DEFAULT_PASSWORD, MemberFactory

pytestmark = pytest.mark.filterwarnings(
    # Selenium 4.50's own WebKitGTK driver sets the deprecated argument it warns about.
    "ignore:setting remote_server_addr in RemoteConnection:DeprecationWarning"
)
HOME = re.compile(r"https?://[^/]+/")
LOG_IN = "form:has(#id_national_id) button[type=submit]"


def assert_accessible(page: EnginePage):
    # axe-core on a few pages only: the Chromium tests check every page of these journeys, and
    # each run costs a second.
    violations = page.axe_violations()
    assert violations == [], f"{page.engine}: " + "\n".join(violations)


def solve_robot_check(page: EnginePage):
    """Tick "I am not a robot" by its label, as a person does, and wait for the proof of work."""
    page.click("altcha-widget label")
    page.wait_for_condition(
        "() => (document.querySelector('input[name=robot]').value || '').length > 20",
        "the robot check's proof of work",
    )


def log_in(page: EnginePage, member, totp=None):
    page.wait_for("#id_national_id")
    page.fill("#id_national_id", member.national_id)
    page.fill("#id_password", DEFAULT_PASSWORD)
    solve_robot_check(page)
    page.click(LOG_IN)
    if totp is not None:
        page.wait_for_url("/accounts/login/code/")
        assert_accessible(page)
        page.fill("#id_code", totp.now())
        page.click("form:has(#id_code) button[type=submit]")


def test_sso_08_log_in_with_two_factor_hand_off_to_a_system_and_log_out_everywhere(
    engine_page, live_server
):
    """SSO-08 (with SSO-04, SSO-06, SSO-07, SVC-02): in Firefox and WebKit, a member logs in
    with their authenticator's code, opens a service for one of their two businesses, consents,
    is signed in to the connected system in a new tab as that business, then logs out of the
    portal, which ends the system's session too."""
    page = engine_page
    register_sample_clients([live_server.url])
    system = ConnectedSystem.objects.filter(needs_business=True, needs_factory=False).first()
    member, company, totp = member_with_two_businesses_and_2fa()

    page.goto("/accounts/login/")
    log_in(page, member, totp)
    page.wait_for_url(HOME)
    assert member.display_name in page.text("[data-testid=who]")
    assert page.call("() => document.documentElement.lang") == "th"  # Thai first

    page.goto("/services/")
    page.click(f"a[href='/services/{system.slug}/']")
    page.wait_for_url(f"/services/{system.slug}/")
    page.click("label", text=company.name_th)
    page.click("main form button.button")
    page.wait_for_url(f"/services/{system.slug}/consent/")
    assert_accessible(page)
    page.click("button[name=answer][value=accept]")
    page.wait_for_url(f"/services/{system.slug}/open/")

    # Opened by the member's own click, in a new tab: no popup blocker in the way.
    connected = page.click_to_open_tab("[data-testid=open-system]")
    connected.wait_for_url(f"/sandbox/connected/{system.slug}/")
    assert member.first_name in connected.text("[data-testid=signed-in-name]")
    assert connected.text("[data-testid=signed-in-business]") == company.name_th
    assert company.registry_key in connected.text("[data-testid=userinfo-claims]")
    assert_accessible(connected)

    page.goto("/accounts/sessions/")
    assert page.count("button[name=withdraw]") == 1

    # The header's "Log out": the portal's session ends, and so does the system's.
    page.click("header form[action='/accounts/logout/'] button")
    page.wait_for_url(HOME)
    assert page.is_visible("header a[href='/accounts/login/']")
    connected.reload()
    assert connected.is_visible("[data-testid=signed-out]")
    assert not connected.is_visible("[data-testid=signed-in]")


def test_sso_08_a_system_starts_the_login_and_its_logout_ends_the_portal_session(
    engine_page, live_server
):
    """SSO-08 (with SSO-07): in Firefox and WebKit, the connected system sends the member to
    the portal to log in and consent, gets them back signed in, and logging out in the system
    logs them out of the portal too."""
    page = engine_page
    register_sample_clients([live_server.url])
    system = ConnectedSystem.objects.filter(needs_business=False).first()
    member = MemberFactory()
    business_add_myself(member=member)

    page.goto(f"/sandbox/connected/{system.slug}/")
    page.click("main a.button")
    page.wait_for_url("/accounts/login/")
    assert_accessible(page)
    log_in(page, member)
    page.wait_for_url("/oidc/authorize/")
    assert_accessible(page)
    page.click("button[name=allow]")
    page.wait_for_url(f"/sandbox/connected/{system.slug}/")
    assert page.is_visible("[data-testid=signed-in]")

    page.click("main form button")
    page.wait_for_condition(
        "() => !!document.querySelector('[data-testid=signed-out]')", "the system's logged-out page"
    )
    page.goto("/accounts/sessions/")
    page.wait_for_url("/accounts/login/")

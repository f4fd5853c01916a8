"""The sandbox's simulated authenticator app and the demo officer who needs it (SSO-04)."""

import pyotp
import pytest
from django.conf import settings

from portal.accounts.selectors import member_by_national_id
from portal.core.thaiid import decrypt_text
from portal.identity.models import TwoFactorDevice
from portal.identity.selectors import two_factor_enabled
from portal.identity.services import two_factor_start
from portal.sandbox.demo import demo_accounts_ensure
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def _totp(member) -> pyotp.TOTP:
    device = TwoFactorDevice.objects.get(member=member)
    return pyotp.TOTP(decrypt_text(device.secret_encrypted))


def test_sso_04_the_sandbox_authenticator_shows_the_members_current_code(client):
    """SSO-04: the page plays the member's phone: the code their app shows now, found by a
    POSTed ID (never in the address)."""
    member = MemberFactory()
    two_factor_start(member=member)
    response = client.post("/sandbox/authenticator/", {"national_id": member.national_id})
    assert response.status_code == 200
    shown = response.context["shown"]
    assert _totp(member).verify(shown["code"], valid_window=1)
    assert 1 <= shown["seconds"] <= 30
    assert shown["code"] in response.content.decode()
    assert member.national_id not in response.request["PATH_INFO"]


def test_sso_04_the_sandbox_authenticator_says_when_there_is_no_app(client):
    """SSO-04: a member without an authenticator, or an unknown ID, is a field error."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    member = MemberFactory()
    response = client.post("/sandbox/authenticator/", {"national_id": member.national_id})
    assert response.status_code == 400
    assert response.context["shown"] is None
    assert response.context["form"].errors["national_id"] == [
        "No member with this ID has set up an authenticator app."
    ]


def test_sso_04_the_demo_officer_has_an_authenticator_played_by_the_sandbox(world):
    """SSO-04: officers log in with two factors; the demo officer of `make run` has an
    authenticator already, and the login list says where its code is."""
    for _ in range(4):
        world.add_citizen()
    world.add_citizen(birth_day=None, birth_month=None)
    logins = demo_accounts_ensure()
    officer_login = next(login for login in logins if login.role == "officer")
    officer = member_by_national_id(pid=officer_login.pid)
    assert officer.is_officer
    assert two_factor_enabled(member=officer)
    assert officer_login.note == "second factor: the code at /sandbox/authenticator/"
    # Running the setup again (every `make run`) keeps the same authenticator.
    secret = TwoFactorDevice.objects.get(member=officer).secret_encrypted
    demo_accounts_ensure()
    assert TwoFactorDevice.objects.get(member=officer).secret_encrypted == secret

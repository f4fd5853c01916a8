"""SSO-04 with issue 8's rule for throttles: wrong codes count, right codes never do."""

import time
from types import SimpleNamespace

import pyotp
import pytest
from django.utils import timezone

from portal.core import ratelimit
from portal.core.ratelimit import rate_limit_count
from portal.core.thaiid import encrypt_text
from portal.identity import services
from portal.identity.models import TwoFactorDevice
from portal.identity.services import TwoFactorError
from tests.accounts.helpers import login
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def totp_clock(monkeypatch):
    """The authenticator's clock (the code's time step), moved by the test."""
    clock = SimpleNamespace(now=time.time())
    monkeypatch.setattr(services, "time", SimpleNamespace(time=lambda: clock.now))
    return clock


@pytest.fixture
def device():
    member = MemberFactory()
    secret = pyotp.random_base32()
    TwoFactorDevice.objects.create(
        member=member, secret_encrypted=encrypt_text(secret), confirmed_at=timezone.now()
    )
    return member, pyotp.TOTP(secret)


def _failures(member) -> int:
    return rate_limit_count(scope="totp", key=f"m{member.pk}")


def test_sso_04_right_codes_never_count(device, totp_clock):
    """SSO-04: Issue 8: a correct code was refused for 6 minutes after five logins. Twelve logins
    with right codes in a row: all accepted, nothing counted."""
    member, totp = device
    for _login in range(12):
        totp_clock.now += 30
        assert services.two_factor_verify(member=member, code=totp.at(totp_clock.now)) == "totp"
    assert _failures(member) == 0


def test_sso_04_a_right_code_passes_after_four_wrong_ones(device, totp_clock):
    """SSO-04: A right code passes after four wrong ones."""
    member, totp = device
    for _wrong in range(4):
        with pytest.raises(TwoFactorError) as error:
            services.two_factor_verify(member=member, code="000000")
        assert error.value.code == "wrong"
    assert services.two_factor_verify(member=member, code=totp.at(totp_clock.now)) == "totp"
    assert _failures(member) == 4


def test_sso_04_five_wrong_codes_hold_even_the_right_one_for_the_window(
    device, totp_clock, monkeypatch
):
    """SSO-04: Five wrong codes hold even the right one for the window."""
    member, totp = device
    start = ratelimit.now_ms()
    monkeypatch.setattr(ratelimit, "now_ms", lambda: start)
    for _wrong in range(5):
        with pytest.raises(TwoFactorError):
            services.two_factor_verify(member=member, code="000000")
    with pytest.raises(TwoFactorError) as refused:
        services.two_factor_verify(member=member, code=totp.at(totp_clock.now))
    assert refused.value.code == "limited"
    assert TwoFactorDevice.objects.get(member=member).last_used_step == 0  # nothing used
    assert _failures(member) == 5
    # The window is the promised 5 minutes, counted from the first wrong code.
    monkeypatch.setattr(ratelimit, "now_ms", lambda: start + 299_999)
    with pytest.raises(TwoFactorError):
        services.two_factor_verify(member=member, code=totp.at(totp_clock.now))
    monkeypatch.setattr(ratelimit, "now_ms", lambda: start + 300_000)
    assert services.two_factor_verify(member=member, code=totp.at(totp_clock.now)) == "totp"
    assert _failures(member) == 0


def test_sso_04_a_replayed_code_is_refused_but_not_counted(device, totp_clock):
    """SSO-04: A replayed code is refused but not counted."""
    member, totp = device
    code = totp.at(totp_clock.now)
    assert services.two_factor_verify(member=member, code=code) == "totp"
    with pytest.raises(TwoFactorError) as replayed:
        services.two_factor_verify(member=member, code=code)
    assert replayed.value.code == "replayed"
    assert _failures(member) == 0


def test_sso_04_wrong_recovery_codes_count_at_the_login_step_a_right_code_does_not(
    device, client, robot
):
    """SSO-04: Wrong recovery codes count at the login step a right code does not."""
    member, totp = device
    login(client, robot, member.national_id)
    for _wrong in range(2):
        client.post("/accounts/login/code/", {"code": "12345678"})
    assert _failures(member) == 2
    response = client.post("/accounts/login/code/", {"code": totp.now()})
    assert response.status_code == 302 and "_auth_user_id" in client.session
    assert _failures(member) == 2

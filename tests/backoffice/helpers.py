import pyotp
from django.test import Client
from django.utils import timezone

from portal.core.thaiid import encrypt_text
from portal.identity.models import TwoFactorDevice
from tests.accounts.helpers import login


def enrol_authenticator(member) -> pyotp.TOTP:
    """An authenticator app the member switched on earlier (SSO-04); its codes are unused."""
    secret = pyotp.random_base32()
    TwoFactorDevice.objects.update_or_create(
        member=member,
        defaults={
            "secret_encrypted": encrypt_text(secret),
            "confirmed_at": timezone.now(),
            "last_used_step": 0,
        },
    )
    return pyotp.TOTP(secret)


def signed_in(robot, member, *, second_factor: bool | None = None) -> Client:
    """A client of its own, signed in as this member or officer. Officers log in with their
    authenticator's code (they cannot reach the back office otherwise); second_factor=False
    signs an officer in with the password alone."""
    client = Client()
    if second_factor is None:
        second_factor = member.is_officer
    if second_factor:
        totp = enrol_authenticator(member)
    response = login(client, robot, member.national_id)
    if second_factor:
        assert response.url == "/accounts/login/code/", response
        response = client.post("/accounts/login/code/", {"code": totp.now()})
        assert response.status_code == 302, response
    return client

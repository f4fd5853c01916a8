import time

import pyotp
import pytest
from django.test import Client
from django.utils import translation

from portal.core.models import AuditEntry
from portal.core.thaiid import decrypt_text
from portal.identity.models import TwoFactorDevice
from tests.accounts.helpers import login
from tests.backoffice.helpers import signed_in
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def code_now(member, offset=0):
    device = TwoFactorDevice.objects.get(member=member)
    return pyotp.TOTP(decrypt_text(device.secret_encrypted)).at(time.time() + offset)


def enrol(client, member) -> list[str]:
    client.post("/accounts/two-factor/", {"action": "start"})
    page = client.get("/accounts/two-factor/")
    assert "<svg" in page.content.decode()  # the QR code
    client.post("/accounts/two-factor/", {"code": code_now(member)})
    return client.get("/accounts/two-factor/recovery-codes/").context["codes"]


@pytest.fixture
def enrolled(client, robot):
    member = MemberFactory()
    login(client, robot, member.national_id)
    codes = enrol(client, member)
    client.post("/accounts/logout/")
    return member, codes


def test_sso_04_enrol_by_qr_and_first_code_then_every_login_asks_a_code(client, robot, enrolled):
    """SSO-04: Enrol by QR and first code then every login asks a code."""
    member, codes = enrolled
    assert len(codes) == 8
    response = login(client, robot, member.national_id)
    assert response["Location"] == "/accounts/login/code/"
    assert "_auth_user_id" not in client.session  # the password alone logs nobody in
    # The same code as at enrolment (same 30 s step) is not accepted twice.
    wrong = client.post("/accounts/login/code/", {"code": "000000"})
    assert wrong.context["form"].errors["code"]
    TwoFactorDevice.objects.filter(member=member).update(last_used_step=0)
    response = client.post("/accounts/login/code/", {"code": code_now(member)})
    assert response.status_code == 302 and "_auth_user_id" in client.session
    assert AuditEntry.objects.filter(action="two_factor.on").count() == 1


def test_sso_04_a_code_is_accepted_once(client, robot, enrolled):
    """SSO-04: A code is accepted once."""
    member, _codes = enrolled
    TwoFactorDevice.objects.filter(member=member).update(last_used_step=0)
    code = code_now(member)
    login(client, robot, member.national_id)
    assert client.post("/accounts/login/code/", {"code": code}).status_code == 302
    other = Client()
    login(other, robot, member.national_id)
    replay = other.post("/accounts/login/code/", {"code": code})
    assert replay.status_code == 200 and "_auth_user_id" not in other.session


def test_sso_04_an_expired_code_is_refused(client, robot, enrolled):
    """SSO-04: An expired code is refused."""
    member, _codes = enrolled
    TwoFactorDevice.objects.filter(member=member).update(last_used_step=0)
    login(client, robot, member.national_id)
    old = client.post("/accounts/login/code/", {"code": code_now(member, offset=-120)})
    assert old.status_code == 200 and "_auth_user_id" not in client.session


def test_sso_04_guessing_codes_is_throttled(client, robot, enrolled):
    """SSO-04: Guessing codes is throttled."""
    member, _codes = enrolled
    TwoFactorDevice.objects.filter(member=member).update(last_used_step=0)
    login(client, robot, member.national_id)
    for _ in range(5):
        client.post("/accounts/login/code/", {"code": "000001"})
    blocked = client.post("/accounts/login/code/", {"code": code_now(member)})
    assert blocked.status_code == 200 and "_auth_user_id" not in client.session


def test_sso_04_recovery_codes_work_once(client, robot, enrolled):
    """SSO-04: Recovery codes work once."""
    member, codes = enrolled
    login(client, robot, member.national_id)
    assert client.post("/accounts/login/code/", {"code": codes[0]}).status_code == 302
    other = Client()
    login(other, robot, member.national_id)
    assert other.post("/accounts/login/code/", {"code": codes[0]}).status_code == 200
    assert "_auth_user_id" not in other.session


def test_sso_04_switch_off_needs_a_fresh_code(client, robot, enrolled):
    """SSO-04: Switch off needs a fresh code."""
    member, codes = enrolled
    login(client, robot, member.national_id)
    client.post("/accounts/login/code/", {"code": codes[1]})
    refused = client.post("/accounts/two-factor/", {"code": "000000"})
    assert refused.context["form"].errors["code"]
    assert TwoFactorDevice.objects.filter(member=member).exists()
    TwoFactorDevice.objects.filter(member=member).update(last_used_step=0)
    client.post("/accounts/two-factor/", {"code": code_now(member)})
    assert not TwoFactorDevice.objects.filter(member=member).exists()


def test_acc_11_a_password_reset_does_not_bypass_the_second_factor(client, robot, enrolled):
    """ACC-11: A password reset does not bypass the second factor."""
    member, _codes = enrolled
    client.post("/accounts/reset/", {"national_id": member.national_id, "robot": robot(client)})
    client.post("/accounts/reset/channel/", {"channel": "birth_date"})
    client.post("/accounts/reset/birth-date/", {"birth_date": "19062527"})
    client.post(
        "/accounts/reset/password/", {"password1": "NewPass#2569", "password2": "NewPass#2569"}
    )
    response = login(client, robot, member.national_id, password="NewPass#2569")
    assert response["Location"] == "/accounts/login/code/"
    assert "_auth_user_id" not in client.session


def test_sso_04_an_officer_resets_it_after_checking_identity(enrolled, robot, officer_factory):
    """SSO-04: An officer resets it after checking identity."""
    member, _codes = enrolled
    officer = officer_factory(agency="OPS", permissions=["identity.reset_two_factor"])
    desk = signed_in(robot, officer)
    missing = desk.post(
        "/backoffice/two-factor-reset/", {"national_id": member.national_id, "identity_checked": ""}
    )
    assert missing.context["form"].errors["identity_checked"]
    desk.post(
        "/backoffice/two-factor-reset/",
        {"national_id": member.national_id, "identity_checked": "เห็นบัตรประชาชนตัวจริงที่เคาน์เตอร์"},
    )
    assert not TwoFactorDevice.objects.filter(member=member).exists()
    entry = AuditEntry.objects.get(action="two_factor.reset")
    assert entry.actor == officer and entry.after["identity_checked"].startswith("เห็นบัตร")
    assert login(Client(), robot, member.national_id)["Location"] != "/accounts/login/code/"


def test_sso_04_officer_reset_needs_the_permission(enrolled, robot, officer_factory):
    """SSO-04: Officer reset needs the permission."""
    member, _codes = enrolled
    for desk_member in (MemberFactory(), officer_factory(agency="OPS", permissions=())):
        desk = signed_in(robot, desk_member)
        response = desk.post(
            "/backoffice/two-factor-reset/",
            {"national_id": member.national_id, "identity_checked": "x"},
        )
        assert response.status_code == 404
    assert TwoFactorDevice.objects.filter(member=member).exists()


# --- keeping the recovery codes (SSO-04, issue 9) ----------------------------------------------


def test_sso_04_recovery_codes_download_as_a_text_file_not_cached(client, robot):
    """SSO-04: the new recovery codes download as a text attachment that no cache keeps, and
    the page offers a print button (with its script, no inline JS)."""
    member = MemberFactory()
    login(client, robot, member.national_id)
    codes = enrol(client, member)
    page = client.get("/accounts/two-factor/recovery-codes/")
    html = page.content.decode()
    assert page["Cache-Control"] == "no-store, private"
    assert 'href="/accounts/two-factor/recovery-codes/download/"' in html
    assert "data-print" in html and "core/js/print" in html
    response = client.get("/accounts/two-factor/recovery-codes/download/")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="i-industry-recovery-codes.txt"'
    )
    assert response["Cache-Control"] == "no-store, private"
    body = response.content.decode()
    assert [line for line in body.split("\r\n") if line.isdigit()] == codes
    assert len(codes) == 8


def test_sso_04_recovery_codes_leave_the_session_once_kept(client, robot):
    """SSO-04: "I have kept them" removes the codes from the session: neither the page nor
    the download shows them again; another member never gets them."""
    member = MemberFactory()
    login(client, robot, member.national_id)
    enrol(client, member)
    other = Client()
    login(other, robot, MemberFactory().national_id)
    assert other.get("/accounts/two-factor/recovery-codes/download/")["Location"] == (
        "/accounts/two-factor/"
    )
    kept = client.post("/accounts/two-factor/recovery-codes/")
    assert kept.status_code == 302 and kept["Location"] == "/accounts/settings/"
    assert "two_factor_recovery_codes" not in client.session
    assert client.get("/accounts/two-factor/recovery-codes/")["Location"] == "/accounts/two-factor/"
    download = client.get("/accounts/two-factor/recovery-codes/download/")
    assert download.status_code == 302 and download["Location"] == "/accounts/two-factor/"


def test_sso_04_recovery_codes_are_not_shown_after_ten_minutes(client, robot):
    """SSO-04: the codes stay in the session only ten minutes."""
    member = MemberFactory()
    login(client, robot, member.national_id)
    enrol(client, member)
    session = client.session
    session["two_factor_recovery_codes"]["at"] -= 601
    session.save()
    response = client.get("/accounts/two-factor/recovery-codes/download/")
    assert response["Location"] == "/accounts/two-factor/"
    assert "two_factor_recovery_codes" not in client.session


def test_sso_04_the_member_is_told_how_many_recovery_codes_remain(client, robot, enrolled):
    """SSO-04: logging in with a recovery code says how many are left; the 2FA page counts
    the unused ones."""
    member, codes = enrolled
    login(client, robot, member.national_id)
    response = client.post("/accounts/login/code/", {"code": codes[0]}, follow=True)
    shown = [str(m) for m in response.context["messages"]]
    with translation.override("th"):
        expected = translation.ngettext(
            "You logged in with a recovery code. %(n)d recovery code is left.",
            "You logged in with a recovery code. %(n)d recovery codes are left.",
            7,
        ) % {"n": 7}
    assert shown == [expected]
    page = client.get("/accounts/two-factor/")
    assert page.context["codes_left"] == 7

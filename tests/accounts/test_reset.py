from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from portal.accounts.models import OneTimePassword
from tests.accounts.helpers import login
from tests.factories import make_pid

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "NewPass#2569"


def start_reset(client, robot, national_id):
    return client.post("/accounts/reset/", {"national_id": national_id, "robot": robot(client)})


def choose(client, channel):
    return client.post("/accounts/reset/channel/", {"channel": channel})


def finish(client, password=NEW_PASSWORD):
    return client.post("/accounts/reset/password/", {"password1": password, "password2": password})


def test_acc_11_reset_by_sms_otp(client, robot, member_factory, outbox):
    """ACC-11: Reset by SMS OTP."""
    member = member_factory(verified=True)
    assert start_reset(client, robot, member.national_id).status_code == 302
    assert choose(client, "sms")["Location"] == "/accounts/reset/verify/"
    code = outbox.last_code(member.mobile)
    response = client.post("/accounts/reset/verify/", {"code": code, "verify": "1"})
    assert response["Location"] == "/accounts/reset/password/"
    assert finish(client)["Location"] == "/accounts/login/"
    member.refresh_from_db()
    assert member.check_password(NEW_PASSWORD)


def test_acc_11_reset_by_email_otp(client, robot, member_factory, outbox):
    """ACC-11: Reset by email OTP."""
    member = member_factory(verified=True)
    start_reset(client, robot, member.national_id)
    choose(client, "email")
    code = outbox.last_code(member.email)
    client.post("/accounts/reset/verify/", {"code": code, "verify": "1"})
    finish(client)
    member.refresh_from_db()
    assert member.check_password(NEW_PASSWORD)


def test_acc_11_reset_by_birth_date_in_buddhist_era(client, robot, member_factory):
    """ACC-11: Reset by birth date in buddhist era."""
    member = member_factory(birth_day=19, birth_month=6, birth_year_be=2527)
    start_reset(client, robot, member.national_id)
    choose(client, "birth_date")
    wrong = client.post("/accounts/reset/birth-date/", {"birth_date": "19061984"})
    assert wrong.context["form"].errors["birth_date"]
    right = client.post("/accounts/reset/birth-date/", {"birth_date": "19062527"})
    assert right["Location"] == "/accounts/reset/password/"
    finish(client)
    member.refresh_from_db()
    assert member.check_password(NEW_PASSWORD)


def test_acc_11_unknown_day_and_month_typed_as_zeros(client, robot, member_factory):
    """ACC-11: Unknown day and month typed as zeros."""
    member = member_factory(birth_day=None, birth_month=None, birth_year_be=2483)
    start_reset(client, robot, member.national_id)
    choose(client, "birth_date")
    response = client.post("/accounts/reset/birth-date/", {"birth_date": "00002483"})
    assert response["Location"] == "/accounts/reset/password/"


def test_acc_11_only_verified_channels_are_offered(client, robot, member_factory):
    """ACC-11: Only verified channels are offered."""
    member = member_factory()  # mobile and email not verified
    start_reset(client, robot, member.national_id)
    page = client.get("/accounts/reset/channel/")
    assert [value for value, _ in page.context["form"].fields["channel"].choices] == ["birth_date"]
    assert choose(client, "sms").context["form"].errors["channel"]


def test_acc_11_unknown_id_sees_the_same_page_as_a_member_without_channels(
    client, robot, member_factory
):
    """ACC-11: Unknown ID sees the same page as a member without channels."""
    start_reset(client, robot, make_pid())
    page = client.get("/accounts/reset/channel/")
    assert [value for value, _ in page.context["form"].fields["channel"].choices] == ["birth_date"]
    choose(client, "birth_date")
    response = client.post("/accounts/reset/birth-date/", {"birth_date": "19062527"})
    assert response.context["form"].errors["birth_date"]


def test_acc_11_robot_check_is_required(client, member_factory):
    """ACC-11: Robot check is required."""
    member = member_factory(verified=True)
    response = client.post("/accounts/reset/", {"national_id": member.national_id})
    assert response.context["form"].errors["robot"]


def test_acc_11_steps_cannot_be_skipped(client, robot, member_factory):
    """ACC-11: Steps cannot be skipped."""
    member = member_factory(verified=True)
    start_reset(client, robot, member.national_id)
    choose(client, "sms")
    response = finish(client)
    assert response["Location"] == "/accounts/reset/"
    member.refresh_from_db()
    assert not member.check_password(NEW_PASSWORD)


def test_acc_11_birth_date_guesses_are_limited(client, robot, member_factory):
    """ACC-11: Birth date guesses are limited."""
    member = member_factory()
    start_reset(client, robot, member.national_id)
    choose(client, "birth_date")
    for _ in range(5):
        client.post("/accounts/reset/birth-date/", {"birth_date": "01012500"})
    response = client.post("/accounts/reset/birth-date/", {"birth_date": "19062527"})
    assert response.status_code == 200
    assert (
        "hour" in " ".join(response.context["form"].errors["birth_date"])
        or response.context["form"].errors["birth_date"]
    )


def test_acc_11_other_sessions_end_and_verified_channels_are_told(
    client, robot, member_factory, outbox
):
    """ACC-11: Other sessions end and verified channels are told."""
    member = member_factory(verified=True)
    other = Client()
    login(other, robot, member.national_id)
    assert other.get("/accounts/settings/").status_code == 200
    start_reset(client, robot, member.national_id)
    choose(client, "birth_date")
    client.post("/accounts/reset/birth-date/", {"birth_date": "19062527"})
    finish(client)
    assert other.get("/accounts/settings/").status_code == 302  # logged out
    sent_to = {m.to for m in outbox.messages()}
    assert {member.mobile, member.email} <= sent_to


def test_acc_12_code_is_six_digits_from_a_named_sender_with_life_shown(
    client, robot, member_factory, outbox, settings
):
    """ACC-12: Code is six digits from a named sender with life shown."""
    member = member_factory(verified=True)
    start_reset(client, robot, member.national_id)
    choose(client, "sms")
    sms = outbox.messages(to=member.mobile)[0]
    assert sms.sender in ("iIDS", "i-ind")
    assert len(outbox.last_code(member.mobile)) == 6
    page = client.get("/accounts/reset/verify/").content.decode()
    assert f'data-expires-in="{settings.OTP_LIFETIME_SECONDS}"' in page or "data-expires-in" in page


def test_acc_12_code_is_single_use(client, robot, member_factory, outbox):
    """ACC-12: Code is single use."""
    member = member_factory(verified=True)
    start_reset(client, robot, member.national_id)
    choose(client, "sms")
    code = outbox.last_code(member.mobile)
    client.post("/accounts/reset/verify/", {"code": code, "verify": "1"})
    otp = OneTimePassword.objects.get()
    assert otp.used_at is not None
    from portal.accounts.services import AccountError, otp_verify

    with pytest.raises(AccountError) as error:
        otp_verify(otp_id=otp.pk, member=member, code=code, purpose="reset_password")
    assert error.value.code == "used"


def test_acc_12_expired_code_is_refused(client, robot, member_factory, outbox):
    """ACC-12: Expired code is refused."""
    member = member_factory(verified=True)
    start_reset(client, robot, member.national_id)
    choose(client, "sms")
    code = outbox.last_code(member.mobile)
    OneTimePassword.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.post("/accounts/reset/verify/", {"code": code, "verify": "1"})
    assert response.status_code == 200
    assert response.context["form"].errors["code"]


def test_acc_12_limited_tries(client, robot, member_factory, outbox, settings):
    """ACC-12: Limited tries."""
    member = member_factory(verified=True)
    start_reset(client, robot, member.national_id)
    choose(client, "sms")
    code = outbox.last_code(member.mobile)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(settings.OTP_MAX_ATTEMPTS):
        client.post("/accounts/reset/verify/", {"code": wrong, "verify": "1"})
    response = client.post("/accounts/reset/verify/", {"code": code, "verify": "1"})
    assert response.status_code == 200
    assert OneTimePassword.objects.get().used_at is None


def test_acc_12_resend_waits_for_the_cool_down(client, robot, member_factory, outbox):
    """ACC-12: Resend waits for the cool down."""
    member = member_factory(verified=True)
    start_reset(client, robot, member.national_id)
    choose(client, "sms")
    response = client.post("/accounts/reset/verify/", {"resend": "1"})
    assert response.status_code == 200
    assert len(outbox.messages(to=member.mobile)) == 1
    OneTimePassword.objects.update(created_at=timezone.now() - timedelta(minutes=2))
    client.post("/accounts/reset/verify/", {"resend": "1"})
    assert len(outbox.messages(to=member.mobile)) == 2
    # The older code no longer works once a new one was sent.
    first, second = OneTimePassword.objects.order_by("id")
    assert first.used_at is not None and second.used_at is None


def test_acc_12_codes_per_hour_are_capped(member_factory, settings):
    """ACC-12: Codes per hour are capped."""
    from portal.accounts.services import AccountError, otp_issue

    settings.OTP_RESEND_COOLDOWN_SECONDS = 0
    member = member_factory(verified=True)
    for _ in range(settings.OTP_MAX_SENDS_PER_HOUR):
        otp_issue(member=member, purpose="reset_password", channel="sms", destination=member.mobile)
    with pytest.raises(AccountError):
        otp_issue(member=member, purpose="reset_password", channel="sms", destination=member.mobile)


def test_sso_03_email_code_lives_at_most_ten_minutes(member_factory, settings):
    """SSO-03: Email code lives at most ten minutes."""
    from portal.accounts.services import otp_issue

    member = member_factory(verified=True)
    otp = otp_issue(
        member=member, purpose="reset_password", channel="email", destination=member.email
    )
    assert otp.expires_at - otp.created_at <= timedelta(minutes=10)


def test_acc_11_the_code_page_says_where_the_code_went_masked(client, robot, member_factory):
    """ACC-11: the reset code page shows the destination, masked (08x-xxx-x678,
    s***@example.com), never in full."""
    member = member_factory(verified=True, mobile="0812345678", email="somchai@example.com")
    start_reset(client, robot, member.national_id)
    choose(client, "sms")
    page = client.get("/accounts/reset/verify/")
    assert page.context["destination"] == "08x-xxx-x678"
    assert "<strong>08x-xxx-x678</strong>" in page.content.decode()
    assert "0812345678" not in page.content.decode()
    choose(client, "email")
    page = client.get("/accounts/reset/verify/")
    assert page.context["destination"] == "s***@example.com"
    assert "somchai@" not in page.content.decode()


def test_acc_12_the_resend_wait_is_per_channel(client, robot, member_factory, outbox):
    """ACC-12: a code just sent by SMS does not hold back a code by email; the same channel
    still waits for its cool-down."""
    member = member_factory(verified=True)
    start_reset(client, robot, member.national_id)
    assert choose(client, "sms")["Location"] == "/accounts/reset/verify/"
    assert choose(client, "email")["Location"] == "/accounts/reset/verify/"
    assert len(outbox.messages(to=member.mobile)) == 1
    assert len(outbox.messages(to=member.email)) == 1
    again = choose(client, "sms")
    assert again.status_code == 200
    assert again.context["form"].non_field_errors()
    assert len(outbox.messages(to=member.mobile)) == 1
    assert OneTimePassword.objects.filter(member=member, channel="sms").count() == 1

"""Issue 8: uniqueness among verified contacts, and nothing but a verification code goes
to a contact that is not verified."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from portal.accounts import services
from portal.accounts.models import OneTimePassword
from portal.accounts.services import AccountError
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def test_acc_06_two_verified_members_cannot_hold_one_mobile():
    """ACC-06: Two verified members cannot hold one mobile."""
    MemberFactory(mobile="0811110000", verified=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        MemberFactory(mobile="0811110000", verified=True)


def test_acc_06_two_verified_members_cannot_hold_one_email_in_any_case():
    """ACC-06: Two verified members cannot hold one email in any case."""
    MemberFactory(email="a@example.com", verified=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        MemberFactory(email="A@Example.COM", verified=True)


def test_acc_06_unverified_copies_are_allowed_beside_a_verified_one():
    """ACC-06: Unverified copies are allowed beside a verified one."""
    holder = MemberFactory(mobile="0811110000", email="a@example.com", verified=True)
    MemberFactory(mobile="0811110000", email="A@example.com")
    MemberFactory(mobile="0811110000", email="a@EXAMPLE.com")
    holder.refresh_from_db()
    assert holder.mobile_verified and holder.email_verified


def test_acc_11_a_reset_code_goes_only_to_a_verified_contact(outbox):
    """ACC-11: A reset code goes only to a verified contact."""
    member = MemberFactory(mobile_verified_at=None, email_verified_at=timezone.now())
    with pytest.raises(AccountError) as refused:
        services.otp_issue(
            member=member,
            purpose=OneTimePassword.Purpose.RESET_PASSWORD,
            channel=OneTimePassword.Channel.SMS,
            destination=member.mobile,
        )
    assert refused.value.code == "unverified"
    assert not OneTimePassword.objects.filter(member=member).exists()
    services.otp_issue(
        member=member,
        purpose=OneTimePassword.Purpose.RESET_PASSWORD,
        channel=OneTimePassword.Channel.EMAIL,
        destination=member.email,
    )
    assert OneTimePassword.objects.filter(member=member).count() == 1


def test_acc_14_password_change_notice_skips_unverified_contacts(
    django_capture_on_commit_callbacks, outbox
):
    """ACC-14: Password change notice skips unverified contacts."""
    member = MemberFactory(mobile_verified_at=None, email_verified_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        services.member_change_password(member=member, current="iindustrY@2024", new="NewPass#2569")
    assert outbox.messages(to=member.mobile) == []
    assert len(outbox.messages(to=member.email)) == 1


def test_acc_13_a_verification_code_may_go_to_an_unverified_contact(
    django_capture_on_commit_callbacks, outbox
):
    """ACC-13: A verification code may go to an unverified contact."""
    member = MemberFactory(mobile_verified_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        services.member_contact_change_start(member=member, kind="mobile", value=member.mobile)
    (sent,) = outbox.messages(to=member.mobile)
    assert "OTP" in sent.body

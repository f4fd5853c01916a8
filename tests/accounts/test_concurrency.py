"""Twenty registrations at once: the unique constraints decide, exactly one account results."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from portal.accounts.models import Member, OneTimePassword
from portal.accounts.selectors import current_terms
from portal.accounts.services import (
    AccountError,
    _otp_hash,
    member_contact_change_confirm,
    member_register,
)
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db(transaction=True)
ATTEMPTS = 20


def register_many(citizens, **fixed):
    terms = current_terms()
    barrier = threading.Barrier(len(citizens))
    outcomes = []

    def attempt(citizen):
        try:
            barrier.wait()
            member_register(
                pid=citizen["pid"],
                first_name=citizen["first_name_th"],
                last_name=citizen["last_name_th"],
                birth_year_be=citizen["birth_year_be"],
                birth_month=citizen["birth_month"],
                birth_day=citizen["birth_day"],
                mobile=fixed.get("mobile", ""),
                email=fixed.get("email", ""),
                line_id="",
                password="iindustrY@2024",
                terms_document_id=terms.pk,
                consent_answers={},
            )
            outcomes.append("ok")
        except AccountError as error:
            outcomes.append(error.code)
        except Exception as error:  # recorded so that the assertion shows it
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(c,)) for c in citizens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_acc_06_twenty_registrations_of_one_id_make_one_account(world):
    """ACC-06: Twenty registrations of one ID make one account."""
    citizen = world.add_citizen()
    outcomes = register_many([citizen] * ATTEMPTS)
    assert Member.objects.count() == 1
    assert outcomes.count("ok") == 1
    # The per-ID limit (10 an hour) now holds under concurrency too (issue 8).
    assert set(outcomes) - {"ok"} <= {"registered", "conflict", "rate_limited"}


def test_acc_06_twenty_ids_racing_for_a_verified_mobile_make_no_account(world):
    """ACC-06 (issue 8): unique among verified contacts. A number another member verified
    is refused to every registration, however many race for it."""
    MemberFactory(mobile="0811111111", verified=True)
    citizens = [world.add_citizen() for _ in range(ATTEMPTS)]
    outcomes = register_many(citizens, mobile="0811111111")
    assert outcomes == ["mobile_taken"] * ATTEMPTS
    assert Member.objects.filter(mobile="0811111111").count() == 1
    assert Member.objects.count() == 1


def test_acc_06_twenty_ids_racing_for_one_unverified_email_all_register(world):
    """ACC-06: An email typed but not verified blocks nobody: it counts for whoever verifies it."""
    citizens = [world.add_citizen() for _ in range(ATTEMPTS)]
    outcomes = register_many(citizens, email="shared@example.com")
    assert outcomes == ["ok"] * ATTEMPTS
    assert Member.objects.filter(email="shared@example.com", email_verified_at=None).count() == (
        ATTEMPTS
    )


def test_acc_13_twenty_members_verifying_one_mobile_at_once_leave_one_holder():
    """ACC-13: Verifying takes the contact over; when twenty verify it at once, the unique
    constraint among verified contacts leaves exactly one holder."""
    members = [MemberFactory(mobile=None) for _ in range(ATTEMPTS)]
    otps = [
        OneTimePassword.objects.create(
            member=m,
            purpose=OneTimePassword.Purpose.VERIFY_MOBILE,
            channel=OneTimePassword.Channel.SMS,
            destination="0822222222",
            code_hash=f"seed${_otp_hash('seed', '123456')}",
            reference="ABCD",
            expires_at=timezone.now() + timedelta(minutes=5),
        )
        for m in members
    ]
    barrier = threading.Barrier(ATTEMPTS)
    outcomes = []

    def verify(member, otp):
        try:
            barrier.wait()
            member_contact_change_confirm(
                member=member, kind="mobile", otp_id=otp.pk, code="123456"
            )
            outcomes.append("ok")
        except AccountError as error:
            outcomes.append(error.code)
        except Exception as error:  # recorded so that the assertion shows it
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [
        threading.Thread(target=verify, args=pair) for pair in zip(members, otps, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert set(outcomes) <= {"ok", "taken"}
    holders = Member.objects.filter(mobile="0822222222")
    assert holders.count() == 1
    assert holders.get().mobile_verified_at is not None

"""Twenty registrations at once: the unique constraints decide, exactly one account results."""

import threading

import pytest
from django.db import connection

from portal.accounts.models import Member
from portal.accounts.selectors import current_terms
from portal.accounts.services import AccountError, member_register

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
    citizen = world.add_citizen()
    outcomes = register_many([citizen] * ATTEMPTS)
    assert Member.objects.count() == 1
    assert outcomes.count("ok") == 1
    assert set(outcomes) - {"ok"} <= {"registered", "conflict"}


def test_acc_06_twenty_ids_racing_for_one_mobile_make_one_account(world):
    citizens = [world.add_citizen() for _ in range(ATTEMPTS)]
    outcomes = register_many(citizens, mobile="0811111111")
    assert Member.objects.filter(mobile="0811111111").count() == 1
    assert Member.objects.count() == 1
    assert outcomes.count("ok") == 1


def test_acc_06_twenty_ids_racing_for_one_email_make_one_account(world):
    citizens = [world.add_citizen() for _ in range(ATTEMPTS)]
    register_many(citizens, email="shared@example.com")
    assert Member.objects.count() == 1

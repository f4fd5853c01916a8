import pytest

from portal.accounts.selectors import member_by_national_id
from portal.sandbox.demo import demo_accounts_ensure

pytestmark = pytest.mark.django_db


def test_demo_officer_reaches_every_back_office_queue_sso_04_adm_01(world, client):
    """SSO-04, ADM-01: the demo officer of `make run` can try every queue, the two-factor
    reset included (before, its page answered 404 to the only officer there was)."""
    for _ in range(3):
        world.add_citizen()
    logins = {login.role: login for login in demo_accounts_ensure()}
    officer = member_by_national_id(pid=logins["officer"].pid)
    assert officer.has_perm("accounts.review_member_request") is True
    assert officer.has_perm("operators.verify_holding") is True
    assert officer.has_perm("identity.reset_two_factor") is True
    # Running it again (the next `make run`) keeps the same rights.
    demo_accounts_ensure()
    officer = member_by_national_id(pid=logins["officer"].pid)
    assert sorted(
        f"{p.content_type.app_label}.{p.codename}" for p in officer.user_permissions.all()
    ) == [
        "accounts.review_member_request",
        "identity.reset_two_factor",
        "operators.verify_holding",
    ]


def test_acc_01_the_demo_registers_only_thai_nationals_and_offers_a_resident_to_try(world):
    """ACC-01: `make run`'s demo accounts are Thai nationals, whatever order the world lists
    people in; a non-Thai resident is listed to try the refusal, and is not registered."""
    residents = [world.add_citizen(nationality="MM") for _ in range(2)]
    for _ in range(5):
        world.add_citizen()
    logins = demo_accounts_ensure()
    registered = [login for login in logins if member_by_national_id(pid=login.pid)]
    assert registered and all(
        login.pid not in {r["pid"] for r in residents} for login in registered
    )
    refused = [login for login in logins if "ACC-01" in login.role]
    assert len(refused) == 1 and refused[0].pid in {r["pid"] for r in residents}
    assert member_by_national_id(pid=refused[0].pid) is None

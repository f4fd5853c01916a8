"""Issue 8's limits on the accounts side: throttles count failures, a per-account cap beside
axes' (ID, address) lockout that leaves ThaID and reset by OTP open, national IDs typed with
any digits, and axes keyed on the trusted client address."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.utils import translation

from portal.accounts import services
from portal.accounts.models import Member
from portal.accounts.services import AccountError
from portal.core import ratelimit
from portal.core.ratelimit import rate_limit_count
from portal.core.thaiid import pid_hash
from tests.accounts.helpers import login, register
from tests.factories import DEFAULT_PASSWORD, MemberFactory
from tests.identity.thaid_helpers import thaid_login, use_wsgi_transport

pytestmark = pytest.mark.django_db
RIGHT_BIRTH_DATE = "19062527"  # MemberFactory: 19 June 2527
THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
NEW_PASSWORD = "NewPass#2569"


def start_reset(client, robot, national_id):
    return client.post("/accounts/reset/", {"national_id": national_id, "robot": robot(client)})


def guess_birth_date(client, typed):
    return client.post("/accounts/reset/birth-date/", {"birth_date": typed})


def cap_message() -> str:
    with translation.override("th"):
        return translation.gettext(
            "Too many wrong passwords were typed for this ID. Password login for it waits for "
            "up to an hour: log in with ThaID now, or reset your password by SMS or email."
        )


@pytest.fixture
def clock(monkeypatch):
    now = {"ms": ratelimit.now_ms()}
    monkeypatch.setattr(ratelimit, "now_ms", lambda: now["ms"])
    return now


# --- birth-date reset guesses (ACC-11) ------------------------------------------------------


def test_acc_11_a_right_birth_date_passes_after_four_wrong_ones(client, robot):
    """ACC-11: A right birth date passes after four wrong ones."""
    member = MemberFactory()
    start_reset(client, robot, member.national_id)
    client.post("/accounts/reset/channel/", {"channel": "birth_date"})
    for _wrong in range(4):
        assert guess_birth_date(client, "01012500").status_code == 200
    response = guess_birth_date(client, RIGHT_BIRTH_DATE)
    assert response.status_code == 302 and response["Location"] == "/accounts/reset/password/"
    assert rate_limit_count(scope="reset-dob", key=pid_hash(member.national_id)[:32]) == 4


def test_acc_11_right_birth_dates_never_count(robot):
    """ACC-11: Throttles count failures, not successes: six resets by date of birth in an hour."""
    member = MemberFactory()
    for _reset in range(6):
        client = Client()
        start_reset(client, robot, member.national_id)
        client.post("/accounts/reset/channel/", {"channel": "birth_date"})
        assert guess_birth_date(client, RIGHT_BIRTH_DATE).status_code == 302
    assert rate_limit_count(scope="reset-dob", key=pid_hash(member.national_id)[:32]) == 0
    assert rate_limit_count(scope="reset-dob-ip", key="127.0.0.1") == 0


def test_acc_11_five_wrong_birth_dates_hold_the_id_for_the_full_hour(clock):
    """ACC-11: The hour-long block lasts the hour (the old database cache lifted it after 5 min)."""
    member = MemberFactory()
    key = pid_hash(member.national_id)[:32]
    start = clock["ms"]
    for _wrong in range(5):
        with pytest.raises(AccountError) as wrong:
            services.reset_birth_date_check(member=member, pid_key=key, ip="10.0.0.1", typed="1")
        assert wrong.value.code == "wrong"
    for seconds in (0, 301, 3599):
        clock["ms"] = start + seconds * 1000
        with pytest.raises(AccountError) as held:
            services.reset_birth_date_check(
                member=member, pid_key=key, ip="10.0.0.2", typed=RIGHT_BIRTH_DATE
            )
        assert held.value.code == "rate_limited"
    assert rate_limit_count(scope="reset-dob", key=key) == 5
    # The refusals were not counted against the second address either.
    assert rate_limit_count(scope="reset-dob-ip", key="10.0.0.2") == 0
    clock["ms"] = start + 3600 * 1000
    services.reset_birth_date_check(
        member=member, pid_key=key, ip="10.0.0.2", typed=RIGHT_BIRTH_DATE
    )
    assert rate_limit_count(scope="reset-dob", key=key) == 0


@pytest.mark.django_db(transaction=True)
def test_acc_11_twenty_parallel_birth_date_guesses_evaluate_exactly_five():
    """ACC-11: Issue 8: 15 of 20 parallel guesses were evaluated against a limit of 5. Now 5 are,
    each thread with its own database connection."""
    member = MemberFactory()
    key = pid_hash(member.national_id)[:32]
    barrier = threading.Barrier(20)
    outcomes: list[str] = []

    def guess(index: int) -> None:
        try:
            barrier.wait()
            services.reset_birth_date_check(
                member=member, pid_key=key, ip=f"10.0.1.{index}", typed=f"0101{2500 + index}"
            )
            outcomes.append("right")
        except AccountError as error:
            outcomes.append(error.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["rate_limited"] * 15 + ["wrong"] * 5
    assert rate_limit_count(scope="reset-dob", key=key) == 5


# --- a logged-in member's password check (ACC-14, ACC-15) -----------------------------------


def test_acc_14_wrong_current_passwords_count_even_though_the_change_rolls_back():
    """ACC-14: Wrong current passwords count even though the change rolls back."""
    member = MemberFactory()
    for _wrong in range(3):
        with pytest.raises(AccountError):
            services.member_change_password(member=member, current="Wrong#2569x", new=NEW_PASSWORD)
    assert rate_limit_count(scope="password-check", key=str(member.pk)) == 3
    services.member_change_password(member=member, current=DEFAULT_PASSWORD, new=NEW_PASSWORD)
    member.refresh_from_db()
    assert member.check_password(NEW_PASSWORD)
    assert rate_limit_count(scope="password-check", key=str(member.pk)) == 3


# --- the per-account cap: no attacker locks the owner out of every door ---------------------


@pytest.fixture
def attacked(robot, settings, world):
    """An attacker typed wrong passwords for the owner's ID from as many addresses as the
    cap allows, one each (axes' per-address lockout never triggers)."""
    settings.ACCOUNT_LOGIN_FAILURES_PER_HOUR = 6
    member = MemberFactory(pid=world.add_citizen()["pid"], verified=True)
    for address in range(6):
        attacker = Client(REMOTE_ADDR=f"198.51.100.{address + 1}")
        response = login(attacker, robot, member.national_id, password="Guess#2569x")
        assert response.status_code == 200
    return member


def test_acc_09_per_account_cap_holds_password_login_from_every_address(attacked, robot):
    """ACC-09: Per account cap holds password login from every address."""
    owner = Client(REMOTE_ADDR="203.0.113.9")
    response = login(owner, robot, attacked.national_id)
    assert response.status_code == 200
    assert "_auth_user_id" not in owner.session
    assert response.context["form"].non_field_errors() == [cap_message()]
    # The cap neither counts the refused try nor grows: it stays at the limit.
    key = pid_hash(attacked.national_id)[:32]
    assert rate_limit_count(scope="login-account", key=key) == 6


def test_acc_09_per_account_cap_lifts_after_its_hour(attacked, robot, monkeypatch):
    """ACC-09: Per account cap lifts after its hour."""
    later = ratelimit.now_ms() + 3600 * 1000
    monkeypatch.setattr(ratelimit, "now_ms", lambda: later)
    owner = Client(REMOTE_ADDR="203.0.113.9")
    assert login(owner, robot, attacked.national_id).status_code == 302


def test_acc_09_per_account_cap_counts_unknown_ids_alike(robot, settings):
    """ACC-09: The cap's message must not tell whether an ID has an account."""
    settings.ACCOUNT_LOGIN_FAILURES_PER_HOUR = 1
    unknown = "1101700203450"
    for address in range(2):
        response = login(Client(REMOTE_ADDR=f"198.51.100.{address + 1}"), robot, unknown)
    assert response.context["form"].non_field_errors() == [cap_message()]


def test_acc_10_thaid_login_stays_open_under_the_cap(attacked, monkeypatch):
    """ACC-10: Thaid login stays open under the cap."""
    use_wsgi_transport(monkeypatch)
    owner = Client(REMOTE_ADDR="203.0.113.9")
    response = thaid_login(owner, attacked.national_id)
    assert response.status_code == 302
    assert owner.session.get("_auth_user_id") == str(attacked.pk)
    # The cap is still in force for password login from anywhere.
    assert rate_limit_count(scope="login-account", key=pid_hash(attacked.national_id)[:32]) == 6


def test_acc_11_reset_by_sms_stays_open_under_the_cap_and_reopens_password_login(
    attacked, robot, outbox
):
    """ACC-11: Reset by SMS stays open under the cap and reopens password login."""
    owner = Client(REMOTE_ADDR="203.0.113.9")
    start_reset(owner, robot, attacked.national_id)
    owner.post("/accounts/reset/channel/", {"channel": "sms"})
    code = outbox.last_code(attacked.mobile)
    assert owner.post("/accounts/reset/verify/", {"code": code}).status_code == 302
    owner.post("/accounts/reset/password/", {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    attacked.refresh_from_db()
    assert attacked.check_password(NEW_PASSWORD)
    assert rate_limit_count(scope="login-account", key=pid_hash(attacked.national_id)[:32]) == 0
    assert login(owner, robot, attacked.national_id, password=NEW_PASSWORD).status_code == 302


# --- axes on the trusted client address -----------------------------------------------------


def test_acc_09_axes_locks_the_client_address_behind_the_trusted_proxy(robot, settings):
    """ACC-09: Behind one trusted proxy, axes' (ID, address) pair uses the address the proxy saw: a
    locked client stays locked whatever it puts in front of X-Forwarded-For, while another
    client behind the same proxy logs in."""
    settings.TRUSTED_PROXY_HOPS = 1
    settings.AXES_FAILURE_LIMIT = 3
    member = MemberFactory()
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    attacker = Client(**proxy, HTTP_X_FORWARDED_FOR="198.51.100.7")
    for _wrong in range(3):
        login(attacker, robot, member.national_id, password="Guess#2569x")
    assert login(attacker, robot, member.national_id).status_code == 429
    spoofing = Client(**proxy, HTTP_X_FORWARDED_FOR="192.0.2.50, 198.51.100.7")
    assert login(spoofing, robot, member.national_id).status_code == 429
    owner = Client(**proxy, HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert login(owner, robot, member.national_id).status_code == 302


# --- national IDs typed with other digits (issue 8) -----------------------------------------


@pytest.mark.parametrize("digits", [THAI_DIGITS, FULL_WIDTH])
def test_acc_09_login_with_thai_or_full_width_digits(client, robot, digits):
    """ACC-09: Login with thai or full width digits."""
    member = MemberFactory()
    typed = member.national_id.translate(digits)
    typed = f"{typed[0]}-{typed[1:5]}-{typed[5:10]}-{typed[10:12]}-{typed[12]}"
    assert login(client, robot, typed).status_code == 302
    assert client.session["_auth_user_id"] == str(member.pk)


def test_acc_09_axes_counts_thai_digits_as_the_same_id(robot, settings):
    """ACC-09: Typing the ID with Thai digits is not a way around the lockout."""
    settings.AXES_FAILURE_LIMIT = 2
    member = MemberFactory()
    attacker = Client()
    login(attacker, robot, member.national_id, password="Guess#2569x")
    login(attacker, robot, member.national_id.translate(THAI_DIGITS), password="Guess#2569x")
    assert login(attacker, robot, member.national_id.translate(FULL_WIDTH)).status_code == 429


def test_acc_06_registered_id_typed_with_thai_digits_is_refused(client, world):
    """ACC-06: Registered ID typed with thai digits is refused."""
    citizen = world.add_citizen()
    MemberFactory(pid=citizen["pid"])
    response = register(client, citizen, national_id=citizen["pid"].translate(THAI_DIGITS))
    assert response.status_code == 200
    assert "มีบัญชีอยู่แล้ว" in response.context["form"].errors["national_id"][0]
    assert Member.objects.count() == 1


def test_acc_11_reset_with_thai_digits_finds_the_member(client, robot):
    """ACC-11: Reset with thai digits finds the member."""
    member = MemberFactory()
    start_reset(client, robot, member.national_id.translate(THAI_DIGITS))
    client.post("/accounts/reset/channel/", {"channel": "birth_date"})
    assert guess_birth_date(client, RIGHT_BIRTH_DATE).status_code == 302

import pytest
from django.utils import timezone

from portal.accounts.models import ConsentDocument, ConsentRecord, Member
from portal.core.models import AuditEntry
from portal.core.thaiid import pid_hash
from portal.registries.failures import failure_set
from tests.accounts.helpers import register, registration_data, start_registration
from tests.factories import make_pid

pytestmark = pytest.mark.django_db


def test_acc_01_bad_check_digit_is_refused_before_any_registry_call(client, world):
    """ACC-01: Bad check digit is refused before any registry call."""
    citizen = world.add_citizen()
    failure_set("dopa", "down")  # a registry call would show the outage message instead
    bad = citizen["pid"][:12] + str((int(citizen["pid"][12]) + 1) % 10)
    response = register(client, citizen, national_id=bad)
    assert response.status_code == 200
    assert "check the digits" in response.content.decode() or "ตรวจสอบ" in response.content.decode()
    assert response.context["form"].errors["national_id"]
    assert Member.objects.count() == 0
    failure_set("dopa", None)


@pytest.mark.parametrize("typed", ["12345", "abcdefghijklm", "12345678901234"])
def test_acc_01_only_thirteen_digits(client, world, typed):
    """ACC-01: Only thirteen digits."""
    citizen = world.add_citizen()
    response = register(client, citizen, national_id=typed)
    assert response.context["form"].errors["national_id"]
    assert Member.objects.count() == 0


def test_acc_01_dashes_and_spaces_in_the_id_are_accepted(client, world):
    """ACC-01: Dashes and spaces in the ID are accepted."""
    citizen = world.add_citizen()
    pid = citizen["pid"]
    typed = f"{pid[0]}-{pid[1:5]}-{pid[5:10]}-{pid[10:12]}-{pid[12]}"
    response = register(client, citizen, national_id=typed)
    assert response.status_code == 302
    assert Member.objects.filter(pid_hash=pid_hash(pid)).exists()


def test_acc_02_registration_with_full_birth_date_stores_it(client, world):
    """ACC-02: Registration with full birth date stores it."""
    citizen = world.add_citizen(birth_day=3, birth_month=11, birth_year_be=2530)
    response = register(client, citizen)
    assert response.status_code == 302 and response["Location"] == "/accounts/register/done/"
    member = Member.objects.get()
    assert (member.birth_year_be, member.birth_month, member.birth_day) == (2530, 11, 3)
    assert member.national_id == citizen["pid"]
    assert member.title_th == citizen["title_th"]


def test_acc_02_unknown_day_and_month_need_only_the_be_year(client, world):
    """ACC-02: Unknown day and month need only the be year."""
    citizen = world.add_citizen(birth_day=None, birth_month=None, birth_year_be=2483)
    response = register(client, citizen, birth_day="0", birth_month="0")
    assert response.status_code == 302
    member = Member.objects.get()
    assert (member.birth_year_be, member.birth_month, member.birth_day) == (2483, None, None)


def test_acc_02_none_for_the_day_alone_is_refused(client, world):
    """ACC-02: None for the day alone is refused."""
    citizen = world.add_citizen()
    response = register(client, citizen, birth_day="0")
    assert response.context["form"].errors["birth_day"]
    assert Member.objects.count() == 0


def test_acc_02_year_is_buddhist_era(client, world):
    """ACC-02: Year is buddhist era."""
    citizen = world.add_citizen()
    response = register(client, citizen, birth_year_be="1984")
    assert response.context["form"].errors["birth_year_be"]


@pytest.mark.parametrize(
    "password",
    ["iindY@1", "iindustrY@abc", "iindustrY2024", "iindustry@2024", "IINDUSTRY@2024"],
    ids=["short", "no-digit", "no-special", "no-upper", "no-lower"],
)
def test_acc_03_password_policy_refuses(client, world, password):
    """ACC-03 and SSO-05 as one policy: TISI's upper-case letter is required of everyone."""
    citizen = world.add_citizen()
    response = register(client, citizen, password1=password, password2=password)
    assert response.context["form"].errors["password1"]
    assert Member.objects.count() == 0


def test_acc_03_example_password_is_valid_and_must_be_typed_twice(client, world):
    """ACC-03: Example password is valid and must be typed twice."""
    citizen = world.add_citizen()
    response = register(client, citizen, password2="iindustrY@2025")
    assert response.context["form"].errors["password2"]
    response = register(client, citizen)
    assert response.status_code == 302
    assert Member.objects.get().check_password("iindustrY@2024")


def test_acc_03_bad_input_keeps_what_was_typed(client, world):
    """ACC-03: Bad input keeps what was typed."""
    citizen = world.add_citizen()
    response = register(client, citizen, password2="x", line_id="myline")
    html = response.content.decode()
    assert f'value="{citizen["first_name_th"]}"' in html
    assert 'value="myline"' in html
    assert 'aria-describedby="id_password2_error"' in html or "id_password2_error" in html


def test_acc_04_terms_must_be_ticked(client):
    """ACC-04: Terms must be ticked."""
    response = client.post("/accounts/register/", {})
    assert response.status_code == 200
    assert response.context["form"].errors["accept"]
    response = client.get("/accounts/register/details/")
    assert response["Location"] == "/accounts/register/"


def test_acc_04_each_purpose_is_answered_and_recorded(client, world):
    """ACC-04: Each purpose is answered and recorded."""
    citizen = world.add_citizen()
    client.post("/accounts/register/", {"accept": "on"})
    documents = list(ConsentDocument.objects.filter(kind="pdpa").order_by("order"))
    assert len(documents) >= 2
    # Leaving one purpose unanswered is refused.
    response = client.post("/accounts/register/consent/", {f"consent_{documents[0].pk}": "yes"})
    assert response.context["form"].errors
    answers = {f"consent_{d.pk}": ("yes" if i == 0 else "no") for i, d in enumerate(documents)}
    client.post("/accounts/register/consent/", answers)
    client.post("/accounts/register/details/", registration_data(citizen))
    member = Member.objects.get()
    records = {r.document.purpose: r for r in ConsentRecord.objects.filter(member=member)}
    assert records["terms"].granted is True
    assert records[documents[0].purpose].granted is True
    assert records[documents[1].purpose].granted is False
    record = records[documents[1].purpose]
    assert (record.document.version, record.channel) == (1, "registration")
    assert record.created_at is not None


@pytest.mark.parametrize(
    "change",
    [
        {"first_name": "สมหญิง"},
        {"last_name": "ใจร้าย"},
        {"birth_year_be": "2528"},
        {"birth_day": "20"},
        {"birth_day": "0", "birth_month": "0"},
    ],
)
def test_acc_05_mismatch_with_registry_is_refused_without_revealing_it(client, world, change):
    """ACC-05: Mismatch with registry is refused without revealing it."""
    citizen = world.add_citizen()
    response = register(client, citizen, **change)
    html = response.content.decode()
    assert response.status_code == 200
    assert Member.objects.count() == 0
    assert response.context["form"].non_field_errors()
    # Nothing the registry holds is echoed back.
    if "first_name" in change:
        assert citizen["first_name_th"] not in html
    if "last_name" in change:
        assert citizen["last_name_th"] not in html
    if "birth_year_be" in change:
        assert f'value="{citizen["birth_year_be"]}"' not in html


def test_acc_05_previous_name_is_not_the_current_card(client, world):
    """ACC-05: Previous name is not the current card."""
    citizen = world.add_citizen(
        first_name_th="สมศรี",
        previous_names=[{"first_name_th": "สมใจ", "last_name_th": "ใจดี", "until": "2020-01-01"}],
    )
    response = register(client, citizen, first_name="สมใจ")
    assert response.context["form"].non_field_errors()
    assert Member.objects.count() == 0


def test_acc_05_deceased_person_is_refused_with_the_same_message(client, world):
    """ACC-05: Deceased person is refused with the same message."""
    alive = world.add_citizen()
    dead = world.add_citizen(alive=False)
    mismatch = register(client, alive, first_name="อื่น").context["form"].non_field_errors()
    refused = register(client, dead).context["form"].non_field_errors()
    assert list(refused) == list(mismatch)
    assert Member.objects.count() == 0


def test_acc_05_unknown_person_is_refused(client, world):
    """ACC-05: Unknown person is refused."""
    world.add_citizen()
    stranger = {
        "pid": make_pid(),
        "first_name_th": "ก",
        "last_name_th": "ข",
        "birth_day": 1,
        "birth_month": 1,
        "birth_year_be": 2500,
    }
    response = register(client, stranger)
    assert response.context["form"].non_field_errors()
    assert Member.objects.count() == 0


@pytest.mark.parametrize("mode", ["down", "timeout"])
def test_acc_05_registry_outage_has_its_own_message_and_stores_nothing(
    client, world, mode, settings
):
    """ACC-05: Registry outage has its own message and stores nothing."""
    settings.REGISTRY_TIMEOUT_SECONDS = 0.2
    citizen = world.add_citizen()
    failure_set("dopa", mode)
    try:
        response = register(client, citizen)
    finally:
        failure_set("dopa", None)
    errors = " ".join(response.context["form"].non_field_errors())
    assert "1-2" in errors
    assert Member.objects.count() == 0
    assert ConsentRecord.objects.count() == 0
    assert AuditEntry.objects.count() == 0
    # The typed data is kept, so trying again is one click.
    assert f'value="{citizen["pid"]}"' in response.content.decode()


def test_acc_06_registered_id_points_to_forgot_password_and_thaid(client, world):
    """ACC-06: Registered ID points to forgot password and thaid."""
    citizen = world.add_citizen()
    assert register(client, citizen).status_code == 302
    client.logout()
    response = register(client, citizen)
    errors = " ".join(response.context["form"].errors["national_id"])
    assert "ThaID" in errors
    assert Member.objects.count() == 1


def test_acc_06_mobile_and_email_are_unique_among_members(client, world):
    """ACC-06 (issue 8): unique among members' verified contacts; registering cannot claim
    a mobile or email another member has verified."""
    first, second, third = world.add_citizen(), world.add_citizen(), world.add_citizen()
    register(client, first, mobile="0812345678", email="Same@Example.com")
    client.logout()  # registering signed the first member in
    Member.objects.update(mobile_verified_at=timezone.now(), email_verified_at=timezone.now())
    response = register(client, second, mobile="081-234-5678")
    assert response.context["form"].errors["mobile"]
    response = register(client, third, email="same@example.COM")
    assert response.context["form"].errors["email"]
    assert Member.objects.count() == 1


def test_acc_06_a_contact_typed_but_not_verified_blocks_nobody(client, world):
    """ACC-06: Issue 8: a stranger who typed my number cannot keep me from registering with it."""
    stranger, owner = world.add_citizen(), world.add_citizen()
    register(client, stranger, mobile="0812345678", email="owner@example.com")
    client.logout()
    response = register(client, owner, mobile="0812345678", email="OWNER@example.com")
    assert response.status_code == 302
    assert Member.objects.filter(mobile="0812345678", mobile_verified_at=None).count() == 2


def test_acc_07_middle_name_is_not_asked(client, world):
    """ACC-07: Middle name is not asked."""
    citizen = world.add_citizen(middle_name_th="กลาง")
    start_registration(client)
    page = client.get("/accounts/register/details/").content.decode()
    assert "middle_name" not in page and "ชื่อกลาง" not in page
    response = client.post("/accounts/register/details/", registration_data(citizen))
    assert response.status_code == 302


def test_acc_08_nothing_is_sent_after_registering(client, world, outbox):
    """ACC-08: Nothing is sent after registering."""
    citizen = world.add_citizen()
    response = register(client, citizen, mobile="0899999999", email="new@example.com")
    assert response.status_code == 302
    assert outbox.messages() == []
    done = client.get("/accounts/register/done/")
    assert done.status_code == 200


def test_registration_writes_an_audit_row_without_the_national_id(client, world):
    citizen = world.add_citizen()
    register(client, citizen)
    entry = AuditEntry.objects.get(action="member.register")
    assert citizen["pid"] not in str(entry.before) + str(entry.after)


def test_acc_01_registering_signs_the_member_in_and_leads_to_add_business(client, world):
    """ACC-01, BIZ-01: after registering the member is signed in (no second trip through the
    login page); the done page leads to "add business", and the next login does not push it."""
    citizen = world.add_citizen()
    response = register(client, citizen)
    assert response.status_code == 302 and response["Location"] == "/accounts/register/done/"
    member = Member.objects.get()
    assert client.session["_auth_user_id"] == str(member.pk)
    member.refresh_from_db()
    assert member.last_login is not None
    done = client.get("/accounts/register/done/")
    assert done.status_code == 200
    page = done.content.decode()
    assert 'data-testid="registered-signed-in"' in page
    assert 'href="/businesses/add/"' in page
    assert client.get("/accounts/settings/").status_code == 200


@pytest.mark.parametrize("nationality", ["MM", "JP"])
def test_acc_01_a_non_thai_resident_is_refused_with_the_reason_and_nothing_stored(
    client, world, nationality
):
    """ACC-01: a non-Thai holder of a valid 13-digit ID who types their details right is
    refused with the FAQ's reason (only Thai nationals), and nothing is stored."""
    citizen = world.add_citizen(nationality=nationality)
    response = register(client, citizen, mobile="0861234599", email="resident@example.com")
    assert response.status_code == 200
    errors = response.context["form"].errors["national_id"]
    assert any("Thai nationality" in e or "สัญชาติไทย" in e for e in errors), errors
    assert Member.objects.count() == 0
    assert not ConsentRecord.objects.exists()
    assert not AuditEntry.objects.filter(action="member.register").exists()


def test_acc_01_a_non_thai_resident_with_wrong_details_gets_only_the_mismatch(client, world):
    """ACC-01, ACC-05: the nationality is told only to someone who proved the ID is theirs;
    wrong details get the one mismatch message, so the form reveals nothing of the registry."""
    citizen = world.add_citizen(nationality="LA")
    response = register(client, citizen, first_name="ผิด")
    page = response.content.decode()
    assert "Thai nationality" not in page and "สัญชาติไทย" not in page
    assert response.context["form"].non_field_errors()
    assert Member.objects.count() == 0


def test_acc_01_an_absent_nationality_means_thai(client, world):
    """ACC-01: a citizens.jsonl line without `nationality` is a Thai national, who registers."""
    citizen = world.add_citizen()
    assert "nationality" not in citizen
    response = register(client, citizen)
    assert response.status_code == 302
    assert Member.objects.count() == 1

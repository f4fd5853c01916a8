"""The sandbox DOPA adapter: citizens and ID cards from the world, failures from the switch."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from portal.registries.base import RegistryUnavailable
from portal.registries.dopa import CardCheck, Citizen, citizen_registry
from portal.registries.failures import failure_set, failures_reset
from portal.registries.http import HttpCitizenRegistry
from portal.registries.sandbox import SandboxCitizenRegistry
from tests.factories import citizen_record

# The failure switches live in the database cache; no_failure_switches: conftest.py.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_failure_switches")]

LASER = "JT0-1234567-89"


@pytest.fixture
def people(settings, tmp_path):
    """One citizen per card state, written as a world of this test's own."""
    settings.SANDBOX_WORLD = str(tmp_path)
    today = timezone.localdate()
    records = {
        "active": citizen_record(laser_code=LASER, card_expiry=str(today)),
        "expired": citizen_record(card_status="expired", card_expiry="2024-01-31"),
        "past_expiry": citizen_record(card_expiry=str(today - dt.timedelta(days=1))),
        "lost": citizen_record(card_status="lost", card_expiry="2031-05-05"),
        "revoked": citizen_record(card_status="revoked", card_expiry="2031-05-05"),
        "lifetime": citizen_record(card_expiry=None, birth_year_be=2480),
        "elderly": citizen_record(birth_year_be=2475, birth_month=None, birth_day=None),
        "deceased": citizen_record(alive=False),
    }
    records["active"].update(
        first_name_en="Somchai", middle_name_th="ปีเตอร์", address={"province": "ยะลา"}
    )
    lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records.values())
    (tmp_path / "citizens.jsonl").write_text(lines, encoding="utf-8")
    return records


@pytest.fixture
def dopa():
    return SandboxCitizenRegistry()


def test_the_port_gives_the_sandbox_adapter_in_sandbox_mode(settings):
    settings.REGISTRY_ADAPTER = "sandbox"
    assert isinstance(citizen_registry(), SandboxCitizenRegistry)

    settings.REGISTRY_ADAPTER = "http"
    assert isinstance(citizen_registry(), HttpCitizenRegistry)


def test_lookup_gives_the_citizen_as_the_registry_knows_them(dopa, people):
    record = people["active"]

    citizen = dopa.lookup(record["pid"])

    assert citizen == Citizen(
        pid=record["pid"],
        title_th="นาย",
        first_name_th="สมชาย",
        last_name_th="ใจดี",
        first_name_en="Somchai",
        last_name_en="Jaidee",
        birth_year_be=2527,
        birth_month=6,
        birth_day=19,
        alive=True,
        card_status="active",
        card_expiry=timezone.localdate(),
        middle_name_th="ปีเตอร์",
        address={
            "house_no": None,
            "moo": None,
            "soi": None,
            "road": None,
            "subdistrict": None,
            "district": None,
            "province": "ยะลา",
            "postcode": None,
        },
    )


def test_lookup_accepts_the_id_as_people_type_it(dopa, people):
    pid = people["active"]["pid"]
    typed = f"{pid[0]}-{pid[1:5]}-{pid[5:10]} {pid[10:12]}-{pid[12]}"

    assert dopa.lookup(typed).pid == pid


def test_acc_05_lookup_of_an_unknown_id_is_none(dopa, people):
    """ACC-05: Lookup of an unknown ID is none."""
    assert dopa.lookup("1101700230705") is None


def test_acc_02_lookup_keeps_an_unknown_day_and_month_of_birth(dopa, people):
    """ACC-02: Lookup keeps an unknown day and month of birth."""
    citizen = dopa.lookup(people["elderly"]["pid"])

    assert (citizen.birth_year_be, citizen.birth_month, citizen.birth_day) == (2475, None, None)


def test_acc_05_lookup_says_when_the_registry_lists_a_person_as_deceased(dopa, people):
    """ACC-05: Lookup says when the registry lists a person as deceased."""
    assert dopa.lookup(people["deceased"]["pid"]).alive is False
    assert dopa.lookup(people["active"]["pid"]).alive is True


def test_lookup_of_an_empty_world_is_none(dopa, settings, tmp_path):
    settings.SANDBOX_WORLD = str(tmp_path / "empty")

    assert dopa.lookup("1101700230705") is None


@pytest.mark.parametrize("typed", [LASER, "jt0-1234567-89", "JT012345678 9", " JT0 1234567 89 "])
def test_biz_02_a_current_card_matches_its_laser_code_however_typed(dopa, people, typed):
    """BIZ-02: A current card matches its laser code however typed."""
    check = dopa.check_card(people["active"]["pid"], typed)

    assert check == CardCheck(matches=True, current=True, card_status="active")


@pytest.mark.parametrize(
    ("who", "status"),
    [("expired", "expired"), ("lost", "lost"), ("revoked", "revoked"), ("past_expiry", "active")],
)
def test_biz_02_a_card_that_is_not_current_matches_but_is_not_current(dopa, people, who, status):
    """BIZ-02: A card that is not current matches but is not current."""
    record = people[who]

    check = dopa.check_card(record["pid"], record["laser_code"])

    assert check == CardCheck(matches=True, current=False, card_status=status)


def test_a_lifetime_card_without_expiry_is_current_while_active(dopa, people):
    record = people["lifetime"]

    check = dopa.check_card(record["pid"], record["laser_code"])

    assert check == CardCheck(matches=True, current=True, card_status="active")


@pytest.mark.parametrize("typed", ["JT0-1234567-88", "", "JT0-1234567"])
def test_biz_02_a_wrong_laser_code_does_not_match_and_reveals_nothing(dopa, people, typed):
    """BIZ-02: A wrong laser code does not match and reveals nothing."""
    check = dopa.check_card(people["revoked"]["pid"], typed)

    assert check == CardCheck(matches=False, current=False, card_status="")


def test_biz_02_a_card_check_of_an_unknown_id_does_not_match(dopa, people):
    """BIZ-02: A card check of an unknown ID does not match."""
    assert dopa.check_card("1101700230705", LASER) == CardCheck(False, False, "")


def test_a_card_without_a_laser_code_on_file_matches_nothing(dopa, people, settings, tmp_path):
    record = citizen_record(laser_code=None)
    (tmp_path / "citizens.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")

    assert dopa.check_card(record["pid"], "") == CardCheck(False, False, "")


def test_acc_05_registry_down_raises_unavailable(dopa, people):
    """ACC-05: Registry down raises unavailable."""
    failure_set("dopa", "down")

    with pytest.raises(RegistryUnavailable) as lookup:
        dopa.lookup(people["active"]["pid"])
    with pytest.raises(RegistryUnavailable) as card:
        dopa.check_card(people["active"]["pid"], LASER)

    assert (lookup.value.registry, lookup.value.reason) == ("dopa", "down")
    assert (card.value.registry, card.value.reason) == ("dopa", "down")


def test_acc_05_registry_timeout_raises_unavailable(dopa, people):
    """ACC-05: Registry timeout raises unavailable."""
    failure_set("dopa", "timeout")

    with pytest.raises(RegistryUnavailable) as raised:
        dopa.lookup(people["active"]["pid"])

    assert raised.value.reason == "timeout"


def test_a_slow_registry_still_answers(dopa, people, settings):
    settings.SANDBOX_SLOW_SECONDS = 0.1
    failure_set("dopa", "slow")

    assert dopa.lookup(people["active"]["pid"]).first_name_th == "สมชาย"
    assert dopa.check_card(people["active"]["pid"], LASER).matches is True


def test_another_registrys_outage_does_not_touch_dopa(dopa, people):
    failure_set("dbd", "down")

    assert dopa.lookup(people["active"]["pid"]) is not None


def test_the_failure_mode_is_read_from_the_environment_at_first(dopa, people, settings):
    settings.SANDBOX_FAILURES = "dopa:down"
    failures_reset()

    with pytest.raises(RegistryUnavailable):
        dopa.lookup(people["active"]["pid"])


def test_acc_01_the_civil_registry_gives_the_nationality_absent_meaning_thai(
    dopa, settings, tmp_path
):
    """ACC-01: DOPA's answer carries the nationality of the world's `nationality` field: an
    absent field means Thai, a non-Thai resident's 13-digit ID answers with theirs."""
    settings.SANDBOX_WORLD = str(tmp_path)
    thai = citizen_record()
    thai.pop("nationality", None)
    resident = citizen_record(nationality="mm")
    lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in (thai, resident))
    (tmp_path / "citizens.jsonl").write_text(lines, encoding="utf-8")
    found = dopa.lookup(thai["pid"])
    assert found.nationality == "TH" and found.is_thai
    other = dopa.lookup(resident["pid"])
    assert other.nationality == "MM" and not other.is_thai

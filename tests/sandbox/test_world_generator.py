"""The seeded world generator: deterministic, valid identifiers, every edge case of the format,
and worlds that load through portal.registries.world."""

import datetime as dt
import json
import time
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from stdnum.th import moa, pin, tin

from portal.registries.world import WORLD_FILES, load_world
from portal.sandbox.world_generator import (
    DEFAULT_CITIZENS,
    MIN_CITIZENS,
    PROVINCES,
    WorldExistsError,
    ensure_default_world,
    generate_world,
    write_world,
)

SEED = 20261123
# Thailand's extent, with a little margin: 5.6-20.5 N, 97.3-105.7 E.
LATITUDES, LONGITUDES = (5.6, 20.5), (97.3, 105.7)
EXEMPT_SONGKHLA_DISTRICTS = {"จะนะ", "เทพา", "นาทวี", "สะบ้าย้อย"}
PROVINCE_CODE = {p.name_th: p.code for p in PROVINCES}


@pytest.fixture(scope="module")
def world() -> dict[str, list[dict]]:
    """The smallest world the generator makes: every edge case must fit even here."""
    return generate_world(seed=SEED, citizens=MIN_CITIZENS)


@pytest.fixture(scope="module")
def default_world() -> dict[str, list[dict]]:
    return generate_world(seed=SEED, citizens=DEFAULT_CITIZENS)


@pytest.fixture(params=["world", "default_world"])
def any_world(request):
    return request.getfixturevalue(request.param)


def fac_04_check_digit(first13: str) -> str:
    """Written again here on purpose (FAC-04, sandbox scheme): weights 14..2, mod 11."""
    weights = range(14, 1, -1)
    return str((11 - sum(int(d) * w for d, w in zip(first13, weights, strict=True)) % 11) % 10)


def test_the_same_seed_gives_the_same_bytes_and_another_seed_another_world(tmp_path):
    for name in ("one", "two"):
        write_world(tmp_path / name, seed=SEED, citizens=200)
    write_world(tmp_path / "other", seed=SEED + 1, citizens=200)

    for name in WORLD_FILES:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()
    other = (tmp_path / "other" / "citizens.jsonl").read_bytes()
    assert other != (tmp_path / "one" / "citizens.jsonl").read_bytes()


def test_sizes_follow_the_number_of_citizens(world, default_world):
    assert len(world["citizens.jsonl"]) == MIN_CITIZENS
    assert len(default_world["citizens.jsonl"]) == DEFAULT_CITIZENS
    for name in WORLD_FILES:
        assert default_world[name], name
    assert len(default_world["factories.jsonl"]) > len(world["factories.jsonl"])


def test_acc_01_every_generated_pid_is_valid(any_world):
    """ACC-01: Every generated pid is valid."""
    pids = [c["pid"] for c in any_world["citizens.jsonl"]]

    assert all(pin.is_valid(p) for p in pids)
    assert len(set(pids)) == len(pids)
    assert {p[0] for p in pids} <= set("12345678")


def test_juristic_and_tax_ids_are_valid(any_world):
    juristic_ids = [j["juristic_id"] for j in any_world["juristic_persons.jsonl"]]
    tax_ids = {t["tax_id"] for t in any_world["taxpayers.jsonl"]}

    assert all(moa.is_valid(j) for j in juristic_ids)
    assert len(set(juristic_ids)) == len(juristic_ids)
    assert all(t.startswith("0994") and tin.is_valid(t) for t in tax_ids)


def test_fac_04_generated_numbers_have_valid_check_digit(any_world):
    """FAC-04: Generated numbers have valid check digit."""
    numbers = [f["factory_no"] for f in any_world["factories.jsonl"]]

    assert len(set(numbers)) == len(numbers)
    for number in numbers:
        assert len(number) == 14 and number.isdigit(), number
        assert number[13] == fac_04_check_digit(number[:13]), number


def test_fac_04_generated_numbers_have_plausible_groups(any_world):
    """FAC-04: Generated numbers have plausible groups."""
    for factory in any_world["factories.jsonl"]:
        number, address = factory["factory_no"], factory["address"]
        a, b, c, e = number[0], number[1], number[2:4], int(number[9:13])
        assert b in "01234"
        assert c == PROVINCE_CODE[address["province"]]
        assert 2562 <= e <= 2568
        assert e >= int(factory["licensed_on"][:4]) + 543 or e in (2562, 2563)
        if address["industrial_estate"]:
            assert (a in "78", b in "23") == (True, True), number
        elif address["industrial_zone"]:
            assert (a in "92", b) == (True, "1"), number
        elif address["province"] == "กรุงเทพมหานคร":
            assert a in "145", number


def test_old_style_numbers_only_for_factories_licensed_before_2562(any_world):
    factories = any_world["factories.jsonl"]
    old = [f for f in factories if f["factory_no_old"]]

    assert old and len(old) < len(factories)
    for factory in factories:
        licensed_be = int(factory["licensed_on"][:4]) + 543
        assert bool(factory["factory_no_old"]) == (licensed_be < 2562)
    assert any(f["factory_no_old"].startswith("จ") for f in old)  # Bangkok's old numbers


def test_every_citizen_edge_case_is_present(world):
    citizens = world["citizens.jsonl"]
    statuses = Counter(c["card_status"] for c in citizens)

    assert set(statuses) == {"active", "expired", "lost", "revoked"}
    unknown = [c for c in citizens if c["birth_month"] is None]
    assert unknown and all(c["birth_day"] is None for c in unknown)
    assert all(c["birth_year_be"] <= 2489 for c in unknown)  # the elderly
    assert any(not c["alive"] and c["card_status"] == "active" for c in citizens)
    assert any(not c["alive"] and c["card_status"] == "revoked" for c in citizens)
    assert any(c["card_status"] == "active" and c["card_expiry"] is None for c in citizens)
    assert any(c["previous_names"] and c["title_th"] == "นาง" for c in citizens)
    assert any(len(c["previous_names"]) == 2 for c in citizens)
    assert any(c["middle_name_th"] for c in citizens)
    assert any(c["first_name_en"] is None and c["last_name_en"] is None for c in citizens)
    assert any(c["pid"].startswith("8") for c in citizens)


def test_cards_are_consistent(any_world):
    laser_codes = [c["laser_code"] for c in any_world["citizens.jsonl"]]
    assert len(set(laser_codes)) == len(laser_codes)
    for citizen in any_world["citizens.jsonl"]:
        code = citizen["laser_code"]
        assert code[:2].isalpha() and code[2].isdigit() and code[3] == "-", code
        assert len(code.replace("-", "")) == 12
        if citizen["card_status"] == "expired":
            assert dt.date.fromisoformat(citizen["card_expiry"]) < dt.date(2026, 1, 1)
        if citizen["card_status"] == "active" and citizen["card_expiry"]:
            # Current for years after the world's reference date, whenever the tests run.
            assert dt.date.fromisoformat(citizen["card_expiry"]) >= dt.date(2029, 1, 1)


def test_every_juristic_person_edge_case_is_present(world):
    juristic = world["juristic_persons.jsonl"]
    citizens = {c["pid"]: c for c in world["citizens.jsonl"]}

    kinds_and_statuses = {(j["kind"], j["status"]) for j in juristic}
    for kind in ("company_limited", "public_company_limited", "limited_partnership"):
        for status in ("active", "dissolved", "closed"):
            assert (kind, status) in kinds_and_statuses
    assert ("registered_partnership", "active") in kinds_and_statuses

    def thai(director):
        return director["nationality"] == "TH"

    assert any(all(not thai(d) for d in j["directors"]) for j in juristic)  # BIZ-05

    def thai_directors(company):
        return [d for d in company["directors"] if thai(d)]

    # BIZ-04: companies whose only Thai directors may not sign.
    assert any(
        thai_directors(j) and not any(d["can_sign"] for d in thai_directors(j)) for j in juristic
    )
    assert any(any(thai(d) for d in j["directors"]) and any(not thai(d) for d in j["directors"])
               for j in juristic)  # fmt: skip
    assert any(j["previous_names_th"] for j in juristic)
    assert any(j["name_en"] is None for j in juristic)
    assert any(not citizens[d["pid"]]["alive"] for j in juristic for d in j["directors"] if thai(d))
    for j in juristic:
        assert j["directors"], j["juristic_id"]
        for director in j["directors"]:
            if thai(director):
                assert director["pid"] in citizens
                assert director["name_th"]
            else:
                assert director["passport_no"] and director["name_en"]
                assert len(director["nationality"]) == 2


def test_commercial_registrations_taxpayers_and_community_enterprises(world):
    citizens = {c["pid"] for c in world["citizens.jsonl"]}
    registrations = world["commercial_registrations.jsonl"]
    assert {r["status"] for r in registrations} == {"active", "cancelled"}
    assert all(
        r["owner_pid"] in citizens and len(r["registration_no"]) == 13 for r in registrations
    )
    assert max(Counter(r["owner_pid"] for r in registrations).values()) >= 2

    taxpayers = world["taxpayers.jsonl"]
    assert {t["kind"] for t in taxpayers} == {
        "government_agency", "state_enterprise", "cooperative", "farmer_group", "foundation",
        "other",
    }  # fmt: skip
    branches = Counter(t["tax_id"] for t in taxpayers)
    assert max(branches.values()) >= 3
    assert all(len(t["branch"]) == 5 and t["branch"].isdigit() for t in taxpayers)
    assert any(t["branch"] != "00000" and branches[t["tax_id"]] == 1 for t in taxpayers)
    assert len({(t["tax_id"], t["branch"]) for t in taxpayers}) == len(taxpayers)

    enterprises = world["community_enterprises.jsonl"]
    juristic = {j["name_th"]: j for j in world["juristic_persons.jsonl"]}
    assert {e["is_juristic"] for e in enterprises} == {True, False}
    assert all(e["representative_pid"] in citizens for e in enterprises)
    assert max(Counter(e["representative_pid"] for e in enterprises).values()) >= 2
    for enterprise in (e for e in enterprises if e["is_juristic"]):
        # BIZ-07: registered as a juristic person, which its representative can verify.
        company = juristic[f"ห้างหุ้นส่วนสามัญนิติบุคคล {enterprise['name_th']}"]
        assert company["kind"] == "registered_partnership"
        partners = {d.get("pid") for d in company["directors"]}
        assert enterprise["representative_pid"] in partners


def test_every_factory_edge_case_is_present(world):
    factories = world["factories.jsonl"]

    assert {f["licence"] for f in factories} == {"ror_ngor_4", "ror_ngor_2", "ieat_03_2"}
    assert {f["factory_class"] for f in factories} == {1, 2, 3}
    assert {f["status"] for f in factories} == {
        "operating", "temporarily_stopped", "not_started", "closed", "revoked",
    }  # fmt: skip
    assert {f["supervisor"] for f in factories} == {"DIW", "PIO", "IEAT"}
    assert {f["factory_no"][1] for f in factories} >= {"0", "1", "2", "3", "4"}
    assert {f["factory_no"][0] for f in factories} >= {"0", "1", "2", "4", "5", "7", "8", "9"}
    assert any(f["horsepower"] == 0 for f in factories)  # no machinery
    assert any(f["horsepower"] >= 40_000 for f in factories)  # the top annual-fee bracket
    assert any(f["operation_started_on"] == "2008-02-29" for f in factories)
    estates = [f for f in factories if f["address"]["industrial_estate"]]
    assert any(f["address"]["province"] == "กรุงเทพมหานคร" for f in estates)
    assert any(f["address"]["industrial_zone"] for f in factories)


def test_bill_03_factories_in_the_exempt_south(world):
    """BILL-03: Factories in the exempt south."""
    places = {
        (f["address"]["province"], f["address"]["district"]) for f in world["factories.jsonl"]
    }

    provinces = {province for province, _ in places}
    assert {"นราธิวาส", "ปัตตานี", "ยะลา"} <= provinces
    songkhla = {district for province, district in places if province == "สงขลา"}
    assert songkhla >= EXEMPT_SONGKHLA_DISTRICTS
    assert songkhla - EXEMPT_SONGKHLA_DISTRICTS  # and Songkhla districts that pay


def test_fac_03_supervisor_follows_the_place(any_world):
    """FAC-03: Supervisor follows the place."""
    for factory in any_world["factories.jsonl"]:
        address = factory["address"]
        if address["industrial_estate"]:
            expected = "IEAT"
        elif address["province"] == "กรุงเทพมหานคร":
            expected = "DIW"
        else:
            expected = "PIO"
        assert factory["supervisor"] == expected, factory["factory_no"]
        if address["industrial_estate"]:
            assert factory["licence"] == "ieat_03_2"


def test_factory_dates_classes_and_positions_are_plausible(any_world):
    for factory in any_world["factories.jsonl"]:
        licensed = dt.date.fromisoformat(factory["licensed_on"])
        started = factory["operation_started_on"]
        if factory["status"] == "not_started":
            assert started is None
        else:
            assert licensed <= dt.date.fromisoformat(started) < dt.date(2026, 1, 1)
        if factory["licence"] != "ieat_03_2":
            assert (factory["licence"] == "ror_ngor_4") == (factory["factory_class"] == 3)
        assert LATITUDES[0] <= factory["latitude"] <= LATITUDES[1]
        assert LONGITUDES[0] <= factory["longitude"] <= LONGITUDES[1]
        assert factory["workers"] > 0


def test_operators_resolve_in_the_other_registries(any_world):
    citizens = {c["pid"] for c in any_world["citizens.jsonl"]}
    juristic = {j["juristic_id"]: j for j in any_world["juristic_persons.jsonl"]}
    taxpayers = {t["tax_id"] for t in any_world["taxpayers.jsonl"]}

    operators = [f["operator_id"] for f in any_world["factories.jsonl"]]

    assert all(o in citizens or o in juristic or o in taxpayers for o in operators)
    assert any(o in citizens for o in operators)
    assert any(o in taxpayers for o in operators)
    kinds = {juristic[o]["kind"] for o in operators if o in juristic}
    assert kinds == {
        "company_limited", "public_company_limited", "limited_partnership",
        "registered_partnership",
    }  # fmt: skip
    assert max(Counter(operators).values()) >= 5


def test_addresses_are_coherent(any_world):
    districts = {(p.name_th, d.name_th): d for p in PROVINCES for d in p.districts}
    records = [
        *any_world["citizens.jsonl"],
        *any_world["juristic_persons.jsonl"],
        *any_world["factories.jsonl"],
    ]
    for record in records:
        address = record["address"]
        district = districts[(address["province"], address["district"])]
        assert address["postcode"] == district.postcode
        assert address["subdistrict"] in district.subdistricts


def test_the_generated_world_loads_through_world_py(tmp_path):
    counts = write_world(tmp_path, seed=SEED, citizens=300)

    world = load_world(tmp_path)

    assert len(world.citizens) == counts["citizens.jsonl"] == 300
    assert len(world.juristic_persons) == counts["juristic_persons.jsonl"]
    assert len(world.commercial_registrations) == counts["commercial_registrations.jsonl"]
    assert sum(len(b) for b in world.taxpayers.values()) == counts["taxpayers.jsonl"]
    assert len(world.community_enterprises) == counts["community_enterprises.jsonl"]
    assert len(world.factories) == counts["factories.jsonl"]
    for factory in world.factories.values():
        operator = factory.operator_id
        assert (
            world.citizen(operator)
            or world.juristic_person(operator)
            or world.taxpayer_branches(operator)
        )
        assert factory in world.factories_of(operator)


def test_write_world_refuses_a_directory_that_is_not_empty(tmp_path):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")

    with pytest.raises(WorldExistsError):
        write_world(tmp_path, citizens=MIN_CITIZENS)
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]

    write_world(tmp_path, citizens=MIN_CITIZENS, force=True)
    assert (tmp_path / "citizens.jsonl").exists()
    assert not list(tmp_path.glob(".*.tmp"))


def test_a_world_needs_enough_citizens_for_its_edge_cases():
    with pytest.raises(ValueError, match=str(MIN_CITIZENS)):
        generate_world(citizens=MIN_CITIZENS - 1)


def test_build_world_command(tmp_path):
    out = tmp_path / "world"

    call_command("build_world", "--seed", "3", "--citizens", "200", "--out", str(out))

    lines = (out / "citizens.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 200
    assert json.loads(lines[0])["pid"]
    with pytest.raises(CommandError, match="--force"):
        call_command("build_world", "--citizens", "200", "--out", str(out))
    with pytest.raises(CommandError, match="at least"):
        call_command("build_world", "--citizens", "10", "--out", str(tmp_path / "tiny"))
    call_command("build_world", "--seed", "4", "--citizens", "200", "--out", str(out), "--force")
    assert (out / "citizens.jsonl").read_text(encoding="utf-8").splitlines() != lines


def test_build_world_writes_to_sandbox_world_by_default(settings, tmp_path):
    settings.SANDBOX_WORLD = str(tmp_path / "default")

    call_command("build_world", "--citizens", "200")

    assert sorted(p.name for p in Path(settings.SANDBOX_WORLD).iterdir()) == sorted(WORLD_FILES)


def test_the_default_world_is_built_quickly(tmp_path):
    started = time.monotonic()
    write_world(tmp_path, citizens=DEFAULT_CITIZENS)
    assert time.monotonic() - started < 10


def test_ensure_default_world_builds_once_where_make_run_expects_it(
    settings, tmp_path, monkeypatch
):
    monkeypatch.delenv("SANDBOX_WORLD", raising=False)
    settings.SANDBOX_WORLD = str(tmp_path / "var" / "world")

    assert ensure_default_world() is True
    assert len(load_world(settings.SANDBOX_WORLD).citizens) == DEFAULT_CITIZENS
    assert ensure_default_world() is False


def test_ensure_default_world_leaves_a_world_chosen_in_the_environment(
    settings, tmp_path, monkeypatch
):
    chosen = tmp_path / "chosen"
    monkeypatch.setenv("SANDBOX_WORLD", str(chosen))
    settings.SANDBOX_WORLD = str(chosen)

    assert ensure_default_world() is False
    assert not chosen.exists()


def test_acc_01_every_world_has_non_thai_residents_with_13_digit_ids(any_world):
    """ACC-01: the civil registry lists non-Thai residents with valid 13-digit IDs too; the
    default world has some of several nationalities, and none of them is a director, owner or
    representative of the world's businesses (they are not among Thai nationals' records)."""
    citizens = any_world["citizens.jsonl"]
    foreign = [c for c in citizens if c["nationality"] != "TH"]
    assert len({c["nationality"] for c in foreign}) >= 5
    assert all(pin.is_valid(c["pid"]) and len(c["nationality"]) == 2 for c in foreign)
    # The first digit does not tell the nationality: 8 is shared with naturalized Thais.
    assert {c["pid"][0] for c in foreign} <= set("678")
    assert any(c["pid"][0] == "8" and c["nationality"] == "TH" for c in citizens)
    assert all(c["card_status"] == "active" and c["alive"] for c in foreign)
    foreign_pids = {c["pid"] for c in foreign}
    directors = {d.get("pid") for j in any_world["juristic_persons.jsonl"] for d in j["directors"]}
    owners = {r["owner_pid"] for r in any_world["commercial_registrations.jsonl"]}
    assert not foreign_pids & (directors | owners)


def test_acc_01_generated_nationality_reaches_the_civil_registry_port(tmp_path, settings):
    """ACC-01: the loader reads `nationality` into the port's Citizen."""
    write_world(tmp_path, seed=SEED, citizens=MIN_CITIZENS)
    loaded = load_world(tmp_path)
    nationalities = {c.to_citizen().nationality for c in loaded.citizens.values()}
    assert "TH" in nationalities and len(nationalities) > 1
    assert all(c.to_citizen().is_thai == (c.nationality == "TH") for c in loaded.citizens.values())

"""Loading sandbox worlds (sandbox-world/README.md): tolerant of what the format allows, precise
about what it does not."""

import datetime as dt
import json
import os
import time
from decimal import Decimal
from pathlib import Path

import pytest

from portal.registries.dopa import Citizen
from portal.registries.world import (
    WORLD_FILES,
    WorldFormatError,
    current_world,
    load_world,
)
from tests.factories import make_pid

# Made elsewhere, beside the project; a fresh machine does not have it.
SHARED_SAMPLE = Path(__file__).resolve().parents[3] / "shared" / "sandbox-world" / "sample"


def write_jsonl(path: Path, rows: list) -> None:
    lines = [row if isinstance(row, str) else json.dumps(row, ensure_ascii=False) for row in rows]
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")


def citizen(pid: str, **fields) -> dict:
    return {
        "pid": pid,
        "title_th": "นาง",
        "first_name_th": "มาลี",
        "last_name_th": "ศรีสุข",
        "first_name_en": "Mali",
        "last_name_en": "Srisuk",
        "middle_name_th": None,
        "birth_year_be": 2510,
        "birth_month": 4,
        "birth_day": 13,
        "laser_code": "ME1-2345678-90",
        "card_status": "active",
        "card_expiry": "2031-04-13",
        "alive": True,
        "address": {"house_no": "12/3", "moo": "4", "subdistrict": "ศรีภูมิ",
                    "district": "เมืองเชียงใหม่", "province": "เชียงใหม่", "postcode": "50200"},
        "previous_names": [
            {"first_name_th": "มาลี", "last_name_th": "ทองคำ", "until": "2015-06-01"},
        ],
        **fields,
    }  # fmt: skip


def small_world(root: Path) -> dict[str, str]:
    """A world with one record of each kind, linked as the format links them."""
    person, director = make_pid(), make_pid()
    write_jsonl(root / "citizens.jsonl", [citizen(person), citizen(director, first_name_th="ก")])
    write_jsonl(
        root / "juristic_persons.jsonl",
        [
            {
                "juristic_id": "0105561000013",
                "kind": "company_limited",
                "name_th": "บริษัท ตัวอย่าง จำกัด",
                "name_en": "EXAMPLE CO., LTD.",
                "previous_names_th": ["บริษัท ชื่อเดิม จำกัด"],
                "registered_on": "2018-03-01",
                "status": "active",
                "capital_baht": 1000000,
                "objective": "ผลิตพลาสติก",
                "address": {"province": "กรุงเทพมหานคร"},
                "directors": [
                    {"pid": director, "name_th": "นายก ข", "nationality": "TH", "can_sign": False},
                    {"passport_no": "TK1234567", "name_en": "Yuki Sato", "nationality": "jp",
                     "can_sign": True},
                ],
            }
        ],
    )  # fmt: skip
    write_jsonl(
        root / "commercial_registrations.jsonl",
        [
            {"registration_no": "1010000000011", "owner_pid": person, "trade_name_th": "ร้านเก่า",
             "status": "cancelled"},
            {"registration_no": "1010000000022", "owner_pid": person, "trade_name_th": "ร้านใหม่",
             "status": "active"},
        ],
    )  # fmt: skip
    write_jsonl(
        root / "taxpayers.jsonl",
        [
            {"tax_id": "0994000158378", "kind": "cooperative", "name_th": "สหกรณ์ สาขา 1",
             "name_en": None, "branch": "00001"},
            {"tax_id": "0994000158378", "kind": "cooperative", "name_th": "สหกรณ์",
             "name_en": None, "branch": "00000"},
        ],
    )  # fmt: skip
    write_jsonl(
        root / "community_enterprises.jsonl",
        [
            {"registration_no": "1-50-01-01/1-0001", "name_th": "วิสาหกิจชุมชนทอผ้า",
             "representative_pid": person, "is_juristic": False}
        ],
    )  # fmt: skip
    write_jsonl(
        root / "factories.jsonl",
        [
            {"factory_no": "10100001256201", "factory_no_old": "จ3-53(5)-1/45กท",
             "name_th": "โรงงานตัวอย่าง", "operator_id": "0105561000013", "licence": "ror_ngor_4",
             "factory_class": 3, "category": "53(5)", "horsepower": 120.5, "workers": 80,
             "status": "operating", "operation_started_on": "2005-11-30",
             "licensed_on": "2005-06-01",
             "address": {"province": "กรุงเทพมหานคร", "industrial_estate": None,
                         "industrial_zone": None},
             "supervisor": "DIW", "latitude": 13.75, "longitude": 100.5},
            {"factory_no": "20300002256305", "name_th": "โรงสี", "operator_id": person,
             "licence": "ror_ngor_2", "factory_class": 2, "status": "not_started",
             "operation_started_on": None},
        ],
    )  # fmt: skip
    return {"person": person, "director": director}


def test_absent_directory_is_a_world_that_knows_nobody(tmp_path):
    world = load_world(tmp_path / "nowhere")

    assert world.citizens == {}
    assert world.juristic_persons == {}
    assert world.factories == {}
    assert world.factories_of("0105561000013") == ()


def test_an_absent_file_means_that_registry_knows_nobody(tmp_path):
    pid = make_pid()
    write_jsonl(tmp_path / "citizens.jsonl", [citizen(pid)])

    world = load_world(tmp_path)

    assert list(world.citizens) == [pid]
    assert world.juristic_persons == {}
    assert world.commercial_registrations_of(pid) == ()
    assert world.taxpayers == {}
    assert world.community_enterprises_of(pid) == ()
    assert world.factories == {}


def test_every_file_and_index_of_a_small_world(tmp_path):
    ids = small_world(tmp_path)

    world = load_world(tmp_path)

    person = world.citizen(ids["person"])
    assert person.birth_year_be == 2510
    assert person.card_expiry == dt.date(2031, 4, 13)
    assert person.previous_names[0].last_name_th == "ทองคำ"
    assert person.previous_names[0].until == dt.date(2015, 6, 1)
    assert person.address["postcode"] == "50200"
    assert person.address["road"] is None

    company = world.juristic_person("0105561000013")
    assert company.previous_names_th == ("บริษัท ชื่อเดิม จำกัด",)
    assert company.registered_on == dt.date(2018, 3, 1)
    thai, foreign = company.directors
    assert (thai.pid, thai.is_thai, thai.can_sign) == (ids["director"], True, False)
    assert (foreign.passport_no, foreign.nationality, foreign.is_thai) == ("TK1234567", "JP", False)

    registrations = world.commercial_registrations_of(ids["person"])
    assert [r.trade_name_th for r in registrations] == ["ร้านเก่า", "ร้านใหม่"]

    assert [t.branch for t in world.taxpayer_branches("0994000158378")] == ["00000", "00001"]
    assert world.taxpayer("0994000158378").name_th == "สหกรณ์"
    assert world.taxpayer("0994000158378", "00001").name_th == "สหกรณ์ สาขา 1"
    assert world.taxpayer("0994000158378", "00009") is None

    assert [e.name_th for e in world.community_enterprises_of(ids["person"])] == ["วิสาหกิจชุมชนทอผ้า"]

    factory = world.factory("10100001256201")
    assert factory.horsepower == Decimal("120.5")
    assert factory.operation_started_on == dt.date(2005, 11, 30)
    assert factory.address["industrial_estate"] is None
    assert [f.factory_no for f in world.factories_of("0105561000013")] == ["10100001256201"]
    mill = world.factories_of(ids["person"])[0]
    assert (mill.operation_started_on, mill.factory_no_old, mill.horsepower) == (None, "", None)


def test_unknown_fields_are_ignored(tmp_path):
    pid = make_pid()
    record = citizen(pid, favourite_colour="green", blood_group="B")
    record["address"]["geohash"] = "w4rqnp"
    write_jsonl(tmp_path / "citizens.jsonl", [record])
    write_jsonl(tmp_path / "weather.jsonl", ["{not even json"])

    person = load_world(tmp_path).citizen(pid)

    assert person.first_name_th == "มาลี"
    assert not hasattr(person, "favourite_colour")
    assert "geohash" not in person.address


def test_missing_optional_fields_are_tolerated(tmp_path):
    pid = make_pid()
    write_jsonl(tmp_path / "citizens.jsonl", [{"pid": pid}])
    write_jsonl(tmp_path / "juristic_persons.jsonl", [{"juristic_id": "0105561000013"}])
    write_jsonl(tmp_path / "factories.jsonl", [{"factory_no": "10100001256201"}])

    world = load_world(tmp_path)

    person = world.citizen(pid)
    assert (person.first_name_en, person.birth_month, person.card_expiry) == ("", None, None)
    assert person.alive is True
    assert person.previous_names == ()
    assert world.juristic_person("0105561000013").directors == ()
    assert world.factory("10100001256201").operator_id == ""
    assert world.factories_by_operator == {}


def test_a_malformed_line_stops_the_load_naming_file_and_line(tmp_path):
    write_jsonl(tmp_path / "citizens.jsonl", [citizen(make_pid()), citizen(make_pid())])
    write_jsonl(
        tmp_path / "factories.jsonl",
        [{"factory_no": "10100001256201"}, "", '{"factory_no": "20300002256305", "workers": '],
    )

    with pytest.raises(WorldFormatError) as raised:
        load_world(tmp_path)

    error = raised.value
    assert error.path == str(tmp_path / "factories.jsonl")
    assert error.line_no == 3
    assert str(error).startswith(f"{tmp_path / 'factories.jsonl'}, line 3: not JSON")


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ({"first_name_th": "มาลี"}, "field 'pid' is required"),
        ({"pid": 1234567890123}, "field 'pid' must be text, not int"),
        ({"pid": "x", "birth_month": "April"}, "field 'birth_month' must be a whole number"),
        ({"pid": "x", "card_expiry": "13/04/2031"}, "field 'card_expiry' must be a date"),
        ({"pid": "x", "alive": "yes"}, "field 'alive' must be true or false"),
        ({"pid": "x", "address": "Chiang Mai"}, "field 'address' must be an object"),
        ({"pid": "x", "previous_names": {}}, "field 'previous_names' must be a list"),
        (["pid", "x"], "each line must be a JSON object"),
    ],
)
def test_a_line_not_in_the_format_names_the_field(tmp_path, line, message):
    write_jsonl(tmp_path / "citizens.jsonl", [citizen(make_pid()), line])

    with pytest.raises(WorldFormatError) as raised:
        load_world(tmp_path)

    assert raised.value.line_no == 2
    assert message in str(raised.value)
    assert "citizens.jsonl" in str(raised.value)


def test_a_repeated_key_is_a_format_error(tmp_path):
    pid = make_pid()
    write_jsonl(tmp_path / "citizens.jsonl", [citizen(pid), citizen(make_pid()), citizen(pid)])

    with pytest.raises(WorldFormatError, match=r"line 3: .* repeats line 1"):
        load_world(tmp_path)


def test_a_file_that_is_not_utf8_is_a_format_error(tmp_path):
    (tmp_path / "citizens.jsonl").write_bytes(
        json.dumps(citizen(make_pid()), ensure_ascii=False).encode() + b"\n"
        + json.dumps(citizen(make_pid()), ensure_ascii=False).encode("cp874") + b"\n"
    )  # fmt: skip

    with pytest.raises(WorldFormatError, match="not UTF-8"):
        load_world(tmp_path)


def test_blank_lines_and_a_byte_order_mark_are_tolerated(tmp_path):
    pid = make_pid()
    text = "\ufeff" + json.dumps(citizen(pid), ensure_ascii=False) + "\n\n   \n"
    (tmp_path / "citizens.jsonl").write_text(text, encoding="utf-8")

    assert list(load_world(tmp_path).citizens) == [pid]


def test_a_citizen_record_becomes_the_ports_citizen(tmp_path):
    pid = make_pid()
    write_jsonl(tmp_path / "citizens.jsonl", [citizen(pid, middle_name_th="ปีเตอร์")])

    person = load_world(tmp_path).citizen(pid).to_citizen()

    assert isinstance(person, Citizen)
    assert person.pid == pid
    assert person.middle_name_th == "ปีเตอร์"
    assert person.card_expiry == dt.date(2031, 4, 13)
    assert person.address["province"] == "เชียงใหม่"
    assert not hasattr(person, "laser_code")


def test_current_world_is_read_once_and_again_when_a_file_changes(settings, tmp_path):
    settings.SANDBOX_WORLD = str(tmp_path)
    first = make_pid()
    write_jsonl(tmp_path / "citizens.jsonl", [citizen(first)])

    world = current_world()
    assert current_world() is world
    assert list(world.citizens) == [first]

    second = make_pid()
    write_jsonl(tmp_path / "citizens.jsonl", [citizen(first), citizen(second)])
    assert list(current_world().citizens) == [first, second]

    write_jsonl(tmp_path / "factories.jsonl", [{"factory_no": "10100001256201"}])
    assert list(current_world().factories) == ["10100001256201"]


def test_current_world_follows_the_setting(settings, tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir()
    two.mkdir()
    pid_one, pid_two = make_pid(), make_pid()
    write_jsonl(one / "citizens.jsonl", [citizen(pid_one)])
    write_jsonl(two / "citizens.jsonl", [citizen(pid_two)])

    settings.SANDBOX_WORLD = str(one)
    assert list(current_world().citizens) == [pid_one]
    settings.SANDBOX_WORLD = str(two)
    assert list(current_world().citizens) == [pid_two]


def test_a_file_rewritten_to_the_same_size_and_mtime_is_still_read_again(settings, tmp_path):
    settings.SANDBOX_WORLD = str(tmp_path)
    path = tmp_path / "citizens.jsonl"
    write_jsonl(path, [citizen(make_pid())])
    before = path.stat()
    current_world()
    time.sleep(0.02)  # past the file system's clock tick, as any real edit would be

    replacement = make_pid()
    write_jsonl(path, [citizen(replacement)])  # only the pid differs: the same size
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))

    assert path.stat().st_size == before.st_size
    assert list(current_world().citizens) == [replacement]


def test_a_world_made_elsewhere_loads(tmp_path):
    """The shared sample world where this machine has it, else a world written here by hand:
    either way a world the project's generator did not make."""
    if (SHARED_SAMPLE / "citizens.jsonl").exists():
        root = SHARED_SAMPLE
    else:
        root = tmp_path
        small_world(root)

    world = load_world(root)

    assert world.citizens
    assert world.juristic_persons
    assert world.factories
    assert all(len(pid) == 13 for pid in world.citizens)
    for factory in world.factories.values():
        assert factory in world.factories_of(factory.operator_id)
    for registration in world.commercial_registrations.values():
        assert registration in world.commercial_registrations_of(registration.owner_pid)
    for name in WORLD_FILES:
        assert (root / name).exists()

"""FAC-03 who supervises a factory, BILL-02 who bills it, BILL-03 who is exempt from fees."""

import json
from collections import Counter
from pathlib import Path

import pytest
from django.utils import translation

from portal.operators import supervisors
from portal.operators.supervisors import (
    EXEMPTION_REASONS,
    PROVINCES,
    SupervisingOffice,
    UnknownProvince,
    annual_fee_exempt,
    canonical_province,
    licence_fee_exempt,
    offices,
    supervising_office_for,
)
from portal.sandbox import world_generator

# Made elsewhere, beside the project; a fresh machine does not have it.
SHARED_FACTORIES = (
    Path(__file__).resolve().parents[3] / "shared" / "sandbox-world" / "sample" / "factories.jsonl"
)


def world_factories() -> list[dict]:
    """The sample world's factories, or when it is absent one of each province and estate of
    the world generator."""
    if SHARED_FACTORIES.exists():
        with SHARED_FACTORIES.open(encoding="utf-8") as lines:
            return [json.loads(line) for line in lines if line.strip()]
    by_code = world_generator.PROVINCE_BY_CODE
    rows = [
        {
            "address": {
                "province": p.name_th,
                "district": p.districts[0].name_th,
                "industrial_estate": None,
            },
            "supervisor": "DIW" if p.code == world_generator.BANGKOK else "PIO",
        }
        for p in world_generator.PROVINCES
    ]
    rows += [
        {
            "address": {
                "province": by_code[code].name_th,
                "district": district,
                "industrial_estate": name,
            },
            "supervisor": "IEAT",
        }
        for name, code, district in world_generator.ESTATES
    ]
    return rows


# --- the data -------------------------------------------------------------------------------


def test_fac_03_the_data_has_78_offices_with_unique_codes():
    """FAC-03: The data has 78 offices with unique codes."""
    raw = json.loads(supervisors.DATA_FILE.read_text(encoding="utf-8"))["offices"]

    assert len(raw) == 78
    assert len({row["code"] for row in raw}) == 78
    assert Counter(row["kind"] for row in raw) == {"PIO": 76, "DIW": 1, "IEAT": 1}
    assert len(offices()) == 78
    for row in raw:
        assert set(row) == {
            "code",
            "kind",
            "name_th",
            "name_en",
            "province",
            "province_code",
            "address",
            "phone",
            "illustrative",
            "source",
        }
        assert row["name_th"] and row["name_en"] and row["address"]
        assert isinstance(row["illustrative"], bool)


def test_fac_03_every_province_exactly_once():
    """FAC-03: Every province exactly once."""
    provinces = [o.province for o in offices().values() if o.province is not None]

    assert len(provinces) == 77
    assert sorted(provinces) == sorted(p.name_th for p in PROVINCES)
    assert offices()["IEAT"].province is None  # it serves estates in every province


def test_fac_03_the_77_provinces():
    """FAC-03: The 77 provinces."""
    assert len(PROVINCES) == 77
    assert len({p.code for p in PROVINCES}) == 77
    assert len({p.name_th for p in PROVINCES}) == 77
    assert len({p.name_en for p in PROVINCES}) == 77
    for office in offices().values():
        if office.kind == "PIO":
            province = supervisors.PROVINCE_BY_NAME[office.province]
            assert office.code == f"PIO-{province.code}"
            assert office.province_code == province.code
            assert office.name_th == f"สำนักงานอุตสาหกรรมจังหวัด{province.name_th}"
            assert office.name_en == f"{province.name_en} Provincial Industry Office"


def test_fac_03_provinces_agree_with_the_world_generator():
    """FAC-03: Provinces agree with the world generator."""
    ours = {p.code: (p.name_th, p.name_en) for p in PROVINCES}

    for province in world_generator.PROVINCES:
        assert ours[province.code] == (province.name_th, province.name_en)


def test_fac_03_contact_data_not_from_the_source_material_is_illustrative():
    """FAC-03: Contact data not from the source material is illustrative."""
    diw = offices()["DIW"]
    assert diw.illustrative is False
    assert diw.address == "75/6 ถนนพระรามที่ 6 แขวงทุ่งพญาไท เขตราชเทวี กรุงเทพมหานคร 10400"
    assert diw.phone == "02 202 4000"
    assert diw.source
    for office in offices().values():
        if office.code != "DIW":
            assert office.illustrative is True
            assert office.source is None
    # No invented phone numbers for the provincial offices.
    assert {o.phone for o in offices().values() if o.kind == "PIO"} == {None}


def test_fac_03_office_names_in_both_languages():
    """FAC-03: Office names in both languages."""
    office = offices()["PIO-50"]

    assert office.name("th") == "สำนักงานอุตสาหกรรมจังหวัดเชียงใหม่"
    assert office.name("en") == "Chiang Mai Provincial Industry Office"
    with translation.override("en"):
        assert office.name() == "Chiang Mai Provincial Industry Office"


# --- who supervises -------------------------------------------------------------------------


def test_fac_03_every_factory_of_the_sandbox_world_resolves():
    """FAC-03: Every factory of the sandbox world resolves."""
    factories = world_factories()

    assert factories
    for factory in factories:
        address = factory["address"]
        given = supervising_office_for(
            province=address["province"],
            industrial_estate=address["industrial_estate"],
            supervisor=factory["supervisor"],
        )
        derived = supervising_office_for(
            province=address["province"],
            industrial_estate=address["industrial_estate"],
            supervisor=None,
        )
        assert isinstance(given, SupervisingOffice)
        assert given.kind == factory["supervisor"]
        assert derived == given
        if given.kind == "PIO":
            assert given.province == address["province"]


def test_fac_03_every_province_resolves_by_thai_and_english_name():
    """FAC-03: Every province resolves by thai and english name."""
    for province in PROVINCES:
        office = supervising_office_for(province=province.name_th, industrial_estate=None)
        assert office.province == province.name_th
        assert supervising_office_for(province=province.name_en, industrial_estate=None) == office


def test_fac_03_bangkok_is_diw():
    """FAC-03: Bangkok is DIW."""
    office = supervising_office_for(
        province="กรุงเทพมหานคร", industrial_estate=None, supervisor=None
    )

    assert office.code == "DIW"
    assert office.name_th == "กรมโรงงานอุตสาหกรรม"
    for spelling in ("กรุงเทพฯ", "กทม.", "จังหวัดกรุงเทพมหานคร", "Bangkok", " bangkok "):
        assert supervising_office_for(province=spelling, industrial_estate=None) == office
    # Bangkok has no provincial industry office: the world's PIO there means DIW.
    assert supervising_office_for(province="กรุงเทพมหานคร", supervisor="PIO").code == "DIW"


def test_fac_03_an_estate_is_ieat():
    """FAC-03: An estate is IEAT."""
    office = supervising_office_for(
        province="ชลบุรี", industrial_estate="นิคมอุตสาหกรรมแหลมฉบัง", supervisor=None
    )

    assert office.code == "IEAT"
    assert office.name_th == "การนิคมอุตสาหกรรมแห่งประเทศไทย"
    assert (
        supervising_office_for(province="กรุงเทพมหานคร", industrial_estate="นิคมอุตสาหกรรมลาดกระบัง")
        == office
    )
    assert supervising_office_for(province="ชลบุรี", industrial_estate="  ").code == "PIO-20"


def test_fac_03_a_province_elsewhere_is_its_industry_office():
    """FAC-03: A province elsewhere is its industry office."""
    office = supervising_office_for(province="เชียงใหม่", industrial_estate=None, supervisor=None)

    assert office.code == "PIO-50"
    assert office.name_th == "สำนักงานอุตสาหกรรมจังหวัดเชียงใหม่"
    assert supervising_office_for(province="จ.เชียงใหม่", industrial_estate=None) == office
    assert supervising_office_for(province="จังหวัด เชียงใหม่", industrial_estate=None) == office


def test_fac_03_the_worlds_supervisor_wins():
    # In an estate but supervised by the province's office, as the world says.
    """FAC-03: The worlds supervisor wins."""
    assert (
        supervising_office_for(
            province="ระยอง", industrial_estate="นิคมอุตสาหกรรมมาบตาพุด", supervisor="PIO"
        ).code
        == "PIO-21"
    )
    assert (
        supervising_office_for(province="ระยอง", industrial_estate=None, supervisor="IEAT")
        == (offices()["IEAT"])
    )
    assert (
        supervising_office_for(province="ระยอง", industrial_estate=None, supervisor="diw")
        == (offices()["DIW"])
    )
    assert supervising_office_for(province="ระยอง", supervisor="PIO-20").code == "PIO-20"


def test_fac_03_unknown_province_and_supervisor_are_errors():
    """FAC-03: Unknown province and supervisor are errors."""
    with pytest.raises(UnknownProvince):
        supervising_office_for(province="แอตแลนติส", industrial_estate=None)
    with pytest.raises(UnknownProvince):
        supervising_office_for(province="", industrial_estate=None)
    with pytest.raises(ValueError, match="unknown supervisor"):
        supervising_office_for(province="ระยอง", supervisor="BOI")
    # An estate needs no province: IEAT serves them all.
    assert supervising_office_for(province="", industrial_estate="นิคมอุตสาหกรรมบางปู").code == (
        "IEAT"
    )


def test_fac_03_canonical_province_spellings():
    """FAC-03: Canonical province spellings."""
    assert canonical_province("Chonburi") == "ชลบุรี"
    assert canonical_province("CHON BURI") == "ชลบุรี"
    assert canonical_province("Ayutthaya") == "พระนครศรีอยุธยา"
    assert canonical_province("Phang Nga") == "พังงา"
    assert canonical_province("Sisaket") == "ศรีสะเกษ"
    assert canonical_province("  สงขลา ") == "สงขลา"


# --- who is billed --------------------------------------------------------------------------


def test_bill_02_only_provincial_industry_offices_issue_annual_fee_bills():
    """BILL-02: Only provincial industry offices issue annual fee bills."""
    assert {o.kind for o in offices().values() if o.issues_annual_fee_bills} == {"PIO"}
    assert offices()["DIW"].issues_annual_fee_bills is False
    assert offices()["IEAT"].issues_annual_fee_bills is False
    assert supervising_office_for(province="ขอนแก่น", industrial_estate=None).issues_annual_fee_bills


# --- who is exempt --------------------------------------------------------------------------


@pytest.mark.parametrize("province", ["นราธิวาส", "ปัตตานี", "ยะลา", "Narathiwat", "จ.ยะลา"])
def test_bill_03_southern_border_provinces_pay_no_licence_or_annual_fee(province):
    """BILL-03: Southern border provinces pay no licence or annual fee."""
    assert licence_fee_exempt(province=province, district="เมือง") is True
    assert annual_fee_exempt(province=province, district=None, industrial_estate=None) == (
        True,
        "southern_border_province",
    )


@pytest.mark.parametrize(
    "district", ["จะนะ", "เทพา", "นาทวี", "สะบ้าย้อย", "อำเภอจะนะ", "อ.เทพา", "Na Thawi", "Saba Yoi"]
)
def test_bill_03_four_songkhla_districts_pay_no_licence_or_annual_fee(district):
    """BILL-03: Four songkhla districts pay no licence or annual fee."""
    assert licence_fee_exempt(province="สงขลา", district=district) is True
    assert annual_fee_exempt(province="สงขลา", district=district, industrial_estate=None) == (
        True,
        "songkhla_district",
    )


@pytest.mark.parametrize("district", ["หาดใหญ่", "เมืองสงขลา", None, ""])
def test_bill_03_other_songkhla_districts_pay(district):
    """BILL-03: Other songkhla districts pay."""
    assert licence_fee_exempt(province="สงขลา", district=district) is False
    assert annual_fee_exempt(province="สงขลา", district=district, industrial_estate=None) == (
        False,
        "",
    )


def test_bill_03_the_districts_count_only_in_songkhla():
    # A district of the same name elsewhere is not exempt.
    """BILL-03: The districts count only in songkhla."""
    assert licence_fee_exempt(province="ชลบุรี", district="จะนะ") is False


def test_bill_03_an_industrial_estate_pays_no_annual_fee_but_a_licence_fee():
    """BILL-03: An industrial estate pays no annual fee but a licence fee."""
    assert annual_fee_exempt(
        province="ชลบุรี", district="ศรีราชา", industrial_estate="นิคมอุตสาหกรรมแหลมฉบัง"
    ) == (True, "industrial_estate")
    assert licence_fee_exempt(province="ชลบุรี", district="ศรีราชา") is False


def test_bill_03_an_estate_in_an_exempt_district_names_the_wider_exemption():
    """BILL-03: An estate in an exempt district names the wider exemption."""
    assert annual_fee_exempt(
        province="สงขลา", district="เทพา", industrial_estate="นิคมอุตสาหกรรมภาคใต้ (สงขลา)"
    ) == (True, "songkhla_district")


def test_bill_03_everyone_else_pays():
    """BILL-03: Everyone else pays."""
    for province in ("กรุงเทพมหานคร", "เชียงใหม่", "สตูล", "ระยอง"):
        assert licence_fee_exempt(province=province, district=None) is False
        assert annual_fee_exempt(province=province, district=None, industrial_estate=None) == (
            False,
            "",
        )


def test_bill_03_every_reason_has_a_label():
    """BILL-03: Every reason has a label."""
    assert set(EXEMPTION_REASONS) == {
        "southern_border_province",
        "songkhla_district",
        "industrial_estate",
    }
    with translation.override("en"):
        assert str(EXEMPTION_REASONS["industrial_estate"]) == (
            "Factories inside an industrial estate under the IEAT Act pay no annual fee."
        )


def test_bill_03_the_sandbox_world_agrees():
    """BILL-03: The world generator marks the exempt districts; our rule finds the same ones."""
    for province in world_generator.PROVINCES:
        for district in province.districts:
            exempt = province.exempt or district.exempt
            assert (
                licence_fee_exempt(province=province.name_th, district=district.name_th) is exempt
            )
    for factory in world_factories():
        address = factory["address"]
        exempt, reason = annual_fee_exempt(
            province=address["province"],
            district=address["district"],
            industrial_estate=address["industrial_estate"],
        )
        if address["industrial_estate"]:
            assert exempt is True
        if address["province"] in ("นราธิวาส", "ปัตตานี", "ยะลา"):
            assert reason == "southern_border_province"

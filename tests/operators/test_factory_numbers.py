"""FAC-04: the 14-digit factory registration number, its check digit through a setting, and
search strings holding new numbers, old numbers or text."""

import json
from pathlib import Path

import pytest
from django.test import override_settings
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from portal.core import thaidate
from portal.operators import factory_numbers
from portal.operators.factory_numbers import (
    AUTHORITIES,
    ZONES,
    FactoryNumber,
    InvalidFactoryNumber,
    mod11_check_digit,
    normalize_factory_query,
    parse_factory_no,
)
from portal.sandbox.world_generator import factory_no_check_digit

MOD11 = "portal.operators.factory_numbers.mod11_check_digit"
# Made elsewhere, beside the project; a fresh machine does not have it.
SHARED_FACTORIES = (
    Path(__file__).resolve().parents[3] / "shared" / "sandbox-world" / "sample" / "factories.jsonl"
)


@pytest.fixture(autouse=True)
def _english_messages():
    """The messages are compared with their English source; the Thai catalogue translates them
    for the pages (checked in test_fac_04_messages_are_in_thai_for_thai_pages)."""
    from django.utils import translation

    with translation.override("en"):
        yield


def test_fac_04_messages_are_in_thai_for_thai_pages():
    """FAC-04: Messages are in thai for thai pages."""
    from django.utils import translation

    with translation.override("th"), pytest.raises(InvalidFactoryNumber) as error:
        parse_factory_no("123")
    assert "14 หลัก" in error.value.message


def number(first13: str) -> str:
    return first13 + str(mod11_check_digit(first13))


def wrong_check_digit(first13: str) -> str:
    return first13 + str((mod11_check_digit(first13) + 1) % 10)


@pytest.fixture
def checked(settings):
    settings.FACTORY_NO_CHECK_DIGIT = MOD11


@pytest.fixture
def unchecked(settings):
    settings.FACTORY_NO_CHECK_DIGIT = ""


def refused(raw: str) -> InvalidFactoryNumber:
    with pytest.raises(InvalidFactoryNumber) as caught:
        parse_factory_no(raw)
    return caught.value


# --- the groups -----------------------------------------------------------------------------


def test_fac_04_parses_every_group(checked):
    """FAC-04: Parses every group."""
    parsed = parse_factory_no("20300000125671")

    assert parsed == FactoryNumber(
        authority="2",
        zone="0",
        area="30",
        running="00001",
        year_be=2567,
        check_digit="1",
        check_digit_verified=True,
    )
    assert parsed.number == str(parsed) == "20300000125671"
    assert parsed.first13 == "2030000012567"
    assert parsed.grouped == "2-0-30-00001-2567-1"
    assert parsed.running_number == 1


@pytest.mark.parametrize(
    ("digit", "thai", "english"),
    [
        ("1", "กรมโรงงานอุตสาหกรรม", "Department of Industrial Works (DIW)"),
        ("2", "สำนักงานอุตสาหกรรมจังหวัด", "Provincial Industry Office"),
        (
            "3",
            "กรมอุตสาหกรรมพื้นฐานและการเหมืองแร่",
            "Department of Primary Industries and Mines (DPIM)",
        ),
        (
            "4",
            "สำนักงานคณะกรรมการกำกับกิจการพลังงาน",
            "Office of the Energy Regulatory Commission (ERC)",
        ),
        ("5", "กรุงเทพมหานคร", "Bangkok Metropolitan Administration (BMA)"),
        ("6", "องค์กรปกครองส่วนท้องถิ่น (เทศบาล)", "Local government (municipality)"),
        (
            "7",
            "การนิคมอุตสาหกรรมแห่งประเทศไทย (สำนักงานใหญ่)",
            "Industrial Estate Authority of Thailand (IEAT), head office",
        ),
        (
            "8",
            "การนิคมอุตสาหกรรมแห่งประเทศไทย (สำนักงานนิคมอุตสาหกรรม)",
            "Industrial Estate Authority of Thailand (IEAT), industrial estate office",
        ),
        ("9", "เขตประกอบการอุตสาหกรรม ตามมาตรา 30", "Industrial zone (section 30)"),
        ("0", "อื่น ๆ เช่น BOI หรือ EEC", "Other, such as the BOI or the EEC"),
    ],
)
def test_fac_04_every_authority_code(checked, digit, thai, english):
    """FAC-04: Every authority code."""
    parsed = parse_factory_no(number(f"{digit}010000122567"))

    assert parsed.authority == digit
    assert parsed.authority_name("th") == thai
    assert parsed.authority_name("en") == english


@pytest.mark.parametrize(
    ("digit", "thai", "english", "estate", "zone"),
    [
        (
            "0",
            "นอกนิคมอุตสาหกรรมและเขตประกอบการ",
            "Outside industrial estates and zones",
            False,
            False,
        ),
        ("1", "ในเขตประกอบการอุตสาหกรรม", "Inside an industrial zone", False, True),
        ("2", "ในนิคมอุตสาหกรรม", "Inside an industrial estate", True, False),
        ("3", "ในนิคมอุตสาหกรรม", "Inside an industrial estate", True, False),
        (
            "4",
            "ในเขตพัฒนาพิเศษภาคตะวันออกหรือเขตเศรษฐกิจพิเศษ",
            "In the Eastern Economic Corridor or a special economic zone",
            False,
            False,
        ),
    ],
)
def test_fac_04_every_zone_code(checked, digit, thai, english, estate, zone):
    """FAC-04: Every zone code."""
    parsed = parse_factory_no(number(f"8{digit}06000122567"))

    assert parsed.zone == digit
    assert parsed.zone_name("th") == thai
    assert parsed.zone_name("en") == english
    assert parsed.in_industrial_estate is estate
    assert parsed.in_industrial_zone is zone


def test_fac_04_the_tables_cover_every_code_of_the_rule():
    """FAC-04: The tables cover every code of the rule."""
    assert sorted(AUTHORITIES) == list("0123456789")
    assert sorted(ZONES) == list("01234")


def test_fac_04_explains_the_number_in_thai_and_english(unchecked):
    """FAC-04: Explains the number in thai and english."""
    parsed = parse_factory_no("1002001252567" + "9")

    assert parsed.explain("th") == (
        "ออกโดย: กรมโรงงานอุตสาหกรรม; ที่ตั้ง: นอกนิคมอุตสาหกรรมและเขตประกอบการ; "
        "พื้นที่: 02 (รหัสพื้นที่ที่ยังไม่มีชื่อในระบบ); ลำดับที่ 00125 ของปี พ.ศ. 2567"
    )
    assert parsed.explain("en") == (
        "Issued by: Department of Industrial Works (DIW); Location: Outside industrial estates "
        "and zones; Area: 02 (an area code the portal has no name for); Number 00125 of 2024 "
        "(B.E. 2567)"
    )
    with translation.override("en"):
        assert parsed.explain() == parsed.explain("en")
    with translation.override("th"):
        assert parsed.explain() == parsed.explain("th")
    assert parsed.parts("th")[0] == ("ออกโดย", "กรมโรงงานอุตสาหกรรม")


def test_fac_04_accepts_spaces_dashes_and_thai_digits(checked):
    """FAC-04: Accepts spaces dashes and thai digits."""
    assert parse_factory_no(" 2-0-30-00001-2567-1 ").number == "20300000125671"
    assert parse_factory_no("2 0 30 00001 2567 1").number == "20300000125671"
    assert parse_factory_no("๒๐๓๐๐๐๐๐๑๒๕๖๗๑").number == "20300000125671"


# --- each error code ------------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["2030000012567", "203000001256711", "", "1"])
def test_fac_04_refuses_a_wrong_length(checked, raw):
    """FAC-04: Refuses a wrong length."""
    error = refused(raw)

    assert error.code == "length"
    assert error.message == (f"A factory registration number has 14 digits, not {len(raw)}.")
    assert str(error) == error.message


@pytest.mark.parametrize("raw", ["2030000012567A", "20300000125.71", "abc", "2030000012567¹"])
def test_fac_04_refuses_anything_but_digits(checked, raw):
    """FAC-04: Refuses anything but digits."""
    error = refused(raw)

    assert error.code == "digits"
    assert error.message == (
        "A factory registration number is made of digits only (spaces and dashes may separate "
        "them)."
    )


def test_fac_04_refuses_an_authority_missing_from_the_table(checked, monkeypatch):
    # Every digit is an authority today; the check guards a table that loses a code.
    """FAC-04: Refuses an authority missing from the table."""
    monkeypatch.delitem(factory_numbers.AUTHORITIES, "6")

    error = refused(number("6010000122567"))

    assert error.code == "authority"
    assert error.message == (
        "The first digit, the issuing authority, is not a known authority code: 6."
    )


@pytest.mark.parametrize("digit", "56789")
def test_fac_04_refuses_an_unknown_zone(checked, digit):
    """FAC-04: Refuses an unknown zone."""
    error = refused(number(f"2{digit}30000012567"))

    assert error.code == "zone"
    assert error.message == f"The second digit, the location zone, must be 0 to 4, not {digit}."


def test_fac_04_year_runs_from_2562_to_next_year(checked, monkeypatch):
    """FAC-04: Year runs from 2562 to next year."""
    monkeypatch.setattr(thaidate, "current_year_be", lambda: 2569)

    assert parse_factory_no(number("2030000012562")).year_be == 2562
    assert parse_factory_no(number("2030000012570")).year_be == 2570
    for year in ("2561", "2571", "0000", "9999"):
        error = refused(number(f"203000001{year}"))
        assert error.code == "year"
        assert error.message == (
            "Digits 10 to 13 are the Buddhist-era year the number was issued, from 2562 to "
            f"2570, not {year}."
        )


def test_fac_04_year_follows_the_calendar(checked):
    """FAC-04: Year follows the calendar."""
    next_year = thaidate.current_year_be() + 1

    assert parse_factory_no(number(f"203000001{next_year}")).year_be == next_year
    assert refused(number(f"203000001{next_year + 1}")).code == "year"


def test_fac_04_refuses_a_wrong_check_digit_when_checked(checked):
    """FAC-04: Refuses a wrong check digit when checked."""
    error = refused("20300000125672")

    assert error.code == "check_digit"
    assert error.message == (
        "The last digit, the check digit, does not match the first 13 digits: please check the "
        "number."
    )


# --- the check digit through the setting ----------------------------------------------------


def test_fac_04_check_digit_off_when_the_setting_is_empty(unchecked):
    """FAC-04: Check digit off when the setting is empty."""
    parsed = parse_factory_no("20300000125672")

    assert parsed.check_digit == "2"
    assert parsed.check_digit_verified is False
    assert factory_numbers.check_digit_function() is None


def test_fac_04_check_digit_off_when_the_setting_is_missing(settings):
    """FAC-04: Check digit off when the setting is missing."""
    del settings.FACTORY_NO_CHECK_DIGIT

    assert parse_factory_no("20300000125672").check_digit_verified is False


def test_fac_04_check_digit_on_through_the_setting(checked):
    """FAC-04: Check digit on through the setting."""
    parsed = parse_factory_no("20300000125671")

    assert parsed.check_digit_verified is True
    assert factory_numbers.check_digit_function() is mod11_check_digit


def test_fac_04_check_digit_function_is_replaceable(settings):
    # A scheme whose F is always 7, as the official one may one day be plugged in.
    """FAC-04: Check digit function is replaceable."""
    settings.FACTORY_NO_CHECK_DIGIT = "tests.operators.test_factory_numbers.always_seven"

    assert parse_factory_no("20300000125677").check_digit_verified is True
    assert refused("20300000125671").code == "check_digit"


def always_seven(first13: str) -> int:
    return 7


def test_fac_04_the_generators_check_digit_function_may_be_named(settings):
    """FAC-04: The generators check digit function may be named."""
    settings.FACTORY_NO_CHECK_DIGIT = "portal.sandbox.world_generator.factory_no_check_digit"

    assert parse_factory_no("20300000125671").check_digit_verified is True
    assert refused("20300000125672").code == "check_digit"


def test_fac_04_a_setting_that_does_not_import_is_an_error(settings):
    """FAC-04: A setting that does not import is an error."""
    settings.FACTORY_NO_CHECK_DIGIT = "portal.operators.factory_numbers.no_such_function"

    with pytest.raises(ImportError):
        parse_factory_no("20300000125671")


def test_fac_04_mod11_is_the_national_id_scheme():
    # 2*14 + 0*13 + 3*12 + 0*11 + ... + 1*6 + 2*5 + 5*4 + 6*3 + 7*2 = 132; 132 % 11 = 0; 11 % 10
    """FAC-04: Mod11 is the national ID scheme."""
    assert mod11_check_digit("2030000012567") == 1
    # 1*14 + 1*2 = 16; 16 % 11 = 5; 11 - 5 = 6
    assert mod11_check_digit("1000000000001") == 6
    # 0 % 11 = 0; 11 % 10 = 1
    assert mod11_check_digit("0000000000000") == 1
    # 1*2 = 2; 11 - 2 = 9
    assert mod11_check_digit("0000000000001") == 9
    # 6*2 = 12; 12 % 11 = 1; 10 % 10 = 0
    assert mod11_check_digit("0000000000006") == 0
    with pytest.raises(ValueError):
        mod11_check_digit("203000001256")
    with pytest.raises(ValueError):
        mod11_check_digit("203000001256x")


# --- the world's numbers --------------------------------------------------------------------


def world_factory_numbers() -> list[str]:
    if SHARED_FACTORIES.exists():
        with SHARED_FACTORIES.open(encoding="utf-8") as lines:
            return [json.loads(line)["factory_no"] for line in lines if line.strip()]
    numbers = []
    for authority, zone, area, running, year in [
        ("2", "0", "30", 1, 2567),
        ("8", "2", "47", 1, 2567),
        ("9", "1", "94", 1, 2568),
        ("1", "0", "10", 2, 2564),
        ("7", "3", "01", 99999, 2562),
        ("0", "4", "20", 125, 2563),
    ]:
        first13 = f"{authority}{zone}{area}{running:05d}{year}"
        numbers.append(first13 + factory_no_check_digit(first13))
    return numbers


def test_fac_04_every_factory_number_of_the_sandbox_world_parses(checked):
    """FAC-04: Every factory number of the sandbox world parses."""
    numbers = world_factory_numbers()

    assert numbers
    for raw in numbers:
        parsed = parse_factory_no(raw)
        assert parsed.number == raw
        assert parsed.check_digit_verified is True


@given(st.text(alphabet="0123456789", min_size=13, max_size=13))
def test_fac_04_mod11_agrees_with_the_world_generator(first13):
    """FAC-04: Mod11 agrees with the world generator."""
    assert str(mod11_check_digit(first13)) == factory_no_check_digit(first13)


_valid_first13 = st.builds(
    lambda a, b, c, d, e: f"{a}{b}{c:02d}{d:05d}{e}",
    st.sampled_from("0123456789"),
    st.sampled_from("01234"),
    st.integers(0, 99),
    st.integers(0, 99999),
    st.integers(2562, 2570),
)


@given(first13=_valid_first13, other=st.integers(1, 9))
def test_fac_04_any_valid_number_parses_and_any_other_last_digit_is_refused(first13, other):
    # Years up to 2570: next year's at the latest from B.E. 2569 (2026) on.
    """FAC-04: Any valid number parses and any other last digit is refused."""
    good = first13 + str(mod11_check_digit(first13))
    bad = first13 + str((int(good[-1]) + other) % 10)

    with override_settings(FACTORY_NO_CHECK_DIGIT=MOD11):
        assert parse_factory_no(good).number == good
        with pytest.raises(InvalidFactoryNumber) as caught:
            parse_factory_no(bad)
    assert caught.value.code == "check_digit"


# --- search strings -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("20300000125671", ("new", "20300000125671")),
        (" 2-0-30-00001-2567-1 ", ("new", "20300000125671")),
        ("2 0 30 00001 2567 1", ("new", "20300000125671")),
        ("2–0–30–00001–2567–1", ("new", "20300000125671")),
        ("๒๐๓๐๐๐๐๐๑๒๕๖๗๑", ("new", "20300000125671")),
        # not validated: a search for a mistyped number finds nothing, and says so
        ("20300000125679", ("new", "20300000125679")),
        ("3-64(1)-12/45สป", ("old", "3-64(1)-12/45สป")),
        (" 3 - 64(1) - 12/45 สป ", ("old", "3-64(1)-12/45สป")),
        ("3-64(1)-12/45 ส.ป.", ("old", "3-64(1)-12/45สป")),
        ("3–64(1)–12/45สป", ("old", "3-64(1)-12/45สป")),
        ("๓-๖๔(๑)-๑๒/๔๕สป", ("old", "3-64(1)-12/45สป")),
        ("2-60-55/32รย", ("old", "2-60-55/32รย")),
        ("3-41(1)-52/56", ("old", "3-41(1)-52/56")),
        ("จ3-52(1)-9/43", ("old", "จ3-52(1)-9/43")),
        ("จ 3-52(1)-9/2543", ("old", "จ3-52(1)-9/2543")),
        ("โรงงาน  ดัตพันธุ์ ", ("text", "โรงงาน ดัตพันธุ์")),
        ("Siam Steel", ("text", "Siam Steel")),
        ("2030000012567", ("text", "2030000012567")),
        ("3-64(1)", ("text", "3-64(1)")),
        ("", ("text", "")),
    ],
)
def test_fac_04_search_accepts_old_and_new_numbers(raw, expected):
    """FAC-04: Search accepts old and new numbers."""
    assert normalize_factory_query(raw) == expected


def test_fac_04_every_old_number_of_the_sandbox_world_is_recognised():
    """FAC-04: Every old number of the sandbox world is recognised."""
    if SHARED_FACTORIES.exists():
        with SHARED_FACTORIES.open(encoding="utf-8") as lines:
            olds = [json.loads(line)["factory_no_old"] for line in lines if line.strip()]
        olds = [old for old in olds if old]
    else:
        olds = ["3-77-45/61ชบ", "3-88(1)-19/54สข", "จ3-52(1)-9/43กท", "2-4(1)-58/37"]

    assert olds
    for old in olds:
        assert normalize_factory_query(old) == ("old", old)


# --- group C by name, every group decoded (issue 12) ------------------------------------------


@pytest.mark.parametrize(
    ("first13", "thai", "english"),
    [
        # The FAQ's own examples: 010 Bangkok, 074 Samut Sakhon, 206 Laem Chabang estate.
        ("1010000122567", "กรุงเทพมหานคร", "Bangkok"),
        ("2074000122567", "จังหวัดสมุทรสาคร", "Samut Sakhon province"),
        ("8206000122567", "นิคมอุตสาหกรรมแหลมฉบัง", "Laem Chabang Industrial Estate"),
        ("2420000122567", "จังหวัดชลบุรี", "Chon Buri province"),
        ("9196000122567", "จังหวัดนราธิวาส", "Narathiwat province"),
    ],
)
def test_fac_04_the_area_is_named(checked, first13, thai, english):
    """FAC-04: group C is named: the province by its DOPA code outside estates, the estate
    inside one (the FAQ's 010, 074 and 206)."""
    parsed = parse_factory_no(number(first13))
    assert parsed.area_name("th") == thai and parsed.area_name("en") == english
    assert f"พื้นที่: {parsed.area} {thai};" in parsed.explain("th")


def test_fac_04_an_area_code_without_a_name_says_so(checked):
    """FAC-04: a code the source material does not name (an estate other than Laem Chabang,
    a number that is no province) is shown as a code, never given a guessed name."""
    estate = parse_factory_no(number("7220000122567"))
    assert estate.area_name("th") == "" and "ยังไม่มีชื่อ" in estate.area_text("th")
    nowhere = parse_factory_no(number("1099000122567"))
    assert nowhere.area_name("en") == "" and "no name" in nowhere.area_text("en")


def test_fac_04_every_province_has_its_area_code():
    """FAC-04: the 77 provinces by DOPA code, Bangkok 10 and Samut Sakhon 74 as in the FAQ."""
    assert len(factory_numbers.PROVINCE_AREAS) == 77
    assert factory_numbers.PROVINCE_AREAS["74"] == ("จังหวัดสมุทรสาคร", "Samut Sakhon province")


@pytest.mark.parametrize(("verified", "word"), [(True, "ตรงกับ"), (False, "ยังไม่ตรวจ")])
def test_fac_04_every_group_is_decoded(settings, verified, word):
    """FAC-04: the six groups A to F, each with its digits and meaning; F says whether it was
    checked."""
    settings.FACTORY_NO_CHECK_DIGIT = (
        "portal.operators.factory_numbers.mod11_check_digit" if verified else ""
    )
    parsed = parse_factory_no(number("2074001252567"))
    groups = parsed.groups("th")
    assert [(letter, digits) for letter, digits, _ in groups] == [
        ("A", "2"),
        ("B", "0"),
        ("C", "74"),
        ("D", "00125"),
        ("E", "2567"),
        ("F", parsed.check_digit),
    ]
    meanings = [meaning for _, _, meaning in groups]
    assert meanings[0] == "สำนักงานอุตสาหกรรมจังหวัด"
    assert meanings[2] == "74 จังหวัดสมุทรสาคร"
    assert "125" in meanings[3] and "2567" in meanings[4] and word in meanings[5]
    assert "2024" in parsed.groups("en")[4][2]

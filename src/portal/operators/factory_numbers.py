"""FAC-04: the 14-digit factory registration number (since B.E. 2562), and search strings that
may hold a new number, an old-style number or free text.

The number is six groups, A(1) B(1) C(2) D(5) E(4) F(1):

    2  0  30  00001  2567  1
    A  B  C   D      E     F

A the issuing authority, B the location zone, C the area, D the running number in the year,
E the Buddhist-era year, F a check digit over the first 13 digits. Length, digits and the group
codes are always validated. The published scheme of F is not in the source material, so F is
checked through one replaceable function named by the setting FACTORY_NO_CHECK_DIGIT (a dotted
path to a function ``(first13: str) -> int``); empty means "not checked". Production leaves it
empty until the official scheme is known; sandbox worlds use the national ID's mod-11 scheme
with weights 14..2 (``mod11_check_digit`` here).
"""

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from portal.core import thaidate
from portal.operators.supervisors import PROVINCES

__all__ = [
    "AUTHORITIES",
    "ESTATE_AREAS",
    "FIRST_YEAR_BE",
    "PROVINCE_AREAS",
    "QUERY_NEW",
    "QUERY_OLD",
    "QUERY_TEXT",
    "ZONES",
    "FactoryNumber",
    "InvalidFactoryNumber",
    "check_digit_function",
    "mod11_check_digit",
    "normalize_factory_query",
    "parse_factory_no",
]

FIRST_YEAR_BE = 2562  # the 14-digit scheme began in B.E. 2562

# Group A: the issuing authority (i-Industry FAQ, "เลขทะเบียนโรงงานแบบใหม่ 14 หลัก คืออะไร").
AUTHORITIES: dict[str, tuple[str, str]] = {
    "1": ("กรมโรงงานอุตสาหกรรม", "Department of Industrial Works (DIW)"),
    "2": ("สำนักงานอุตสาหกรรมจังหวัด", "Provincial Industry Office"),
    "3": (
        "กรมอุตสาหกรรมพื้นฐานและการเหมืองแร่",
        "Department of Primary Industries and Mines (DPIM)",
    ),
    "4": (
        "สำนักงานคณะกรรมการกำกับกิจการพลังงาน",
        "Office of the Energy Regulatory Commission (ERC)",
    ),
    "5": ("กรุงเทพมหานคร", "Bangkok Metropolitan Administration (BMA)"),
    "6": ("องค์กรปกครองส่วนท้องถิ่น (เทศบาล)", "Local government (municipality)"),
    "7": (
        "การนิคมอุตสาหกรรมแห่งประเทศไทย (สำนักงานใหญ่)",
        "Industrial Estate Authority of Thailand (IEAT), head office",
    ),
    "8": (
        "การนิคมอุตสาหกรรมแห่งประเทศไทย (สำนักงานนิคมอุตสาหกรรม)",
        "Industrial Estate Authority of Thailand (IEAT), industrial estate office",
    ),
    "9": ("เขตประกอบการอุตสาหกรรม ตามมาตรา 30", "Industrial zone (section 30)"),
    "0": ("อื่น ๆ เช่น BOI หรือ EEC", "Other, such as the BOI or the EEC"),
}

# Group B: where the factory is.
_IN_ESTATE = ("ในนิคมอุตสาหกรรม", "Inside an industrial estate")
ZONES: dict[str, tuple[str, str]] = {
    "0": ("นอกนิคมอุตสาหกรรมและเขตประกอบการ", "Outside industrial estates and zones"),
    "1": ("ในเขตประกอบการอุตสาหกรรม", "Inside an industrial zone"),
    "2": _IN_ESTATE,
    "3": _IN_ESTATE,
    "4": (
        "ในเขตพัฒนาพิเศษภาคตะวันออกหรือเขตเศรษฐกิจพิเศษ",
        "In the Eastern Economic Corridor or a special economic zone",
    ),
}

# Group C: the area, read with B (i-Industry FAQ: "010 = กรุงเทพมหานคร, 074 = สมุทรสาคร,
# 206 = นิคมอุตสาหกรรมแหลมฉบัง"). Outside an estate it is the province's DOPA code; inside an
# estate (B 2 or 3) the estate's own code, of which the FAQ gives only Laem Chabang's.
PROVINCE_AREAS: dict[str, tuple[str, str]] = {
    p.code: (p.name_th if p.code == "10" else f"จังหวัด{p.name_th}", p.name_en if p.code == "10"
             else f"{p.name_en} province")
    for p in PROVINCES
}  # fmt: skip
ESTATE_AREAS: dict[str, tuple[str, str]] = {
    "06": ("นิคมอุตสาหกรรมแหลมฉบัง", "Laem Chabang Industrial Estate"),
}

QUERY_NEW = "new"  # a 14-digit number
QUERY_OLD = "old"  # an old-style number such as 3-64(1)-12/45สป
QUERY_TEXT = "text"  # anything else: a name, part of a number ...

_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
# Hyphen, minus and the dashes people paste from documents.
_DASHES = str.maketrans(
    dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d", "-")
)
_SEPARATORS = re.compile(r"[\s-]+")  # what may separate the digits of a new number
_THAI_LETTERS = "\u0e01-\u0e2e"  # ก-ฮ: the consonants of the province abbreviations
_OLD_NUMBER = re.compile(
    rf"""
    (?P<prefix>[{_THAI_LETTERS}]{{0,3}})       # จ (Bangkok) and other letters before the class
    (?P<klass>[1-3])
    -(?P<category>\d{{1,3}}(?:\(\d{{1,2}}\))*)  # DIW category: 3(1), 52(1), 101
    -(?P<sequence>\d{{1,5}})
    /(?P<year>\d{{2}}|\d{{4}})                  # B.E. year: 45 or 2545
    (?P<suffix>[{_THAI_LETTERS}]{{0,3}})       # province abbreviation: สป, ชบ
    """,
    re.VERBOSE,
)


class InvalidFactoryNumber(ValueError):
    """A string that is not a valid 14-digit factory number; ``code`` says which check failed:
    length, digits, authority, zone, year or check_digit."""

    LENGTH = "length"
    DIGITS = "digits"
    AUTHORITY = "authority"
    ZONE = "zone"
    YEAR = "year"
    CHECK_DIGIT = "check_digit"
    CODES = (LENGTH, DIGITS, AUTHORITY, ZONE, YEAR, CHECK_DIGIT)

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def _lang(language: str | None) -> int:
    """0 for Thai, 1 for English: the index into the (Thai, English) pairs."""
    code = (language or translation.get_language() or "th")[:2]
    return 0 if code == "th" else 1


@dataclass(frozen=True)
class FactoryNumber:
    """A parsed 14-digit factory number. ``check_digit_verified`` is False when the setting
    FACTORY_NO_CHECK_DIGIT is empty: F was read but nobody could check it."""

    authority: str  # A
    zone: str  # B
    area: str  # C
    running: str  # D, five digits as written
    year_be: int  # E
    check_digit: str  # F
    check_digit_verified: bool

    @property
    def number(self) -> str:
        return f"{self.first13}{self.check_digit}"

    @property
    def first13(self) -> str:
        return f"{self.authority}{self.zone}{self.area}{self.running}{self.year_be}"

    @property
    def grouped(self) -> str:
        """The groups with dashes, for reading aloud: 2-0-30-00001-2567-1."""
        return "-".join(
            (
                self.authority,
                self.zone,
                self.area,
                self.running,
                str(self.year_be),
                self.check_digit,
            )
        )

    @property
    def running_number(self) -> int:
        return int(self.running)

    @property
    def in_industrial_estate(self) -> bool:
        return self.zone in ("2", "3")

    @property
    def in_industrial_zone(self) -> bool:
        return self.zone == "1"

    def authority_name(self, language: str | None = None) -> str:
        return AUTHORITIES[self.authority][_lang(language)]

    def zone_name(self, language: str | None = None) -> str:
        return ZONES[self.zone][_lang(language)]

    def area_name(self, language: str | None = None) -> str:
        """Group C by name: the province (outside estates) or the industrial estate, as far as
        the source material names it; "" for a code it does not name."""
        table = ESTATE_AREAS if self.in_industrial_estate else PROVINCE_AREAS
        names = table.get(self.area)
        return names[_lang(language)] if names else ""

    def area_text(self, language: str | None = None) -> str:
        """Group C with its name: "74 จังหวัดสมุทรสาคร"; a code without a name says so."""
        name = self.area_name(language)
        if name:
            return f"{self.area} {name}"
        if _lang(language) == 0:
            return f"{self.area} (รหัสพื้นที่ที่ยังไม่มีชื่อในระบบ)"
        return f"{self.area} (an area code the portal has no name for)"

    def parts(self, language: str | None = None) -> list[tuple[str, str]]:
        """(label, value) for each group but F, in Thai or English (default: the active
        language), for the number in words."""
        if _lang(language) == 0:
            return [
                ("ออกโดย", self.authority_name("th")),
                ("ที่ตั้ง", self.zone_name("th")),
                ("พื้นที่", self.area_text("th")),
                ("ลำดับที่", f"{self.running} ของปี พ.ศ. {self.year_be}"),
            ]
        year_ce = thaidate.be_to_ce(self.year_be)
        return [
            ("Issued by", self.authority_name("en")),
            ("Location", self.zone_name("en")),
            ("Area", self.area_text("en")),
            ("Number", f"{self.running} of {year_ce} (B.E. {self.year_be})"),
        ]

    def groups(self, language: str | None = None) -> list[tuple[str, str, str]]:
        """FAC-04, every group decoded: (group letter, its digits, what they mean), A to F, for
        the table on the factory page."""
        th = _lang(language) == 0
        year_ce = thaidate.be_to_ce(self.year_be)
        if self.check_digit_verified:
            check = (
                "ตรงกับเลข 13 หลักแรก"
                if th
                else "The check digit over the first 13 digits: it matches"
            )
        else:
            check = (
                "เลขตรวจสอบของ 13 หลักแรก (ระบบยังไม่ตรวจ: ยังไม่มีการเผยแพร่วิธีคำนวณ)"
                if th
                else "The check digit over the first 13 digits (not checked: the official "
                "scheme is not published)"
            )
        if th:
            running = f"โรงงานลำดับที่ {self.running_number} ของปีที่ออกเลข"
            year = f"ปี พ.ศ. {self.year_be} ที่ออกเลขทะเบียนโรงงาน"
        else:
            running = f"Factory number {self.running_number} of the year of issue"
            year = f"Issued in {year_ce} (B.E. {self.year_be})"
        return [
            ("A", self.authority, self.authority_name(language)),
            ("B", self.zone, self.zone_name(language)),
            ("C", self.area, self.area_text(language)),
            ("D", self.running, running),
            ("E", str(self.year_be), year),
            ("F", self.check_digit, check),
        ]

    def explain(self, language: str | None = None) -> str:
        """The number in words, e.g. "ออกโดย: กรมโรงงานอุตสาหกรรม; ที่ตั้ง: นอกนิคมอุตสาหกรรม
        และเขตประกอบการ; พื้นที่: 10 กรุงเทพมหานคร; ลำดับที่ 00125 ของปี พ.ศ. 2567"."""
        parts = self.parts(language)
        head = "; ".join(f"{label}: {value}" for label, value in parts[:-1])
        label, value = parts[-1]
        return f"{head}; {label} {value}"

    def __str__(self) -> str:
        return self.number


def mod11_check_digit(first13: str) -> int:
    """The national ID's mod-11 scheme over 13 digits with weights 14..2: the sandbox worlds' F
    (sandbox-world/README.md). Point FACTORY_NO_CHECK_DIGIT here in sandbox and test settings."""
    if len(first13) != 13 or not first13.isascii() or not first13.isdigit():
        raise ValueError(f"mod11_check_digit needs 13 digits, got {first13!r}")
    total = sum(int(d) * w for d, w in zip(first13, range(14, 1, -1), strict=True))
    return (11 - total % 11) % 10


@functools.cache
def _import_check_digit(path: str) -> Callable[[str], int]:
    return import_string(path)


def check_digit_function() -> Callable[[str], int] | None:
    """The function named by FACTORY_NO_CHECK_DIGIT, or None when F is not checked. A path that
    does not import raises ImportError: a misconfiguration must not pass numbers silently."""
    path = getattr(settings, "FACTORY_NO_CHECK_DIGIT", "") or ""
    return _import_check_digit(path) if path else None


def _compact(raw: str) -> str:
    return _SEPARATORS.sub("", str(raw).translate(_THAI_DIGITS).translate(_DASHES))


def parse_factory_no(raw: str) -> FactoryNumber:
    """Parse and validate a 14-digit factory number; spaces, dashes and Thai digits are accepted.
    Raises InvalidFactoryNumber with a message in the active language."""
    digits = _compact(raw or "")
    if digits and not (digits.isascii() and digits.isdigit()):
        raise InvalidFactoryNumber(
            InvalidFactoryNumber.DIGITS,
            _("A factory registration number is made of digits only (spaces and dashes may "
              "separate them)."),
        )  # fmt: skip
    if len(digits) != 14:
        raise InvalidFactoryNumber(
            InvalidFactoryNumber.LENGTH,
            _("A factory registration number has 14 digits, not %(count)d.")
            % {"count": len(digits)},
        )
    authority, zone, area = digits[0], digits[1], digits[2:4]
    running, year, check = digits[4:9], digits[9:13], digits[13]
    if authority not in AUTHORITIES:
        raise InvalidFactoryNumber(
            InvalidFactoryNumber.AUTHORITY,
            _("The first digit, the issuing authority, is not a known authority code: %(digit)s.")
            % {"digit": authority},
        )
    if zone not in ZONES:
        raise InvalidFactoryNumber(
            InvalidFactoryNumber.ZONE,
            _("The second digit, the location zone, must be 0 to 4, not %(digit)s.")
            % {"digit": zone},
        )
    last_year = thaidate.current_year_be() + 1
    if not FIRST_YEAR_BE <= int(year) <= last_year:
        raise InvalidFactoryNumber(
            InvalidFactoryNumber.YEAR,
            _("Digits 10 to 13 are the Buddhist-era year the number was issued, from %(first)d "
              "to %(last)d, not %(year)s.")
            % {"first": FIRST_YEAR_BE, "last": last_year, "year": year},
        )  # fmt: skip
    first13 = digits[:13]
    compute = check_digit_function()
    if compute is not None and int(compute(first13)) != int(check):
        raise InvalidFactoryNumber(
            InvalidFactoryNumber.CHECK_DIGIT,
            _("The last digit, the check digit, does not match the first 13 digits: please check "
              "the number."),
        )  # fmt: skip
    return FactoryNumber(
        authority=authority,
        zone=zone,
        area=area,
        running=running,
        year_be=int(year),
        check_digit=check,
        check_digit_verified=compute is not None,
    )


def normalize_factory_query(raw: str) -> tuple[str, str]:
    """FAC-04 "search accepts old and new numbers": what a search string is, normalised.

    - ("new", "20300000125671"): 14 digits once spaces and dashes are removed (Thai digits
      become Arabic). Not validated: search for the number as typed and let the results speak.
    - ("old", "3-64(1)-12/45สป"): an old-style number, without spaces or dots, dashes unified,
      Thai digits made Arabic, Thai letters kept.
    - ("text", "โรงงาน ดัตพันธุ์"): anything else, with its whitespace collapsed.
    """
    text = " ".join(str(raw or "").split())
    compact = _compact(text)
    if len(compact) == 14 and compact.isascii() and compact.isdigit():
        return QUERY_NEW, compact
    old = re.sub(r"[\s.]+", "", text.translate(_THAI_DIGITS).translate(_DASHES)).upper()
    if _OLD_NUMBER.fullmatch(old):
        return QUERY_OLD, old
    return QUERY_TEXT, text

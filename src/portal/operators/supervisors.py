"""Who supervises a factory (FAC-03), who bills it (BILL-02) and which fees it is exempt from
(BILL-03).

The offices are data (data/supervising_offices.json): the Department of Industrial Works for
Bangkok, the provincial industry office (สำนักงานอุตสาหกรรมจังหวัด) of each of the other 76
provinces, and the Industrial Estate Authority of Thailand for factories inside an industrial
estate. An office whose address or phone is not known for certain to be the official one is
marked ``illustrative``; the UI labels it so, and a missing phone is None, never a guess.
"""

import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy

__all__ = [
    "BANGKOK",
    "DIW",
    "EXEMPTION_REASONS",
    "IEAT",
    "PIO",
    "PROVINCES",
    "Province",
    "SupervisingOffice",
    "UnknownProvince",
    "annual_fee_exempt",
    "canonical_province",
    "licence_fee_exempt",
    "offices",
    "supervising_office_for",
]

DATA_FILE = Path(__file__).resolve().parent / "data" / "supervising_offices.json"

# Kinds of supervisor, as in the world's factories.jsonl `supervisor` field.
DIW = "DIW"
PIO = "PIO"
IEAT = "IEAT"
KINDS = (DIW, PIO, IEAT)


@dataclass(frozen=True)
class Province:
    code: str  # DOPA province code, as in the sandbox worlds
    name_th: str
    name_en: str


BANGKOK = "กรุงเทพมหานคร"

# The 77 provinces: Bangkok and 76 others, by DOPA code; English names in the Royal Institute
# romanisation the sandbox world generator uses.
PROVINCES: tuple[Province, ...] = tuple(
    Province(code, th, en)
    for code, th, en in (
        ("10", "กรุงเทพมหานคร", "Bangkok"),
        ("11", "สมุทรปราการ", "Samut Prakan"),
        ("12", "นนทบุรี", "Nonthaburi"),
        ("13", "ปทุมธานี", "Pathum Thani"),
        ("14", "พระนครศรีอยุธยา", "Phra Nakhon Si Ayutthaya"),
        ("15", "อ่างทอง", "Ang Thong"),
        ("16", "ลพบุรี", "Lop Buri"),
        ("17", "สิงห์บุรี", "Sing Buri"),
        ("18", "ชัยนาท", "Chai Nat"),
        ("19", "สระบุรี", "Saraburi"),
        ("20", "ชลบุรี", "Chon Buri"),
        ("21", "ระยอง", "Rayong"),
        ("22", "จันทบุรี", "Chanthaburi"),
        ("23", "ตราด", "Trat"),
        ("24", "ฉะเชิงเทรา", "Chachoengsao"),
        ("25", "ปราจีนบุรี", "Prachin Buri"),
        ("26", "นครนายก", "Nakhon Nayok"),
        ("27", "สระแก้ว", "Sa Kaeo"),
        ("30", "นครราชสีมา", "Nakhon Ratchasima"),
        ("31", "บุรีรัมย์", "Buri Ram"),
        ("32", "สุรินทร์", "Surin"),
        ("33", "ศรีสะเกษ", "Si Sa Ket"),
        ("34", "อุบลราชธานี", "Ubon Ratchathani"),
        ("35", "ยโสธร", "Yasothon"),
        ("36", "ชัยภูมิ", "Chaiyaphum"),
        ("37", "อำนาจเจริญ", "Amnat Charoen"),
        ("38", "บึงกาฬ", "Bueng Kan"),
        ("39", "หนองบัวลำภู", "Nong Bua Lam Phu"),
        ("40", "ขอนแก่น", "Khon Kaen"),
        ("41", "อุดรธานี", "Udon Thani"),
        ("42", "เลย", "Loei"),
        ("43", "หนองคาย", "Nong Khai"),
        ("44", "มหาสารคาม", "Maha Sarakham"),
        ("45", "ร้อยเอ็ด", "Roi Et"),
        ("46", "กาฬสินธุ์", "Kalasin"),
        ("47", "สกลนคร", "Sakon Nakhon"),
        ("48", "นครพนม", "Nakhon Phanom"),
        ("49", "มุกดาหาร", "Mukdahan"),
        ("50", "เชียงใหม่", "Chiang Mai"),
        ("51", "ลำพูน", "Lamphun"),
        ("52", "ลำปาง", "Lampang"),
        ("53", "อุตรดิตถ์", "Uttaradit"),
        ("54", "แพร่", "Phrae"),
        ("55", "น่าน", "Nan"),
        ("56", "พะเยา", "Phayao"),
        ("57", "เชียงราย", "Chiang Rai"),
        ("58", "แม่ฮ่องสอน", "Mae Hong Son"),
        ("60", "นครสวรรค์", "Nakhon Sawan"),
        ("61", "อุทัยธานี", "Uthai Thani"),
        ("62", "กำแพงเพชร", "Kamphaeng Phet"),
        ("63", "ตาก", "Tak"),
        ("64", "สุโขทัย", "Sukhothai"),
        ("65", "พิษณุโลก", "Phitsanulok"),
        ("66", "พิจิตร", "Phichit"),
        ("67", "เพชรบูรณ์", "Phetchabun"),
        ("70", "ราชบุรี", "Ratchaburi"),
        ("71", "กาญจนบุรี", "Kanchanaburi"),
        ("72", "สุพรรณบุรี", "Suphan Buri"),
        ("73", "นครปฐม", "Nakhon Pathom"),
        ("74", "สมุทรสาคร", "Samut Sakhon"),
        ("75", "สมุทรสงคราม", "Samut Songkhram"),
        ("76", "เพชรบุรี", "Phetchaburi"),
        ("77", "ประจวบคีรีขันธ์", "Prachuap Khiri Khan"),
        ("80", "นครศรีธรรมราช", "Nakhon Si Thammarat"),
        ("81", "กระบี่", "Krabi"),
        ("82", "พังงา", "Phangnga"),
        ("83", "ภูเก็ต", "Phuket"),
        ("84", "สุราษฎร์ธานี", "Surat Thani"),
        ("85", "ระนอง", "Ranong"),
        ("86", "ชุมพร", "Chumphon"),
        ("90", "สงขลา", "Songkhla"),
        ("91", "สตูล", "Satun"),
        ("92", "ตรัง", "Trang"),
        ("93", "พัทลุง", "Phatthalung"),
        ("94", "ปัตตานี", "Pattani"),
        ("95", "ยะลา", "Yala"),
        ("96", "นราธิวาส", "Narathiwat"),
    )
)
PROVINCE_BY_NAME = {p.name_th: p for p in PROVINCES}

# BILL-03 (i-Industry FAQ): the three southern border provinces and four Songkhla districts pay
# neither licence nor annual fees (the places are one setting, BILL_EXEMPT_AREAS, that the bill
# run reads too); factories in an IEAT industrial estate pay no annual fee.
SONGKHLA = "สงขลา"
_SONGKHLA_DISTRICTS_EN = {
    "chana": "จะนะ",
    "thepha": "เทพา",
    "nathawi": "นาทวี",
    "sabayoi": "สะบ้าย้อย",
}

EXEMPTION_REASONS = {
    "southern_border_province": gettext_lazy(
        "Factories in Narathiwat, Pattani and Yala pay no licence or annual fee."
    ),
    "songkhla_district": gettext_lazy(
        "Factories in the Songkhla districts of Chana, Thepha, Na Thawi and Saba Yoi pay no "
        "licence or annual fee."
    ),
    "industrial_estate": gettext_lazy(
        "Factories inside an industrial estate under the IEAT Act pay no annual fee."
    ),
}

_ALIASES = {
    "กรุงเทพ": BANGKOK,
    "กรุงเทพฯ": BANGKOK,
    "กทม": BANGKOK,
    "กทม.": BANGKOK,
    "กรุงเทพมหานครฯ": BANGKOK,
    "bangkokmetropolis": BANGKOK,
    "krungthepmahanakhon": BANGKOK,
    "ayutthaya": "พระนครศรีอยุธยา",
    "korat": "นครราชสีมา",
}
_PROVINCE_BY_LATIN = {re.sub(r"[^a-z]", "", p.name_en.lower()): p.name_th for p in PROVINCES}


class UnknownProvince(LookupError):
    def __init__(self, province: str):
        super().__init__(f"not a Thai province: {province!r}")
        self.province = province


@dataclass(frozen=True)
class SupervisingOffice:
    code: str  # DIW, IEAT, PIO-<DOPA province code>
    kind: str  # DIW, PIO or IEAT
    name_th: str
    name_en: str
    province: str | None  # the province it serves (Thai); None for IEAT, which serves estates
    province_code: str | None
    address: str
    phone: str | None
    illustrative: bool  # address or phone not known for certain to be the official one
    source: str | None = None  # where the contact data comes from, when it is not illustrative

    def name(self, language: str | None = None) -> str:
        code = (language or translation.get_language() or "th")[:2]
        return self.name_th if code == "th" else self.name_en

    @property
    def issues_annual_fee_bills(self) -> bool:
        """BILL-02: bills are issued only for factories a provincial industry office supervises;
        the others are shown where they pay."""
        return self.kind == PIO


@functools.cache
def offices() -> dict[str, SupervisingOffice]:
    """Every office by code, in the order of the data file."""
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    return {row["code"]: SupervisingOffice(**row) for row in data["offices"]}


@functools.cache
def _office_by_province() -> dict[str, SupervisingOffice]:
    return {o.province: o for o in offices().values() if o.province is not None}


def canonical_province(province: str) -> str:
    """The Thai name of a province as the worlds write it, from that name, "จังหวัด…", "จ.…",
    กรุงเทพฯ / กทม., or its English name (any spacing or case). Raises UnknownProvince."""
    name = " ".join(str(province or "").split())
    for prefix in ("จังหวัด", "จ."):
        if name.startswith(prefix) and name != prefix:
            name = name.removeprefix(prefix).strip()
    if name in PROVINCE_BY_NAME:
        return name
    latin = re.sub(r"[^a-z]", "", name.lower())
    found = _ALIASES.get(name) or _ALIASES.get(latin) or _PROVINCE_BY_LATIN.get(latin)
    if found is None or not name:
        raise UnknownProvince(province)
    return found


def _canonical_district(district: str | None) -> str:
    name = " ".join(str(district or "").split())
    for prefix in ("อำเภอ", "อ."):
        if name.startswith(prefix) and name != prefix:
            name = name.removeprefix(prefix).strip()
    latin = re.sub(r"[^a-z]", "", name.lower())
    return _SONGKHLA_DISTRICTS_EN.get(latin, name)


def supervising_office_for(
    *, province: str, industrial_estate: str | None = None, supervisor: str | None = None
) -> SupervisingOffice:
    """FAC-03: whom to contact when a factory's data is wrong.

    The world's ``supervisor`` field (DIW, PIO, IEAT, or an office code) wins when given;
    otherwise IEAT inside an industrial estate, DIW for Bangkok, and the province's industry
    office elsewhere. Bangkok has no provincial industry office: PIO there means DIW.
    """
    by_code = offices()
    kind = (supervisor or "").strip()
    if kind in by_code:
        return by_code[kind]
    kind = kind.upper()
    if kind and kind not in KINDS:
        raise ValueError(f"unknown supervisor {supervisor!r}: expected one of {KINDS}")
    if kind == IEAT or (not kind and industrial_estate and industrial_estate.strip()):
        return by_code[IEAT]
    if kind == DIW:
        return by_code[DIW]
    return _office_by_province()[canonical_province(province)]


def licence_fee_exempt(*, province: str, district: str | None) -> bool:
    """BILL-03: Narathiwat, Pattani, Yala, and the Songkhla districts Chana, Thepha, Na Thawi
    and Saba Yoi pay no licence fee (nor annual fee)."""
    return _area_exemption(province, district) is not None


def annual_fee_exempt(
    *, province: str, district: str | None, industrial_estate: str | None
) -> tuple[bool, str]:
    """BILL-03: (exempt, reason) with reason a key of EXEMPTION_REASONS, or "" when the annual
    fee is due. The area exemption (licence and annual fee) is named before the estate one."""
    reason = _area_exemption(province, district)
    if reason is None and industrial_estate and industrial_estate.strip():
        reason = "industrial_estate"
    return (reason is not None, reason or "")


def _area_exemption(province: str, district: str | None) -> str | None:
    districts = settings.BILL_EXEMPT_AREAS.get(canonical_province(province))
    if districts is None:
        return None
    if not districts:  # the whole province
        return "southern_border_province"
    if _canonical_district(district) in districts:
        return "songkhla_district"
    return None

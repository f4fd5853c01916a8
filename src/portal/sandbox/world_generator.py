"""The default sandbox world: a seeded generator of realistic Thai registries.

It writes the six JSON Lines files of the sandbox-world format (docs: sandbox-world/README.md)
with every edge case the format allows, so that demos and tests meet them all: elderly people
with only a birth year, lifetime ID cards, deceased people, expired, lost and revoked cards,
previous names, middle names, people without an English name, non-Thai residents who hold
13-digit IDs all the same (ACC-01: only Thai nationals register); juristic persons of every kind
and status, with Thai, foreign or mixed directors and previous names; commercial registrations;
taxpayers of every kind with branches; community enterprises, some of them juristic persons;
factories with 14-digit numbers (FAC-04) and old-style numbers, every licence, class, status
and supervisor, in industrial estates and zones, in the EEC and special economic zones, and in
the southern provinces and districts exempt from fees (BILL-03).

The same seed and size give the same bytes on any machine and any day: every date is reckoned
from REFERENCE_DATE, not from today. Thai names come with their romanization from our own lists
(Faker th_TH has Thai names but no English spelling for them); Faker th_TH supplies the names
of people without an English name, road names and partnership names.
"""

import datetime as dt
import json
import os
import random
import tempfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from faker import Faker

__all__ = [
    "DEFAULT_CITIZENS",
    "DEFAULT_SEED",
    "MIN_CITIZENS",
    "REFERENCE_DATE",
    "WorldExistsError",
    "ensure_default_world",
    "factory_no_check_digit",
    "generate_world",
    "thirteen_digit_check_digit",
    "write_world",
]

DEFAULT_SEED = 2569
DEFAULT_CITIZENS = 2500
MIN_CITIZENS = 150  # below this the scripted edge cases would crowd out ordinary people
REFERENCE_DATE = dt.date(2026, 1, 1)
BE_OFFSET = 543

FILES = (
    "citizens.jsonl",
    "juristic_persons.jsonl",
    "commercial_registrations.jsonl",
    "taxpayers.jsonl",
    "community_enterprises.jsonl",
    "factories.jsonl",
)


class WorldExistsError(FileExistsError):
    """The output directory holds files already and overwriting was not asked for."""


# Check digits.


def _mod11_check_digit(digits: str, first_weight: int) -> str:
    # strict: a body of the wrong length is a mistake, not a shorter sum.
    total = sum(int(d) * w for d, w in zip(digits, range(first_weight, 1, -1), strict=True))
    return str((11 - total % 11) % 10)


def thirteen_digit_check_digit(first12: str) -> str:
    """The mod-11 check digit of national, juristic and tax IDs (weights 13..2)."""
    return _mod11_check_digit(first12, 13)


def factory_no_check_digit(first13: str) -> str:
    """FAC-04's F in sandbox worlds: the national ID's mod-11 scheme, 13 digits, weights 14..2."""
    return _mod11_check_digit(first13, 14)


# Geography: a coherent subset of Thailand (DOPA province codes, real districts, postcodes).


@dataclass(frozen=True)
class _District:
    name_th: str
    postcode: str
    subdistricts: tuple[str, ...]
    exempt: bool = False  # BILL-03: no licence or annual fees


@dataclass(frozen=True)
class _Province:
    code: str
    name_th: str
    name_en: str
    abbreviation: str  # in old-style factory numbers
    latitude: float
    longitude: float
    people: int  # relative weight of residents
    industry: int  # relative weight of factories
    districts: tuple[_District, ...]
    exempt: bool = False
    deep_south: bool = False
    eec: bool = False  # Eastern Economic Corridor
    sez: bool = False  # special economic zone


def _d(name: str, postcode: str, *subdistricts: str, exempt: bool = False) -> _District:
    return _District(name, postcode, subdistricts, exempt)


BANGKOK = "10"
SONGKHLA = "90"
PROVINCES = (
    _Province("10", "กรุงเทพมหานคร", "Bangkok", "กท", 13.7563, 100.5018, 24, 10, (
        _d("บางรัก", "10500", "สีลม", "สุริยวงศ์", "มหาพฤฒาราม"),
        _d("ปทุมวัน", "10330", "ลุมพินี", "รองเมือง", "วังใหม่"),
        _d("จตุจักร", "10900", "จตุจักร", "ลาดยาว", "จอมพล"),
        _d("บางนา", "10260", "บางนาเหนือ", "บางนาใต้"),
        _d("ลาดกระบัง", "10520", "ลาดกระบัง", "ลำปลาทิว", "ทับยาว"),
        _d("บางขุนเทียน", "10150", "แสมดำ", "ท่าข้าม"),
        _d("มีนบุรี", "10510", "มีนบุรี", "แสนแสบ"),
    )),
    _Province("11", "สมุทรปราการ", "Samut Prakan", "สป", 13.5991, 100.5998, 5, 9, (
        _d("เมืองสมุทรปราการ", "10270", "ปากน้ำ", "บางปูใหม่", "แพรกษา"),
        _d("บางพลี", "10540", "บางพลีใหญ่", "ราชาเทวะ"),
        _d("พระประแดง", "10130", "ตลาด", "บางพึ่ง"),
        _d("บางเสาธง", "10570", "บางเสาธง", "ศีรษะจรเข้น้อย"),
    )),
    _Province("12", "นนทบุรี", "Nonthaburi", "นบ", 13.8591, 100.5217, 5, 2, (
        _d("เมืองนนทบุรี", "11000", "บางกระสอ", "ตลาดขวัญ"),
        _d("ปากเกร็ด", "11120", "ปากเกร็ด", "บางตลาด"),
        _d("บางบัวทอง", "11110", "บางบัวทอง", "โสนลอย"),
    )),
    _Province("13", "ปทุมธานี", "Pathum Thani", "ปท", 14.0208, 100.5250, 4, 6, (
        _d("เมืองปทุมธานี", "12000", "บางกะดี", "บางหลวง"),
        _d("คลองหลวง", "12120", "คลองหนึ่ง", "คลองสอง"),
        _d("ธัญบุรี", "12110", "ประชาธิปัตย์", "รังสิต"),
        _d("ลาดหลุมแก้ว", "12140", "ระแหง", "คูบางหลวง"),
    )),
    _Province("14", "พระนครศรีอยุธยา", "Phra Nakhon Si Ayutthaya", "อย", 14.3532, 100.5689, 3, 7, (
        _d("พระนครศรีอยุธยา", "13000", "ประตูชัย", "หอรัตนไชย"),
        _d("บางปะอิน", "13160", "คลองจิก", "บ้านเลน"),
        _d("อุทัย", "13210", "อุทัย", "คานหาม"),
        _d("นครหลวง", "13260", "นครหลวง", "บ่อโพง"),
    )),
    _Province("19", "สระบุรี", "Saraburi", "สบ", 14.5289, 100.9101, 2, 4, (
        _d("เมืองสระบุรี", "18000", "ปากเพรียว", "ตะกุด"),
        _d("แก่งคอย", "18110", "แก่งคอย", "ทับกวาง"),
        _d("หนองแค", "18140", "หนองแค", "หนองโรง"),
    )),
    _Province("20", "ชลบุรี", "Chon Buri", "ชบ", 13.3611, 100.9847, 5, 12, (
        _d("เมืองชลบุรี", "20000", "บางปลาสร้อย", "เสม็ด", "ดอนหัวฬ่อ"),
        _d("ศรีราชา", "20110", "ศรีราชา", "สุรศักดิ์", "ทุ่งสุขลา"),
        _d("บางละมุง", "20150", "นาเกลือ", "หนองปรือ"),
        _d("พานทอง", "20160", "พานทอง", "หนองตำลึง"),
    ), eec=True),
    _Province("21", "ระยอง", "Rayong", "รย", 12.6814, 101.2816, 3, 10, (
        _d("เมืองระยอง", "21000", "ท่าประดู่", "เนินพระ", "มาบตาพุด"),
        _d("ปลวกแดง", "21140", "ปลวกแดง", "มาบยางพร"),
        _d("บ้านฉาง", "21130", "บ้านฉาง", "พลา"),
    ), eec=True),
    _Province("24", "ฉะเชิงเทรา", "Chachoengsao", "ฉช", 13.6904, 101.0779, 2, 5, (
        _d("เมืองฉะเชิงเทรา", "24000", "หน้าเมือง", "บางตีนเป็ด"),
        _d("บางปะกง", "24130", "บางปะกง", "ท่าสะอ้าน"),
        _d("บ้านโพธิ์", "24140", "บ้านโพธิ์", "ลาดขวาง"),
    ), eec=True),
    _Province("25", "ปราจีนบุรี", "Prachin Buri", "ปจ", 14.0509, 101.3717, 1, 3, (
        _d("ศรีมหาโพธิ", "25140", "ศรีมหาโพธิ", "ท่าตูม"),
        _d("กบินทร์บุรี", "25110", "กบินทร์", "เมืองเก่า"),
    )),
    _Province("30", "นครราชสีมา", "Nakhon Ratchasima", "นม", 14.9799, 102.0978, 6, 4, (
        _d("เมืองนครราชสีมา", "30000", "ในเมือง", "หัวทะเล", "สุรนารี"),
        _d("ปากช่อง", "30130", "ปากช่อง", "หนองสาหร่าย"),
        _d("สีคิ้ว", "30140", "สีคิ้ว", "ลาดบัวขาว"),
    )),
    _Province("34", "อุบลราชธานี", "Ubon Ratchathani", "อบ", 15.2287, 104.8564, 4, 1, (
        _d("เมืองอุบลราชธานี", "34000", "ในเมือง", "แจระแม"),
        _d("วารินชำราบ", "34190", "วารินชำราบ", "ธาตุ"),
    )),
    _Province("40", "ขอนแก่น", "Khon Kaen", "ขก", 16.4322, 102.8236, 4, 2, (
        _d("เมืองขอนแก่น", "40000", "ในเมือง", "ศิลา", "บ้านเป็ด"),
        _d("น้ำพอง", "40140", "น้ำพอง", "กุดน้ำใส"),
        _d("ชุมแพ", "40130", "ชุมแพ", "หนองไผ่"),
    )),
    _Province("41", "อุดรธานี", "Udon Thani", "อด", 17.4138, 102.7872, 3, 1, (
        _d("เมืองอุดรธานี", "41000", "หมากแข้ง", "หนองบัว", "นาดี"),
        _d("กุมภวาปี", "41110", "กุมภวาปี", "ตูมใต้"),
    )),
    _Province("50", "เชียงใหม่", "Chiang Mai", "ชม", 18.7883, 98.9853, 5, 2, (
        _d("เมืองเชียงใหม่", "50200", "ศรีภูมิ", "พระสิงห์", "ช้างเผือก"),
        _d("สันทราย", "50210", "สันทรายหลวง", "หนองจ๊อม"),
        _d("หางดง", "50230", "หางดง", "หนองแก๋ว"),
        _d("สารภี", "50140", "ยางเนิ้ง", "ท่าวังตาล"),
    )),
    _Province("51", "ลำพูน", "Lamphun", "ลพ", 18.5745, 99.0087, 1, 3, (
        _d("เมืองลำพูน", "51000", "ในเมือง", "บ้านกลาง", "เหมืองง่า"),
        _d("ป่าซาง", "51120", "ป่าซาง", "มะกอก"),
    )),
    _Province("57", "เชียงราย", "Chiang Rai", "ชร", 19.9105, 99.8406, 3, 1, (
        _d("เมืองเชียงราย", "57000", "เวียง", "รอบเวียง"),
        _d("แม่สาย", "57130", "แม่สาย", "เวียงพางคำ"),
    ), sez=True),
    _Province("63", "ตาก", "Tak", "ตก", 16.8840, 99.1258, 1, 1, (
        _d("แม่สอด", "63110", "แม่สอด", "ท่าสายลวด", "แม่ปะ"),
        _d("เมืองตาก", "63000", "ระแหง", "หนองหลวง"),
    ), sez=True),
    _Province("65", "พิษณุโลก", "Phitsanulok", "พล", 16.8211, 100.2659, 2, 1, (
        _d("เมืองพิษณุโลก", "65000", "ในเมือง", "อรัญญิก", "ท่าทอง"),
    )),
    _Province("70", "ราชบุรี", "Ratchaburi", "รบ", 13.5283, 99.8134, 2, 2, (
        _d("เมืองราชบุรี", "70000", "หน้าเมือง", "ดอนตะโก"),
        _d("บ้านโป่ง", "70110", "บ้านโป่ง", "ท่าผา"),
        _d("โพธาราม", "70120", "โพธาราม", "บ้านฆ้อง"),
    )),
    _Province("73", "นครปฐม", "Nakhon Pathom", "นฐ", 13.8199, 100.0622, 3, 3, (
        _d("เมืองนครปฐม", "73000", "พระปฐมเจดีย์", "สนามจันทร์"),
        _d("สามพราน", "73110", "สามพราน", "ยายชา"),
        _d("นครชัยศรี", "73120", "นครชัยศรี", "ศีรษะทอง"),
    )),
    _Province("74", "สมุทรสาคร", "Samut Sakhon", "สค", 13.5475, 100.2745, 2, 6, (
        _d("เมืองสมุทรสาคร", "74000", "มหาชัย", "ท่าจีน", "โคกขาม"),
        _d("กระทุ่มแบน", "74110", "ตลาดกระทุ่มแบน", "สวนหลวง"),
        _d("บ้านแพ้ว", "74120", "บ้านแพ้ว", "หลักสาม"),
    )),
    _Province("80", "นครศรีธรรมราช", "Nakhon Si Thammarat", "นศ", 8.4304, 99.9631, 3, 1, (
        _d("เมืองนครศรีธรรมราช", "80000", "ในเมือง", "โพธิ์เสด็จ"),
        _d("ทุ่งสง", "80110", "ปากแพรก", "ชะมาย"),
    )),
    _Province("83", "ภูเก็ต", "Phuket", "ภก", 7.8804, 98.3923, 1, 1, (
        _d("เมืองภูเก็ต", "83000", "ตลาดใหญ่", "วิชิต", "รัษฎา"),
        _d("ถลาง", "83110", "เทพกระษัตรี", "ศรีสุนทร"),
    )),
    _Province("84", "สุราษฎร์ธานี", "Surat Thani", "สฎ", 9.1382, 99.3217, 2, 2, (
        _d("เมืองสุราษฎร์ธานี", "84000", "ตลาด", "มะขามเตี้ย"),
        _d("พุนพิน", "84130", "ท่าข้าม", "พุนพิน"),
    )),
    _Province("90", "สงขลา", "Songkhla", "สข", 7.1898, 100.5954, 3, 3, (
        _d("เมืองสงขลา", "90000", "บ่อยาง", "เขารูปช้าง"),
        _d("หาดใหญ่", "90110", "หาดใหญ่", "คอหงส์", "ฉลุง"),
        _d("จะนะ", "90130", "บ้านนา", "สะพานไม้แก่น", exempt=True),
        _d("เทพา", "90150", "เทพา", "ปากบาง", exempt=True),
        _d("นาทวี", "90160", "นาทวี", "ฉาง", exempt=True),
        _d("สะบ้าย้อย", "90210", "สะบ้าย้อย", "ทุ่งพอ", exempt=True),
    ), sez=True),
    _Province("94", "ปัตตานี", "Pattani", "ปน", 6.8673, 101.2501, 2, 1, (
        _d("เมืองปัตตานี", "94000", "สะบารัง", "อาเนาะรู", "จะบังติกอ"),
        _d("หนองจิก", "94170", "ตุยง", "บ่อทอง"),
        _d("โคกโพธิ์", "94120", "โคกโพธิ์", "มะกรูด"),
    ), exempt=True, deep_south=True),
    _Province("95", "ยะลา", "Yala", "ยล", 6.5400, 101.2800, 1, 1, (
        _d("เมืองยะลา", "95000", "สะเตง", "สะเตงนอก"),
        _d("เบตง", "95110", "เบตง", "ยะรม"),
    ), exempt=True, deep_south=True),
    _Province("96", "นราธิวาส", "Narathiwat", "นธ", 6.4255, 101.8253, 2, 1, (
        _d("เมืองนราธิวาส", "96000", "บางนาค", "ลำภู"),
        _d("สุไหงโก-ลก", "96120", "สุไหงโก-ลก", "ปาเสมัส"),
        _d("ตากใบ", "96110", "เจ๊ะเห", "ไพรวัน"),
    ), exempt=True, deep_south=True, sez=True),
)  # fmt: skip
PROVINCE_BY_CODE = {p.code: p for p in PROVINCES}

# Industrial estates (IEAT) and industrial zones (section 30), each in a province and district.
ESTATES = (
    ("นิคมอุตสาหกรรมลาดกระบัง", "10", "ลาดกระบัง"),
    ("นิคมอุตสาหกรรมบางชัน", "10", "มีนบุรี"),
    ("นิคมอุตสาหกรรมบางปู", "11", "เมืองสมุทรปราการ"),
    ("นิคมอุตสาหกรรมบางพลี", "11", "บางเสาธง"),
    ("นิคมอุตสาหกรรมนวนคร", "13", "คลองหลวง"),
    ("นิคมอุตสาหกรรมบางปะอิน", "14", "บางปะอิน"),
    ("นิคมอุตสาหกรรมแก่งคอย", "19", "แก่งคอย"),
    ("นิคมอุตสาหกรรมแหลมฉบัง", "20", "ศรีราชา"),
    ("นิคมอุตสาหกรรมอมตะซิตี้ชลบุรี", "20", "เมืองชลบุรี"),
    ("นิคมอุตสาหกรรมมาบตาพุด", "21", "เมืองระยอง"),
    ("นิคมอุตสาหกรรมเวลโกรว์", "24", "บางปะกง"),
    ("นิคมอุตสาหกรรมภาคเหนือ", "51", "เมืองลำพูน"),
    ("นิคมอุตสาหกรรมสมุทรสาคร", "74", "เมืองสมุทรสาคร"),
    ("นิคมอุตสาหกรรมภาคใต้", "90", "หาดใหญ่"),
)
ZONES = (
    ("สวนอุตสาหกรรมบางกะดี", "13", "เมืองปทุมธานี"),
    ("สวนอุตสาหกรรมโรจนะ", "14", "อุทัย"),
    ("สวนอุตสาหกรรมเครือสหพัฒน์ ศรีราชา", "20", "ศรีราชา"),
    ("เขตประกอบการอุตสาหกรรมสยามอีสเทิร์น", "21", "ปลวกแดง"),
    ("สวนอุตสาหกรรม 304", "25", "ศรีมหาโพธิ"),
)
BANGKOK_ROADS = (
    "สุขุมวิท", "ลาดพร้าว", "พหลโยธิน", "รามคำแหง", "เพชรเกษม", "จรัญสนิทวงศ์", "สีลม", "พระราม 4",
    "บางนา-ตราด", "อ่อนนุช", "ร่มเกล้า", "ประชาอุทิศ",
)  # fmt: skip

# People: Thai names with their romanization.

MALE_NAMES = (
    ("สมชาย", "Somchai"), ("สมศักดิ์", "Somsak"), ("ประเสริฐ", "Prasoet"), ("วิชัย", "Wichai"),
    ("สุชาติ", "Suchat"), ("ธนากร", "Thanakon"), ("ณัฐพล", "Nattaphon"), ("กิตติพงษ์", "Kittiphong"),
    ("อนุชา", "Anucha"), ("ชัยวัฒน์", "Chaiwat"), ("ธีรพงษ์", "Thiraphong"), ("พงศกร", "Phongsakon"),
    ("วีระพงษ์", "Wiraphong"), ("สุริยา", "Suriya"), ("อภิชาติ", "Aphichat"), ("ปิยะ", "Piya"),
    ("เกียรติศักดิ์", "Kiattisak"), ("บุญมี", "Bunmi"), ("สมบัติ", "Sombat"), ("วิทยา", "Witthaya"),
    ("ศักดิ์ชัย", "Sakchai"), ("ธนพล", "Thanaphon"), ("ภาณุวัฒน์", "Phanuwat"), ("จักรพันธ์", "Chakkraphan"),
    ("ชาญวิทย์", "Chanwit"), ("ณรงค์", "Narong"), ("ธวัชชัย", "Thawatchai"), ("นพดล", "Noppadon"),
    ("บรรจง", "Banchong"), ("ประพันธ์", "Praphan"), ("พิชิต", "Phichit"), ("มานพ", "Manop"),
    ("ยุทธนา", "Yutthana"), ("รัฐพล", "Rattaphon"), ("วรวุฒิ", "Worawut"), ("ศุภชัย", "Supphachai"),
    ("สุรเชษฐ์", "Surachet"), ("อดิศักดิ์", "Adisak"), ("อำนาจ", "Amnat"), ("เอกชัย", "Ekkachai"),
    ("ไพโรจน์", "Phairot"), ("ทองดี", "Thongdi"), ("บุญส่ง", "Bunsong"), ("ปรีชา", "Pricha"),
    ("สมพงษ์", "Somphong"), ("ชัยณรงค์", "Chainarong"), ("ภูมิพัฒน์", "Phumiphat"), ("กฤษดา", "Kritsada"),
)  # fmt: skip
FEMALE_NAMES = (
    ("สมหญิง", "Somying"), ("มาลี", "Mali"), ("สุภาพร", "Suphaphon"), ("วิไลวรรณ", "Wilaiwan"),
    ("กาญจนา", "Kanchana"), ("ศิริพร", "Siriphon"), ("นภาพร", "Naphaphon"), ("พรทิพย์", "Phonthip"),
    ("อรุณี", "Aruni"), ("จันทร์เพ็ญ", "Chanphen"), ("ปวีณา", "Pawina"), ("ณัฐธิดา", "Natthida"),
    ("กนกวรรณ", "Kanokwan"), ("ธิดารัตน์", "Thidarat"), ("รัตนา", "Rattana"), ("สุนีย์", "Suni"),
    ("บุญเรือน", "Bunruean"), ("ทองใบ", "Thongbai"), ("สมพร", "Somphon"), ("อัญชลี", "Anchali"),
    ("ปิยะนุช", "Piyanut"), ("วรรณา", "Wanna"), ("เพ็ญศรี", "Phensi"), ("นันทนา", "Nanthana"),
    ("ลำดวน", "Lamduan"), ("ประไพ", "Praphai"), ("ชุติมา", "Chutima"), ("พิมพ์ชนก", "Phimchanok"),
    ("ภัทรา", "Phatthra"), ("ศศิธร", "Sasithon"), ("อรทัย", "Orathai"), ("เยาวลักษณ์", "Yaowalak"),
    ("จิราพร", "Chiraphon"), ("สุดารัตน์", "Sudarat"), ("วาสนา", "Wasana"), ("มณีรัตน์", "Manirat"),
    ("ดวงใจ", "Duangchai"), ("ปราณี", "Prani"), ("อุไรวรรณ", "Uraiwan"), ("ขวัญใจ", "Khwanchai"),
)  # fmt: skip
LAST_NAMES = (
    ("ใจดี", "Chaidi"), ("ศรีสุข", "Srisuk"), ("วงศ์สวัสดิ์", "Wongsawat"), ("สุขสมบูรณ์", "Suksombun"),
    ("ทองคำ", "Thongkham"), ("แก้วมณี", "Kaeomani"), ("บุญมา", "Bunma"), ("มั่นคง", "Mankhong"),
    ("รักษ์ไทย", "Rakthai"), ("ประเสริฐสุข", "Prasoetsuk"), ("ศรีวงศ์", "Sriwong"), ("พึ่งบุญ", "Phuengbun"),
    ("จันทร์แก้ว", "Chankaeo"), ("สายทอง", "Saithong"), ("เพชรรัตน์", "Phetcharat"),
    ("ชัยมงคล", "Chaimongkhon"), ("วัฒนาสิน", "Watthanasin"), ("อินทร์แก้ว", "Inkaeo"),
    ("นาคสวัสดิ์", "Naksawat"), ("ปัญญาดี", "Panyadi"), ("เรืองศรี", "Rueangsri"),
    ("ทองประเสริฐ", "Thongprasoet"), ("สมบูรณ์ชัย", "Sombunchai"), ("กิตติวงศ์", "Kittiwong"),
    ("ธนสาร", "Thanasan"), ("พรหมมา", "Phromma"), ("บุญเรือง", "Bunrueang"),
    ("ศรีประเสริฐ", "Sriprasoet"), ("แสงทอง", "Saengthong"), ("วงศ์ใหญ่", "Wongyai"),
    ("เจริญผล", "Charoenphon"), ("อ่อนศรี", "Onsri"), ("หอมจันทร์", "Homchan"),
    ("สุวรรณรัตน์", "Suwannarat"), ("ทรัพย์มาก", "Sapmak"), ("ชื่นใจ", "Chuenchai"), ("พันธุ์ดี", "Phandi"),
    ("นิลสุวรรณ", "Ninsuwan"), ("ปานทอง", "Panthong"), ("มณีวงศ์", "Maniwong"),
    ("ลิ้มเจริญ", "Limcharoen"), ("ตั้งจิตร", "Tangchit"), ("แซ่ลิ้ม", "Sae-lim"), ("แซ่ตั้ง", "Sae-tang"),
    ("แซ่อึ้ง", "Sae-ueng"), ("ณ อยุธยา", "Na Ayutthaya"), ("ณ เชียงใหม่", "Na Chiang Mai"),
    ("รุ่งเรืองกิจ", "Rungrueangkit"), ("ศักดิ์สิทธิ์", "Saksit"), ("คงสมบูรณ์", "Khongsombun"),
)  # fmt: skip
# Malay-Muslim names, common in Pattani, Yala, Narathiwat and southern Songkhla.
SOUTHERN_MALE_NAMES = (
    ("อับดุลเลาะ", "Abdullah"), ("มูฮัมหมัด", "Muhammad"), ("อิสมาแอ", "Ismae"), ("ซูไฮมี", "Suhaimi"),
    ("อาหมัด", "Ahmad"), ("รอมลี", "Romli"), ("มะยูโซ๊ะ", "Mayuso"), ("อับดุลรอแม", "Abdulrolae"),
    ("ฮาซัน", "Hasan"), ("ยูซุฟ", "Yusuf"),
)  # fmt: skip
SOUTHERN_FEMALE_NAMES = (
    ("ฟาตีมะห์", "Fatimah"), ("นูรีซัน", "Nurisan"), ("ซารีฟะห์", "Sarifah"), ("รอฮานี", "Rohani"),
    ("อามีเนาะ", "Aminoh"), ("ซีตีฮาวา", "Sitihawa"), ("นูรฮายาตี", "Nurhayati"), ("มารีแย", "Mariyae"),
)  # fmt: skip
SOUTHERN_LAST_NAMES = (
    ("สาและ", "Salae"), ("ยูโซะ", "Yuso"), ("มะแซ", "Masae"), ("ดอเลาะ", "Doloh"),
    ("หะยีสะมะแอ", "Hayisamae"), ("เจ๊ะเต๊ะ", "Chete"), ("บินอาหลี", "Bin-ali"),
    ("อาแวบือซา", "Awaebuesa"), ("หะยีอาแว", "Hayi-awae"), ("สะมะแอ", "Samae"),
)  # fmt: skip
# Middle names on Thai cards are mostly a foreign parent's given name.
MALE_MIDDLE_NAMES = ("จอห์น", "ปีเตอร์", "ไมเคิล", "เดวิด")
FEMALE_MIDDLE_NAMES = ("มาเรีย", "แอนนา", "แคทเธอรีน", "ซาราห์")
FIRST_NAMES_BEFORE_CHANGE = ("ทองสุข", "บุญชู", "จำเนียร", "สมาน", "ละมัย", "เฉลียว", "สำเริง", "บุญเลิศ")

# ACC-01: residents who are not Thai nationals, as the civil registry lists them: 13-digit IDs
# of type 6 (temporary stay: mostly workers from the neighbouring countries), 7 (their children
# born in Thailand) and 8 (permanent residence, which naturalized Thais share: the first digit
# does not tell the nationality), names in Thai script with their romanization.
FOREIGN_RESIDENTS = {
    "MM": (
        (("หม่อง", "Maung"), ("อ่อง", "Aung"), ("จอ", "Kyaw"), ("ขิ่น", "Khin"), ("ซู", "Su")),
        (("ทุน", "Tun"), ("ลวิน", "Lwin"), ("อู", "Oo"), ("โซ", "Soe"), ("เมียว", "Myo")),
        "67",
    ),
    "LA": (
        (("คำพอน", "Khamphone"), ("สีสะหวาด", "Sisavath"), ("บุนมี", "Bounmy"),
            ("แสงจัน", "Sengchanh")),
        (("พมมะจัน", "Phommachanh"), ("วงสา", "Vongsa"), ("สีหาลาด", "Sihalath"),
            ("แก้วมะนี", "Keomany")),
        "67",
    ),
    "KH": (
        (("สุขา", "Sokha"), ("เจีย", "Chea"), ("ดารา", "Dara"), ("สรีเลียก", "Sreyleak")),
        (("โสก", "Sok"), ("จัน", "Chan"), ("เฮง", "Heng"), ("เมียส", "Meas")),
        "6",
    ),
    "VN": (
        (("มิงห์", "Minh"), ("ลาน", "Lan"), ("ฮุง", "Hung")),
        (("เหงียน", "Nguyen"), ("ตรัน", "Tran"), ("ฟาม", "Pham")),
        "68",
    ),
    "CN": (
        (("เหว่ย", "Wei"), ("หลี่หนา", "Lina"), ("เจี๋ย", "Jie"), ("ฟาง", "Fang")),
        (("จาง", "Zhang"), ("หลิว", "Liu"), ("หวัง", "Wang"), ("เฉิน", "Chen")),
        "8",
    ),
    "JP": (
        (("ทาเคชิ", "Takeshi"), ("ยูกิ", "Yuki"), ("เคนจิ", "Kenji")),
        (("ยามาดะ", "Yamada"), ("ทานากะ", "Tanaka"), ("ซูซูกิ", "Suzuki")),
        "8",
    ),
}  # fmt: skip
FOREIGN_RESIDENT_WEIGHTS = {"MM": 40, "LA": 15, "KH": 15, "VN": 5, "CN": 15, "JP": 10}

FOREIGN_DIRECTORS = {
    "JP": ("Takeshi Yamada", "Hiroshi Tanaka", "Kenji Suzuki", "Yuki Sato", "Naoko Kobayashi"),
    "CN": ("Wei Zhang", "Na Li", "Fang Wang", "Yang Liu", "Jing Chen"),
    "KR": ("Min-jun Kim", "Seo-yeon Lee", "Ji-hoon Park"),
    "TW": ("Chih-ming Chen", "Mei-hua Lin"),
    "SG": ("Wei Ming Tan", "Mei Ling Lim"),
    "US": ("John Smith", "Emily Johnson", "Michael Brown"),
    "GB": ("James Taylor", "Oliver Wilson"),
    "DE": ("Thomas Müller", "Anna Schneider", "Stefan Weber"),
    "IN": ("Rajesh Kumar", "Priya Sharma"),
    "FR": ("Pierre Martin", "Claire Dubois"),
}

# Businesses.


@dataclass(frozen=True)
class _Industry:
    name_th: str
    name_en: str
    objective: str
    categories: tuple[str, ...]
    plant_th: str  # what a sole proprietor's plant is called: โรงสีข้าว, โรงกลึง ...


INDUSTRIES = (
    _Industry("พลาสติก", "PLASTIC", "ผลิตผลิตภัณฑ์และบรรจุภัณฑ์พลาสติก", ("53(1)", "53(5)"), "โรงงานพลาสติก"),
    _Industry("โลหะกิจ", "METAL WORKS", "ผลิตชิ้นส่วนโลหะและงานโลหะแผ่น", ("64(1)", "64(2)"), "โรงกลึง"),
    _Industry("เหล็กกล้า", "STEEL", "หลอม หล่อ และรีดเหล็ก", ("59(1)", "60"), "โรงหล่อเหล็ก"),
    _Industry("ฟู้ดส์", "FOODS", "ผลิตและแปรรูปอาหาร", ("20(1)", "20(2)"), "โรงงานอาหาร"),
    _Industry("อาหารทะเล", "SEAFOOD", "แปรรูปและบรรจุกระป๋องอาหารทะเล",
        ("10(1)", "10(2)"), "โรงงานแปรรูปอาหารทะเล"),
    _Industry("ค้าข้าว", "RICE", "สีข้าวและอบพืชผลทางการเกษตร", ("3(1)", "3(2)"), "โรงสีข้าว"),
    _Industry("อาหารสัตว์", "FEED", "ผลิตอาหารสัตว์", ("4(1)",), "โรงงานอาหารสัตว์"),
    _Industry("นมสด", "DAIRY", "ผลิตนมพาสเจอร์ไรซ์และผลิตภัณฑ์นม", ("9(1)",), "โรงงานนม"),
    _Industry("ยางพารา", "RUBBER", "ผลิตยางแผ่นรมควันและยางแท่ง", ("52(1)", "52(2)"), "โรงอบยาง"),
    _Industry("ปาล์มน้ำมัน", "PALM OIL", "สกัดน้ำมันปาล์มดิบ", ("11(5)",), "โรงสกัดน้ำมันปาล์ม"),
    _Industry("เฟอร์นิเจอร์", "FURNITURE", "ผลิตเฟอร์นิเจอร์ไม้และชิ้นส่วน", ("34(1)", "41(1)"), "โรงเลื่อย"),
    _Industry("สิ่งทอ", "TEXTILE", "ปั่นด้าย ทอผ้า และย้อมผ้า", ("22(1)", "23(1)"), "โรงทอผ้า"),
    _Industry("การ์เมนต์", "GARMENT", "ตัดเย็บเสื้อผ้าสำเร็จรูป", ("24",), "โรงงานตัดเย็บ"),
    _Industry("บรรจุภัณฑ์", "PACKAGING", "ผลิตกล่องและบรรจุภัณฑ์กระดาษ", ("38(2)",), "โรงงานกล่องกระดาษ"),
    _Industry("เคมีภัณฑ์", "CHEMICAL", "ผลิตเคมีภัณฑ์อุตสาหกรรม", ("42(1)", "44"), "โรงงานเคมี"),
    _Industry("สีและเคลือบ", "PAINT AND COATINGS", "ผลิตสีและสารเคลือบผิว", ("45",), "โรงงานสี"),
    _Industry("ฟาร์มาซูติคอล", "PHARMACEUTICAL", "ผลิตยาแผนปัจจุบัน", ("46",), "โรงงานยา"),
    _Industry("กระจก", "GLASS", "ผลิตกระจกและภาชนะแก้ว", ("54",), "โรงงานแก้ว"),
    _Industry("คอนกรีต", "CONCRETE", "ผลิตคอนกรีตผสมเสร็จและผลิตภัณฑ์คอนกรีต",
        ("56", "57"), "โรงงานคอนกรีต"),
    _Industry("อิเล็กทรอนิกส์", "ELECTRONICS", "ผลิตชิ้นส่วนอิเล็กทรอนิกส์", ("70",), "โรงงานอิเล็กทรอนิกส์"),
    _Industry("เครื่องใช้ไฟฟ้า", "ELECTRICAL APPLIANCES", "ผลิตเครื่องใช้ไฟฟ้า",
        ("71",), "โรงงานเครื่องใช้ไฟฟ้า"),
    _Industry("ออโต้พาร์ท", "AUTO PARTS", "ผลิตชิ้นส่วนยานยนต์", ("77", "80"), "อู่ซ่อมและโรงกลึง"),
    _Industry("พาวเวอร์", "POWER", "ผลิตและจำหน่ายพลังงานไฟฟ้า", ("88(1)",), "โรงไฟฟ้า"),
    _Industry("ห้องเย็น", "COLD STORAGE", "ห้องเย็นและถนอมอาหาร", ("92",), "ห้องเย็น"),
    _Industry("เอนไวรอนเมนทอล", "ENVIRONMENTAL", "บำบัดและกำจัดของเสียอุตสาหกรรม",
        ("101", "105"), "โรงงานกำจัดของเสีย"),
    _Industry("รีไซเคิล", "RECYCLING", "คัดแยกและนำของเสียกลับมาใช้ใหม่", ("106",), "โรงคัดแยกขยะ"),
)  # fmt: skip


def _industry(name_en: str) -> _Industry:
    return next(i for i in INDUSTRIES if i.name_en == name_en)


POWER = _industry("POWER")
NAME_PREFIXES = (
    ("สยาม", "SIAM"), ("ไทย", "THAI"), ("รุ่งเรือง", "RUNGRUEANG"), ("เจริญ", "CHAROEN"), ("ศรี", "SRI"),
    ("มั่นคง", "MANKHONG"), ("ทวีผล", "THAWIPHON"), ("อุดม", "UDOM"), ("เอเชีย", "ASIA"),
    ("แปซิฟิก", "PACIFIC"), ("ตะวันออก", "EASTERN"), ("ล้านนา", "LANNA"), ("อีสาน", "ISAN"),
    ("ปักษ์ใต้", "PAKTAI"), ("โกลเด้น", "GOLDEN"), ("ยูไนเต็ด", "UNITED"), ("สหมิตร", "SAHAMIT"),
    ("ธนา", "THANA"), ("ทรัพย์สมบูรณ์", "SAPSOMBUN"), ("นครไทย", "NAKHON THAI"),
)  # fmt: skip
NAME_SUFFIXES = (
    ("", ""), ("", ""), ("อินดัสทรี", " INDUSTRY"), ("อินเตอร์เนชั่นแนล", " INTERNATIONAL"),
    ("กรุ๊ป", " GROUP"), ("แมนูแฟคเจอริ่ง", " MANUFACTURING"), ("โปรดักส์", " PRODUCTS"),
)  # fmt: skip
FOREIGN_BRANDS = (
    ("ยามาโตะ", "YAMATO", "JP"), ("ซากุระ", "SAKURA", "JP"), ("ฮิคาริ", "HIKARI", "JP"),
    ("โตโย", "TOYO", "JP"), ("ฮันซอง", "HANSUNG", "KR"), ("ไดนาสตี้", "DYNASTY", "CN"),
    ("หัวเซิง", "HUASHENG", "CN"), ("เอเวอร์กรีน", "EVERGREEN", "TW"), ("ไรน์", "RHEIN", "DE"),
    ("แอตลาส", "ATLAS", "US"), ("เมอร์ลิออน", "MERLION", "SG"), ("ลูมิแยร์", "LUMIERE", "FR"),
)  # fmt: skip
TRADE_WORDS = (
    ("การช่าง", "KANCHANG"), ("ค้าไม้", "KHAMAI"), ("พาณิชย์", "PHANIT"), ("ก่อสร้าง", "KOSANG"),
    ("เอ็นจิเนียริ่ง", "ENGINEERING"), ("โลหะภัณฑ์", "LOHAPHAN"), ("อุตสาหกรรม", "UTSAHAKAM"),
    ("เทรดดิ้ง", "TRADING"),
)  # fmt: skip
SHOP_WORDS = (
    "ร้านเจริญการช่าง", "ร้านรุ่งเรืองพาณิชย์", "ร้านสมบูรณ์ค้าไม้", "ร้านทองดีวัสดุ", "ร้านศรีสุขการเกษตร",
    "โรงน้ำแข็งมั่นคง", "โรงสีข้าวทวีผล", "ร้านก้าวหน้าอะไหล่", "ร้านแสงทองเฟอร์นิเจอร์", "ร้านพรเจริญเซรามิก",
)  # fmt: skip
COMMUNITY_PRODUCTS = (
    "แปรรูปอาหารบ้าน", "ทอผ้าพื้นเมืองบ้าน", "ข้าวอินทรีย์บ้าน", "แปรรูปสมุนไพรบ้าน", "จักสานไม้ไผ่บ้าน",
    "ผลิตภัณฑ์ยางพาราบ้าน", "แปรรูปปลาบ้าน", "น้ำพริกแม่บ้าน", "กาแฟบ้าน", "ผ้ามัดย้อมบ้าน",
)  # fmt: skip


def _weighted(rng: random.Random, items: Sequence, weights: Sequence[float]):
    return rng.choices(items, weights=weights, k=1)[0]


def _date_between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


def _on_birthday(year: int, month: int, day: int) -> dt.date:
    # Someone born on 29 February has a card expiring on 28 February in common years.
    if month == 2 and day == 29:
        try:
            return dt.date(year, 2, 29)
        except ValueError:
            return dt.date(year, 2, 28)
    return dt.date(year, month, day)


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


class _WorldBuilder:
    def __init__(self, seed: int, citizens: int):
        if citizens < MIN_CITIZENS:
            raise ValueError(f"a world needs at least {MIN_CITIZENS} citizens, not {citizens}")
        self.rng = random.Random(seed)  # noqa: S311 (made-up data, reproducible by design)
        self.fake = Faker("th_TH")
        self.fake.seed_instance(seed)
        self.size = citizens
        self.ids: set[str] = set()
        self.laser_codes: set[str] = set()
        self.business_names: set[str] = set()
        self.running: dict[tuple, int] = {}
        self.citizens: list[dict] = []
        self.juristic_persons: list[dict] = []
        self.juristic_industry: dict[str, _Industry] = {}
        self.commercial_registrations: list[dict] = []
        self.taxpayers: list[dict] = []
        self.community_enterprises: list[dict] = []
        self.factories: list[dict] = []
        self.ordinary: list[dict] = []  # alive, current card: the directors, owners and the like

    # Identifiers.

    def _unique(self, make, taken: set[str] | None = None) -> str:
        """A value from make() that is not taken yet (IDs unless told), now taken."""
        taken = self.ids if taken is None else taken
        while True:
            value = make()
            if value not in taken:
                taken.add(value)
                return value

    def _digits(self, count: int) -> str:
        return "".join(str(self.rng.randint(0, 9)) for _ in range(count))

    def _pid(self, first: str, province: str) -> str:
        def make():
            # 1 type, 2-3 province, 4-5 district, 6-10 house-book, 11-12 order, 13 check.
            body = (
                f"{first}{province}{self.rng.randint(1, 20):02d}{self._digits(5)}{self._digits(2)}"
            )
            return body + thirteen_digit_check_digit(body)

        return self._unique(make)

    def _juristic_id(self, province: str, kind: str, registered_on: dt.date) -> str:
        type_digit = {"company_limited": "5", "public_company_limited": "7"}.get(kind, "3")
        year = f"{(registered_on.year + BE_OFFSET) % 1000:03d}"

        def make():
            # 0, registrar office (province), type, BE year's last 3 digits, running, check.
            body = f"0{province}{type_digit}{year}{self._digits(5)}"
            return body + thirteen_digit_check_digit(body)

        return self._unique(make)

    def _tax_id(self) -> str:
        def make():
            body = f"0994{self._digits(8)}"
            return body + thirteen_digit_check_digit(body)

        return self._unique(make)

    def _laser_code(self) -> str:
        def make():
            letters = "".join(self.rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(2))
            return f"{letters}{self._digits(1)}-{self._digits(7)}-{self._digits(2)}"

        return self._unique(make, self.laser_codes)

    def _next(self, key: tuple, *, start: int = 1, step: int = 1) -> int:
        value = self.running.get(key, start - step) + step
        self.running[key] = value
        return value

    # Places.

    def _province(self, *, weight: str = "people") -> _Province:
        return _weighted(self.rng, PROVINCES, [getattr(p, weight) for p in PROVINCES])

    def _district(self, province: _Province, name: str | None = None) -> _District:
        if name is None:
            return self.rng.choice(province.districts)
        return next(d for d in province.districts if d.name_th == name)

    def _road(self, province: _Province) -> str | None:
        if province.code == BANGKOK:
            return f"ถนน{self.rng.choice(BANGKOK_ROADS)}"
        return self.fake.street_name() if self.rng.random() < 0.5 else None

    def _address(self, province: _Province, district: _District | None = None) -> dict:
        district = district or self._district(province)
        bangkok = province.code == BANGKOK
        number = str(self.rng.randint(1, 999))
        if self.rng.random() < 0.35:
            number += f"/{self.rng.randint(1, 99)}"
        soi = None
        if bangkok and self.rng.random() < 0.6:
            soi = f"ซอย{self.rng.choice(BANGKOK_ROADS)} {self.rng.randint(1, 101)}"
        return {
            "house_no": number,
            "moo": None if bangkok or self.rng.random() < 0.4 else str(self.rng.randint(1, 15)),
            "soi": soi,
            "road": self._road(province),
            "subdistrict": self.rng.choice(district.subdistricts),
            "district": district.name_th,
            "province": province.name_th,
            "postcode": district.postcode,
        }

    # People.

    def _name(self, male: bool, southern: bool) -> tuple[str, str, str, str]:
        if southern and self.rng.random() < 0.6:
            first = self.rng.choice(SOUTHERN_MALE_NAMES if male else SOUTHERN_FEMALE_NAMES)
            last = self.rng.choice(SOUTHERN_LAST_NAMES)
        else:
            first = self.rng.choice(MALE_NAMES if male else FEMALE_NAMES)
            last = self.rng.choice(LAST_NAMES)
        return first[0], last[0], first[1], last[1]

    def _citizen(self, traits: frozenset[str]) -> dict:
        rng = self.rng
        province = self._province()
        district = self._district(province)
        southern = province.deep_south or district.exempt
        male = rng.random() < 0.5
        if "previous_surname" in traits:
            male = False  # a married woman who took her husband's name
        first_th, last_th, first_en, last_en = self._name(male, southern)
        no_english = "no_english" in traits or (rng.random() < 0.03 and not traits)
        if no_english:
            first_th = self.fake.first_name_male() if male else self.fake.first_name_female()
            last_th = self.fake.last_name()

        if "unknown_birth" in traits:
            age = rng.randint(82, 99)
        elif "lifetime_card" in traits:
            age = rng.randint(72, 90)
        else:
            age = rng.choice((rng.randint(20, 45), rng.randint(25, 65), rng.randint(30, 88)))
        birth = _date_between(
            rng,
            dt.date(REFERENCE_DATE.year - age, 1, 1),
            dt.date(REFERENCE_DATE.year - age, 12, 31),
        )
        birth_year_be = birth.year + BE_OFFSET
        month, day = (None, None) if "unknown_birth" in traits else (birth.month, birth.day)

        if "naturalized" in traits:
            first_digit = "8"
        elif birth_year_be >= 2527:  # born after the 1984 population register
            first_digit = "1" if rng.random() < 0.9 else "2"
        else:
            first_digit = _weighted(rng, "345", (85, 8, 7))
        pid = self._pid(first_digit, province.code)

        married = not male and ("previous_surname" in traits or rng.random() < 0.45)
        title = "นาย" if male else ("นาง" if married else "นางสาว")
        if male and 25 <= age <= 45 and rng.random() < 0.03:
            title = "ว่าที่ร้อยตรี"

        alive = not ({"deceased", "deceased_revoked"} & traits)
        card_status, card_expiry = "active", None
        if "expired" in traits:
            card_status = "expired"
            card_expiry = _date_between(rng, dt.date(2016, 1, 1), dt.date(2025, 11, 30))
        elif "lost" in traits or "revoked" in traits or "deceased_revoked" in traits:
            card_status = "lost" if "lost" in traits else "revoked"
            card_expiry = _date_between(rng, dt.date(2022, 1, 1), dt.date(2032, 12, 31))
        elif "lifetime_card" in traits or (age >= 70 and rng.random() < 0.5):
            card_expiry = None  # cards issued at 70 and over never expire
        else:
            # Cards run to a birthday; kept well after REFERENCE_DATE so that they stay
            # current for years on whatever day the tests run.
            year = rng.randint(2029, 2034)
            if month and day:
                card_expiry = _on_birthday(year, month, day)
            else:
                card_expiry = _date_between(rng, dt.date(year, 1, 1), dt.date(year, 12, 31))

        previous_names = []
        if "previous_surname" in traits:
            maiden = self.rng.choice([n for n in LAST_NAMES if n[0] != last_th])[0]
            until = _date_between(rng, dt.date(2005, 1, 1), dt.date(2024, 12, 31))
            previous_names.append(
                {"first_name_th": first_th, "last_name_th": maiden, "until": _iso(until)}
            )
        if "previous_first_name" in traits:
            until = _date_between(rng, dt.date(2010, 1, 1), dt.date(2025, 6, 30))
            old = rng.choice(FIRST_NAMES_BEFORE_CHANGE)
            previous_names.append(
                {"first_name_th": old, "last_name_th": last_th, "until": _iso(until)}
            )

        record = {
            "pid": pid,
            "title_th": title,
            "first_name_th": first_th,
            "last_name_th": last_th,
            "first_name_en": None if no_english else first_en,
            "last_name_en": None if no_english else last_en,
            "middle_name_th": (
                rng.choice(MALE_MIDDLE_NAMES if male else FEMALE_MIDDLE_NAMES)
                if "middle_name" in traits
                else None
            ),
            "birth_year_be": birth_year_be,
            "birth_month": month,
            "birth_day": day,
            "laser_code": self._laser_code(),
            "card_status": card_status,
            "card_expiry": _iso(card_expiry),
            "alive": alive,
            "nationality": "TH",
            "address": self._address(province, district),
            "previous_names": previous_names,
        }
        if alive and card_status == "active" and card_expiry is not None:
            self.ordinary.append(record)
        return record

    def build_citizens(self) -> None:
        scripted = [
            *[{"unknown_birth"}] * 3,
            {"unknown_birth", "lifetime_card"},
            {"unknown_birth", "deceased"},
            *[{"lifetime_card"}] * 2,
            *[{"deceased"}] * 2,
            {"deceased_revoked"},
            *[{"expired"}] * 3,
            *[{"lost"}] * 3,
            *[{"revoked"}] * 3,
            *[{"previous_surname"}] * 3,
            *[{"previous_first_name"}] * 2,
            {"previous_surname", "previous_first_name"},
            *[{"middle_name"}] * 2,
            *[{"no_english"}] * 3,
            {"no_english", "unknown_birth"},
            {"naturalized"},
        ]
        random_traits = (
            ("unknown_birth", 0.004),
            ("deceased", 0.01),
            ("expired", 0.03),
            ("lost", 0.012),
            ("revoked", 0.005),
            ("previous_surname", 0.03),
            ("previous_first_name", 0.02),
            ("middle_name", 0.004),
        )
        # The world's size counts everyone the registry lists, the non-Thai residents too.
        for index in range(self.size - self._foreign_resident_count()):
            if index < len(scripted):
                traits = frozenset(scripted[index])
            else:
                traits = frozenset(t for t, p in random_traits if self.rng.random() < p)
            self.citizens.append(self._citizen(traits))
        # Scripted people first is convenient here, not in the file: shuffle them in.
        self.rng.shuffle(self.citizens)

    def _foreign_resident(self, nationality: str) -> dict:
        """ACC-01: a resident the civil registry lists with a 13-digit ID and a nationality
        other than Thai. Never a director, owner or representative of the world's businesses
        (those are drawn before these people exist)."""
        rng = self.rng
        first_names, last_names, id_types = FOREIGN_RESIDENTS[nationality]
        province = self._province()
        district = self._district(province)
        first, last = rng.choice(first_names), rng.choice(last_names)
        age = rng.randint(19, 60)
        birth = _date_between(
            rng,
            dt.date(REFERENCE_DATE.year - age, 1, 1),
            dt.date(REFERENCE_DATE.year - age, 12, 31),
        )
        return {
            "pid": self._pid(rng.choice(id_types), province.code),
            "title_th": rng.choice(("นาย", "นาง", "นางสาว")),
            "first_name_th": first[0],
            "last_name_th": last[0],
            "first_name_en": first[1],
            "last_name_en": last[1],
            "middle_name_th": None,
            "birth_year_be": birth.year + BE_OFFSET,
            "birth_month": birth.month,
            "birth_day": birth.day,
            "laser_code": self._laser_code(),
            "card_status": "active",
            "card_expiry": _iso(_on_birthday(rng.randint(2029, 2034), birth.month, birth.day)),
            "alive": True,
            "nationality": nationality,
            "address": self._address(province, district),
            "previous_names": [],
        }

    def _foreign_resident_count(self) -> int:
        return max(len(FOREIGN_RESIDENTS), self.size // 200)

    def build_foreign_residents(self) -> None:
        """One resident of each listed nationality, then more up to one in two hundred people,
        each put at a random place in citizens.jsonl. Built last: never drawn as a director,
        owner or representative."""
        count = self._foreign_resident_count()
        nationalities = list(FOREIGN_RESIDENTS)
        weights = FOREIGN_RESIDENT_WEIGHTS
        while len(nationalities) < count:
            nationalities.append(_weighted(self.rng, list(weights), list(weights.values())))
        for nationality in nationalities:
            place = self.rng.randint(0, len(self.citizens))
            self.citizens.insert(place, self._foreign_resident(nationality))

    def _person(self) -> dict:
        return self.rng.choice(self.ordinary)

    @staticmethod
    def _full_name_th(person: dict) -> str:
        middle = f" {person['middle_name_th']}" if person["middle_name_th"] else ""
        return f"{person['title_th']}{person['first_name_th']}{middle} {person['last_name_th']}"

    def _thai_director(self, person: dict, can_sign: bool) -> dict:
        return {
            "pid": person["pid"],
            "name_th": self._full_name_th(person),
            "nationality": "TH",
            "can_sign": can_sign,
        }

    def _passport_no(self, nationality: str) -> str:
        formats = {
            "JP": lambda: f"T{self.rng.choice('KRZ')}{self._digits(7)}",
            "CN": lambda: f"E{self._digits(8)}",
            "KR": lambda: f"M{self._digits(8)}",
            "SG": lambda: f"K{self._digits(7)}{self.rng.choice('ABCDEFGHJ')}",
            "IN": lambda: f"{self.rng.choice('JKLMNPRSTUVZ')}{self._digits(7)}",
            "DE": lambda: f"C{self._digits(8)}",
            "FR": lambda: (
                f"{self._digits(2)}{self.rng.choice('ABCDEF')}{self.rng.choice('GHKLM')}{self._digits(5)}"
            ),
        }
        return formats.get(nationality, lambda: self._digits(9))()

    def _foreign_director(self, nationality: str | None, can_sign: bool) -> dict:
        nationality = nationality or self.rng.choice(list(FOREIGN_DIRECTORS))
        return {
            "passport_no": self._passport_no(nationality),
            "name_en": self.rng.choice(FOREIGN_DIRECTORS[nationality]),
            "nationality": nationality,
            "can_sign": can_sign,
        }

    # Juristic persons (DBD).

    def _company_name(
        self, kind: str, industry: _Industry, foreign: str | None
    ) -> tuple[str, str | None]:
        for attempt in range(200):
            if kind in ("limited_partnership", "registered_partnership"):
                last = self.rng.choice(LAST_NAMES)
                word = self.rng.choice(TRADE_WORDS)
                core_th, core_en = f"{last[0]}{word[0]}", f"{last[1].upper()} {word[1]}"
            elif foreign:
                # The brand of the foreign parent where there is one, any brand once they run out.
                brands = [b for b in FOREIGN_BRANDS if b[2] == foreign and attempt < 20]
                brand = self.rng.choice(brands or FOREIGN_BRANDS)
                suffix = self.rng.choice(NAME_SUFFIXES)
                core_th = f"{brand[0]} {industry.name_th}{suffix[0]} (ประเทศไทย)"
                core_en = f"{brand[1]} {industry.name_en}{suffix[1]} (THAILAND)"
            else:
                prefix = self.rng.choice(NAME_PREFIXES)
                suffix = self.rng.choice(NAME_SUFFIXES)
                core_th = f"{prefix[0]}{industry.name_th}{suffix[0]}"
                core_en = f"{prefix[1]} {industry.name_en}{suffix[1]}"
            if attempt >= 100:
                # A common name taken: DBD makes people add a distinguishing word, often a surname.
                last = self.rng.choice(LAST_NAMES)
                core_th, core_en = f"{core_th} {last[0]}", f"{core_en} {last[1].upper()}"
            name_th, name_en = {
                "company_limited": (f"บริษัท {core_th} จำกัด", f"{core_en} CO., LTD."),
                "public_company_limited": (
                    f"บริษัท {core_th} จำกัด (มหาชน)",
                    f"{core_en} PUBLIC COMPANY LIMITED",
                ),
                "limited_partnership": (
                    f"ห้างหุ้นส่วนจำกัด {core_th}",
                    f"{core_en} LIMITED PARTNERSHIP",
                ),
                "registered_partnership": (
                    f"ห้างหุ้นส่วนสามัญนิติบุคคล {core_th}",
                    f"{core_en} REGISTERED ORDINARY PARTNERSHIP",
                ),
            }[kind]
            if name_th not in self.business_names:
                self.business_names.add(name_th)
                return name_th, name_en
        raise RuntimeError("ran out of business names")  # pragma: no cover

    def _juristic_person(
        self,
        *,
        kind: str,
        status: str = "active",
        directors: str = "thai",  # thai, mixed, foreign, thai_cannot_sign, with_deceased
        renamed: bool = False,
        no_english: bool = False,
        province: _Province | None = None,
        industry: _Industry | None = None,
        name_th: str | None = None,
        partners: Sequence[dict] = (),
    ) -> dict:
        rng = self.rng
        industry = industry or rng.choice(INDUSTRIES)
        province = province or (
            PROVINCE_BY_CODE[BANGKOK] if rng.random() < 0.4 else self._province(weight="industry")
        )
        earliest = dt.date(1993, 1, 1) if kind == "public_company_limited" else dt.date(1975, 1, 1)
        registered_on = _date_between(rng, earliest, dt.date(2025, 9, 30))
        juristic_id = self._juristic_id(province.code, kind, registered_on)
        foreign = None
        if directors in ("mixed", "foreign", "thai_cannot_sign"):
            foreign = rng.choice(list(FOREIGN_DIRECTORS))
        if name_th is None:
            name_th, name_en = self._company_name(kind, industry, foreign)
        else:
            name_en = None
            self.business_names.add(name_th)
        if no_english:
            name_en = None

        board: list[dict] = [
            self._thai_director(p, can_sign=i == 0) for i, p in enumerate(partners)
        ]
        if not partners:
            count = rng.randint(5, 9) if kind == "public_company_limited" else rng.randint(1, 4)
            if directors == "foreign":
                board = [
                    self._foreign_director(foreign, can_sign=i < 2) for i in range(min(count, 3))
                ]
            elif directors == "thai_cannot_sign":
                # BIZ-04: a Thai director who may not sign still verifies the company.
                board = [self._foreign_director(foreign, can_sign=True)]
                board.append(self._thai_director(self._person(), can_sign=False))
            else:
                people = rng.sample(self.ordinary, count)
                board = [self._thai_director(p, can_sign=i < 2) for i, p in enumerate(people)]
                if directors == "mixed":
                    board.insert(1, self._foreign_director(foreign, can_sign=rng.random() < 0.5))
                if directors == "with_deceased":
                    dead = next(c for c in self.citizens if not c["alive"])
                    board.append(self._thai_director(dead, can_sign=False))

        previous = []
        if renamed:
            old_th, _ = self._company_name(kind, rng.choice(INDUSTRIES), None)
            previous.append(old_th)
        capital = {
            "company_limited": (
                1_000_000,
                2_000_000,
                5_000_000,
                10_000_000,
                50_000_000,
                200_000_000,
            ),
            "public_company_limited": (500_000_000, 1_000_000_000, 2_500_000_000, 12_000_000_000),
            "limited_partnership": (100_000, 500_000, 1_000_000, 3_000_000, 5_000_000),
            "registered_partnership": (30_000, 50_000, 100_000, 200_000),
        }[kind]
        record = {
            "juristic_id": juristic_id,
            "kind": kind,
            "name_th": name_th,
            "name_en": name_en,
            "previous_names_th": previous,
            "registered_on": registered_on.isoformat(),
            "status": status,
            "capital_baht": rng.choice(capital),
            "objective": industry.objective,
            "address": self._address(province),
            "directors": board,
        }
        self.juristic_persons.append(record)
        self.juristic_industry[juristic_id] = industry
        return record

    def build_juristic_persons(self) -> None:
        kinds = (
            "company_limited",
            "public_company_limited",
            "limited_partnership",
            "registered_partnership",
        )
        for kind in kinds:
            for status in ("active", "dissolved", "closed"):
                self._juristic_person(kind=kind, status=status)
        for _ in range(3):
            self._juristic_person(kind="company_limited", directors="foreign")
        for _ in range(2):
            self._juristic_person(kind="company_limited", directors="thai_cannot_sign")
            self._juristic_person(kind="company_limited", directors="mixed", renamed=True)
            self._juristic_person(kind="limited_partnership", no_english=True)
        self._juristic_person(kind="public_company_limited", directors="mixed", renamed=True)
        self._juristic_person(kind="company_limited", directors="with_deceased")
        total = max(60, round(self.size * 0.12))
        while len(self.juristic_persons) < total:
            kind = _weighted(self.rng, kinds, (74, 3, 18, 5))
            self._juristic_person(
                kind=kind,
                status=_weighted(self.rng, ("active", "dissolved", "closed"), (90, 6, 4)),
                directors=_weighted(self.rng, ("thai", "mixed", "foreign"), (72, 24, 4))
                if kind != "limited_partnership"
                else "thai",
                renamed=self.rng.random() < 0.08,
                no_english=kind.endswith("partnership") and self.rng.random() < 0.3,
            )

    # Community enterprises (DOAE), some also juristic persons.

    def build_community_enterprises(self) -> None:
        total = max(10, round(self.size * 0.012))
        representatives = self.rng.sample(self.ordinary, total - 1)
        representatives.append(representatives[0])  # one person represents two enterprises
        for index, person in enumerate(representatives):
            province = next(p for p in PROVINCES if p.name_th == person["address"]["province"])
            district_index = next(
                i
                for i, d in enumerate(province.districts)
                if d.name_th == person["address"]["district"]
            )
            place = person["address"]["subdistrict"]
            product = self.rng.choice(COMMUNITY_PRODUCTS)
            name_th = f"วิสาหกิจชุมชน{product}{place}"
            if name_th in self.business_names:
                name_th = f"วิสาหกิจชุมชนกลุ่ม{product}{place}"
            self.business_names.add(name_th)
            running = self._next(("ce", province.code), start=self.rng.randint(1, 40))
            registration_no = (
                f"{self.rng.randint(1, 9)}-{province.code}-{district_index + 1:02d}"
                f"-{self.rng.randint(1, 12):02d}/1-{running:04d}"
            )
            is_juristic = index < 3 or self.rng.random() < 0.25
            if is_juristic:
                members = [person, *self.rng.sample(self.ordinary, 2)]
                self._juristic_person(
                    kind="registered_partnership",
                    province=province,
                    industry=_industry("FOODS"),
                    name_th=f"ห้างหุ้นส่วนสามัญนิติบุคคล {name_th}",
                    partners=[m for i, m in enumerate(members) if i == 0 or m is not person],
                )
            self.community_enterprises.append(
                {
                    "registration_no": registration_no,
                    "name_th": name_th,
                    "representative_pid": person["pid"],
                    "is_juristic": is_juristic,
                }
            )

    # Commercial registrations (sole proprietors' trade names).

    def build_commercial_registrations(self) -> None:
        total = max(20, round(self.size * 0.04))
        owners = self.rng.sample(self.ordinary, total - 2)
        owners += owners[:2]  # two people with a second, cancelled registration
        for index, owner in enumerate(owners):
            province = next(p for p in PROVINCES if p.name_th == owner["address"]["province"])
            number = self._unique(lambda code=province.code: f"{code}{self._digits(11)}")
            trade_name = self.rng.choice(SHOP_WORDS)
            cancelled = index >= total - 2 or self.rng.random() < 0.15
            self.commercial_registrations.append(
                {
                    "registration_no": number,
                    "owner_pid": owner["pid"],
                    "trade_name_th": f"{trade_name}{owner['last_name_th']}"
                    if index % 3
                    else trade_name,
                    "status": "cancelled" if cancelled else "active",
                }
            )

    # Taxpayers (RD): juristic persons under other laws, with branches.

    def _taxpayer_names(self, kind: str) -> tuple[str, str | None, _Industry | None]:
        rng = self.rng
        province = self._province()
        district = self._district(province)
        place = rng.choice(district.subdistricts)
        dairy, rubber, rice, pharma = map(_industry, ("DAIRY", "RUBBER", "RICE", "PHARMACEUTICAL"))
        th, en = province.name_th, province.name_en
        options = {
            "government_agency": [
                (f"องค์การบริหารส่วนจังหวัด{th}", f"{en} Provincial Administrative Organization", None),
                (f"มหาวิทยาลัยราชภัฏ{th}", f"{en} Rajabhat University", None),
                (f"เทศบาลตำบล{place}", None, None),
            ],
            "state_enterprise": [
                ("องค์การเภสัชกรรม", "The Government Pharmaceutical Organization", pharma),
                ("การยางแห่งประเทศไทย", "Rubber Authority of Thailand", rubber),
                (
                    "องค์การส่งเสริมกิจการโคนมแห่งประเทศไทย",
                    "Dairy Farming Promotion Organization of Thailand",
                    dairy,
                ),
            ],
            "cooperative": [
                (f"สหกรณ์โคนม{district.name_th} จำกัด", None, dairy),
                (f"สหกรณ์การเกษตร{district.name_th} จำกัด", None, rice),
                (f"สหกรณ์กองทุนสวนยาง{place} จำกัด", None, rubber),
            ],
            "farmer_group": [
                (f"กลุ่มเกษตรกรทำสวน{place}", None, rubber),
                (f"กลุ่มเกษตรกรทำนา{place}", None, rice),
            ],
            "foundation": [
                (f"มูลนิธิพัฒนาอาชีพ{th}", f"{en} Vocational Development Foundation", None),
                (f"มูลนิธิส่งเสริมหัตถกรรม{place}", None, None),
            ],
            "other": [
                (
                    f"สมาคมผู้ประกอบการอุตสาหกรรม{th}",
                    f"{en} Industrial Entrepreneurs Association",
                    None,
                ),
                (f"สภาเกษตรกรจังหวัด{th}", None, None),
            ],
        }[kind]
        for name_th, name_en, industry in rng.sample(options, len(options)):
            if name_th not in self.business_names:
                self.business_names.add(name_th)
                return name_th, name_en, industry
        name_th, name_en, industry = options[0]
        name_th = f"{name_th} ({place})"
        self.business_names.add(name_th)
        return name_th, name_en, industry

    def build_taxpayers(self) -> list[tuple[dict, _Industry | None]]:
        kinds = (
            "government_agency",
            "state_enterprise",
            "cooperative",
            "farmer_group",
            "foundation",
            "other",
        )
        entities = [*kinds, "state_enterprise", "cooperative", "cooperative", "farmer_group"]
        while len(entities) < max(12, round(self.size * 0.008)):
            entities.append(_weighted(self.rng, kinds, (20, 10, 30, 20, 10, 10)))
        head_offices = []
        for index, kind in enumerate(entities):
            name_th, name_en, industry = self._taxpayer_names(kind)
            tax_id = self._tax_id()
            head = {
                "tax_id": tax_id,
                "kind": kind,
                "name_th": name_th,
                "name_en": name_en,
                "branch": "00000",
            }
            # Head office and branches share the tax ID; some entities have branches.
            branches = 2 if index in (1, 2) else (1 if self.rng.random() < 0.2 else 0)
            if index == 3:
                # Only a branch is on file, as the RD register lists branches on their own.
                head["branch"] = f"{self.rng.randint(2, 20):05d}"
                branches = 0
            self.taxpayers.append(head)
            for number in range(1, branches + 1):
                branch_place = self._district(self._province()).name_th
                self.taxpayers.append(
                    {
                        "tax_id": tax_id,
                        "kind": kind,
                        "name_th": f"{name_th} สาขา{branch_place}",
                        "name_en": f"{name_en} (branch {number:05d})" if name_en else None,
                        "branch": f"{number:05d}",
                    }
                )
            head_offices.append((head, industry))
        return head_offices

    # Factories (DIW).

    def _factory(
        self,
        operator_id: str,
        operator_name: str,
        industry: _Industry,
        *,
        province: _Province | None = None,
        district: _District | None = None,
        estate: tuple | None = None,
        zone: tuple | None = None,
        status: str | None = None,
        factory_class: int | None = None,
        authority: str | None = None,
        location_zone: str | None = None,
        horsepower: float | None = None,
        workers: int | None = None,
        started_on: dt.date | None = None,
        licensed_on: dt.date | None = None,
        name_th: str | None = None,
    ) -> dict:
        rng = self.rng
        if estate or zone:
            _, province_code, district_name = estate or zone
            province = PROVINCE_BY_CODE[province_code]
            district = self._district(province, district_name)
        province = province or self._province(weight="industry")
        district = district or self._district(province)
        bangkok = province.code == BANGKOK

        if factory_class is None:
            factory_class = _weighted(rng, (1, 2, 3), (12, 25, 63))
        if horsepower is None:
            horsepower = {
                1: rng.uniform(5, 49.99),
                2: rng.uniform(50, 74.99),
                3: rng.uniform(75, 3000) if industry is not POWER else rng.uniform(5000, 60000),
            }[factory_class]
        if workers is None:
            workers = {1: rng.randint(2, 49), 2: rng.randint(10, 74), 3: rng.randint(20, 1800)}[
                factory_class
            ]

        status = status or _weighted(
            rng,
            ("operating", "temporarily_stopped", "not_started", "closed", "revoked"),
            (76, 8, 5, 7, 4),
        )
        if licensed_on is None:
            if status == "not_started":
                licensed_on = _date_between(rng, dt.date(2023, 6, 1), dt.date(2025, 10, 31))
            else:
                licensed_on = _date_between(rng, dt.date(1988, 1, 1), dt.date(2025, 6, 30))
        if status == "not_started":
            started_on = None
        elif started_on is None:
            started_on = min(
                licensed_on + dt.timedelta(days=rng.randint(15, 365)),
                REFERENCE_DATE - dt.timedelta(days=1),
            )

        if estate:
            supervisor, licence = "IEAT", "ieat_03_2"
            authority = authority or _weighted(rng, "87", (70, 30))
            location_zone = location_zone or rng.choice("23")
        else:
            supervisor = "DIW" if bangkok else "PIO"
            licence = "ror_ngor_4" if factory_class == 3 else "ror_ngor_2"
            if zone:
                location_zone = location_zone or "1"
                authority = authority or _weighted(rng, "92", (60, 40))
            elif location_zone is None:
                special = (province.eec or province.sez) and rng.random() < 0.4
                location_zone = "4" if special else "0"
            if authority is None:
                if industry is POWER:
                    authority = "4"  # power plants: the Energy Regulatory Commission
                elif bangkok:
                    authority = _weighted(rng, "15", (85, 15))
                elif location_zone == "4":
                    authority = _weighted(rng, "02", (30, 70))
                else:
                    authority = _weighted(rng, "263", (90, 6, 4))

        licensed_be = licensed_on.year + BE_OFFSET
        # Factories older than the 14-digit scheme got their number when it began (2562-2563).
        year_be = licensed_be if licensed_be >= 2562 else rng.choice((2562, 2563))
        running = self._next(
            ("factory", authority, province.code, year_be),
            start=rng.randint(1, 40),
            step=rng.randint(1, 6),
        )
        first13 = f"{authority}{location_zone}{province.code}{running:05d}{year_be}"
        factory_no = first13 + factory_no_check_digit(first13)

        category = rng.choice(industry.categories)
        factory_no_old = None
        if licensed_be < 2562:
            sequence = self._next(("old", province.code, licensed_be), start=rng.randint(1, 30))
            prefix = "จ" if bangkok else ""
            year = f"{licensed_be % 100:02d}{province.abbreviation}"
            factory_no_old = f"{prefix}{factory_class}-{category}-{sequence}/{year}"

        address = self._address(province, district)
        address["industrial_estate"] = estate[0] if estate else None
        address["industrial_zone"] = zone[0] if zone else None
        record = {
            "factory_no": factory_no,
            "factory_no_old": factory_no_old,
            "name_th": name_th or operator_name,
            "operator_id": operator_id,
            "licence": licence,
            "factory_class": factory_class,
            "category": category,
            "horsepower": round(horsepower, 2),
            "workers": workers,
            "status": status,
            "operation_started_on": _iso(started_on),
            "licensed_on": licensed_on.isoformat(),
            "address": address,
            "supervisor": supervisor,
            "latitude": round(province.latitude + rng.uniform(-0.06, 0.06), 6),
            "longitude": round(province.longitude + rng.uniform(-0.06, 0.06), 6),
        }
        self.factories.append(record)
        return record

    def _operator(self, juristic_person: dict) -> tuple[str, str, _Industry]:
        """A juristic person as _factory() takes its operator: ID, name, industry."""
        juristic_id = juristic_person["juristic_id"]
        return juristic_id, juristic_person["name_th"], self.juristic_industry[juristic_id]

    def _juristic_operator(self, predicate) -> tuple[str, str, _Industry]:
        return self._operator(next(j for j in self.juristic_persons if predicate(j)))

    def build_factories(self, taxpayers: list[tuple[dict, _Industry | None]]) -> None:
        rng = self.rng
        province = PROVINCE_BY_CODE
        active = [j for j in self.juristic_persons if j["status"] == "active"]

        def company(kind="company_limited"):
            return self._operator(rng.choice([j for j in active if j["kind"] == kind]))

        estate = {e[0]: e for e in ESTATES}
        zone = {z[0]: z for z in ZONES}
        # Scripted: every licence, class, status, supervisor and place the rules care about.
        self._factory(
            *company(), province=province["10"], authority="1", factory_class=3, status="operating"
        )
        self._factory(
            *company(), province=province["10"], authority="5", factory_class=2, status="operating"
        )
        self._factory(
            *company(), estate=estate["นิคมอุตสาหกรรมลาดกระบัง"], authority="8", location_zone="2"
        )
        self._factory(
            *company("public_company_limited"),
            estate=estate["นิคมอุตสาหกรรมอมตะซิตี้ชลบุรี"],
            authority="7",
            location_zone="3",
            factory_class=3,
        )
        self._factory(*company(), estate=estate["นิคมอุตสาหกรรมภาคใต้"], factory_class=1)
        self._factory(*company(), zone=zone["สวนอุตสาหกรรมโรจนะ"], authority="9")
        self._factory(*company(), zone=zone["สวนอุตสาหกรรมบางกะดี"], authority="2")
        self._factory(*company(), province=province["21"], location_zone="4", authority="0")
        self._factory(*company(), province=province["63"], location_zone="4", authority="2")
        power_company = company()
        self._factory(
            power_company[0],
            power_company[1],
            POWER,
            province=province["19"],
            factory_class=3,
            horsepower=45_000.0,
            status="operating",
        )
        self._factory(
            *company(), factory_class=2, horsepower=0.0, workers=60, status="operating"
        )  # no machinery
        self._factory(*company("limited_partnership"), factory_class=1, status="operating")
        self._factory(
            *company(),
            factory_class=3,
            started_on=dt.date(2008, 2, 29),
            licensed_on=dt.date(2007, 11, 20),
            status="operating",
        )
        self._factory(
            *company(), factory_class=3, licensed_on=dt.date(2021, 3, 15), status="operating"
        )
        for status in ("temporarily_stopped", "not_started", "closed", "revoked"):
            self._factory(*company(), status=status)
        for code in ("94", "95", "96"):
            self._factory(*company(), province=province[code], status="operating")
        for name in ("จะนะ", "เทพา", "นาทวี", "สะบ้าย้อย", "หาดใหญ่"):
            self._factory(
                *company(),
                province=province[SONGKHLA],
                district=self._district(province[SONGKHLA], name),
                status="operating",
            )
        for kind in ("registered_partnership", "limited_partnership", "public_company_limited"):
            self._factory(*company(kind))
        for kind in ("dissolved", "closed"):
            gone = self._juristic_operator(lambda j, k=kind: j["status"] == k)
            self._factory(*gone, status=rng.choice(("closed", "revoked")))
        foreign_only = self._juristic_operator(
            lambda j: all(d.get("nationality") != "TH" for d in j["directors"])
        )
        self._factory(*foreign_only, status="operating")
        busy = company()
        for number in range(1, 6):
            self._factory(*busy, name_th=f"{busy[1]} (โรงงาน {number})", status="operating")
        # Natural persons: with and without a trade name.
        owners = [r for r in self.commercial_registrations if r["status"] == "active"]
        for registration in owners[:3]:
            industry = rng.choice([_industry(n) for n in ("RICE", "METAL WORKS", "FURNITURE")])
            self._factory(
                registration["owner_pid"],
                registration["trade_name_th"],
                industry,
                factory_class=rng.choice((1, 2)),
            )
        sole = self._person()
        rice = _industry("RICE")
        self._factory(sole["pid"], f"{rice.plant_th}{sole['last_name_th']}", rice, factory_class=2)
        # Juristic persons under other laws, and a juristic community enterprise.
        for head, industry in taxpayers:
            if industry is not None:
                self._factory(
                    head["tax_id"], head["name_th"], industry, factory_class=rng.choice((2, 3))
                )
        enterprise = next(
            j
            for j in self.juristic_persons
            if j["name_th"].startswith("ห้างหุ้นส่วนสามัญนิติบุคคล วิสาหกิจชุมชน")
        )
        self._factory(
            enterprise["juristic_id"],
            enterprise["name_th"],
            _industry("FOODS"),
            factory_class=1,
        )

        # The rest: companies (a few with many factories), people and others.
        total = max(120, round(self.size * 0.24))
        operators = [self._operator(j) for j in active]
        weights = [1 / (rank + 1) ** 0.7 for rank in range(len(operators))]
        counts = Counter(f["operator_id"] for f in self.factories)
        while len(self.factories) < total:
            roll = rng.random()
            if roll < 0.84:
                operator_id, name, industry = _weighted(rng, operators, weights)
            elif roll < 0.96:
                person = self._person()
                industry = rng.choice(INDUSTRIES[:12])
                operator_id, name = person["pid"], f"{industry.plant_th}{person['last_name_th']}"
            else:
                head, industry = rng.choice([t for t in taxpayers if t[1] is not None])
                operator_id, name = head["tax_id"], head["name_th"]
            counts[operator_id] += 1
            if counts[operator_id] > 1:
                name = f"{name} (โรงงาน {counts[operator_id]})"
            roll = rng.random()
            if roll < 0.2:
                place = {"estate": rng.choice(ESTATES)}
            elif roll < 0.27:
                place = {"zone": rng.choice(ZONES)}
            else:
                place = {}
            self._factory(operator_id, name, industry, name_th=name, **place)

    def build(self) -> dict[str, list[dict]]:
        self.build_citizens()
        self.build_juristic_persons()
        self.build_community_enterprises()
        self.build_commercial_registrations()
        taxpayers = self.build_taxpayers()
        self.build_factories(taxpayers)
        self.rng.shuffle(self.juristic_persons)
        self.rng.shuffle(self.factories)
        self.build_foreign_residents()
        return {
            "citizens.jsonl": self.citizens,
            "juristic_persons.jsonl": self.juristic_persons,
            "commercial_registrations.jsonl": self.commercial_registrations,
            "taxpayers.jsonl": self.taxpayers,
            "community_enterprises.jsonl": self.community_enterprises,
            "factories.jsonl": self.factories,
        }


def generate_world(
    *, seed: int = DEFAULT_SEED, citizens: int = DEFAULT_CITIZENS
) -> dict[str, list[dict]]:
    """The world's records by file name; the same seed and size give the same records."""
    return _WorldBuilder(seed, citizens).build()


def _write_atomically(path: Path, rows: list[dict[str, Any]]) -> None:
    # Readers (a web process, a worker) never see half a file: write aside, then rename.
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 (closed below, renamed after)
        "w", encoding="utf-8", dir=path.parent, prefix=f".{path.name}.", suffix=".tmp", delete=False
    )
    try:
        with handle:
            for row in rows:
                handle.write(json.dumps(row, ensure_ascii=False))
                handle.write("\n")
        os.replace(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise


def write_world(
    out: str | os.PathLike,
    *,
    seed: int = DEFAULT_SEED,
    citizens: int = DEFAULT_CITIZENS,
    force: bool = False,
) -> dict[str, int]:
    """Generate a world into a directory; the number of records of each file.

    Refuses a directory that holds anything unless force is given."""
    directory = Path(out)
    if directory.exists() and any(directory.iterdir()) and not force:
        raise WorldExistsError(f"{directory} is not empty")
    world = generate_world(seed=seed, citizens=citizens)
    directory.mkdir(parents=True, exist_ok=True)
    # citizens.jsonl last: its presence says the world is complete (ensure_default_world).
    for name in sorted(world, key=lambda n: n == "citizens.jsonl"):
        _write_atomically(directory / name, world[name])
    return {name: len(rows) for name, rows in world.items()}


def ensure_default_world() -> bool:
    """Build the default world where `make run` expects it; True when it was built.

    Nothing happens when SANDBOX_WORLD was set in the environment (someone chose their own
    world) or when the directory already has its citizens."""
    if os.environ.get("SANDBOX_WORLD"):
        return False
    directory = Path(settings.SANDBOX_WORLD)
    if (directory / "citizens.jsonl").exists():
        return False
    write_world(directory, force=True)
    return True

"""Dates for people: Buddhist era in Thai, Gregorian in English. The one place that converts."""

import datetime as dt

from django.utils import timezone, translation

BE_OFFSET = 543
MONTHS_TH = (
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
)  # fmt: skip
MONTHS_TH_SHORT = (
    "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
    "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
)  # fmt: skip
MONTHS_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def be_to_ce(year_be: int) -> int:
    return year_be - BE_OFFSET


def ce_to_be(year_ce: int) -> int:
    return year_ce + BE_OFFSET


def current_year_be() -> int:
    return ce_to_be(timezone.localdate().year)


def _lang(lang: str | None) -> str:
    return (lang or translation.get_language() or "th")[:2]


def format_date(
    value: dt.date | dt.datetime | None, *, lang: str | None = None, short=False
) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    if _lang(lang) == "th":
        months = MONTHS_TH_SHORT if short else MONTHS_TH
        return f"{value.day} {months[value.month - 1]} {ce_to_be(value.year)}"
    return f"{value.day} {MONTHS_EN[value.month - 1][: 3 if short else None]} {value.year}"


def format_datetime(value: dt.datetime | None, *, lang: str | None = None) -> str:
    if value is None:
        return ""
    local = timezone.localtime(value)
    suffix = " น." if _lang(lang) == "th" else ""
    return f"{format_date(local, lang=lang, short=True)} {local:%H:%M}{suffix}"


def format_partial_birth_date(
    year_be: int | None, month: int | None, day: int | None, *, lang: str | None = None
) -> str:
    """ACC-02: elderly people may have no day and month of birth, only the year."""
    if year_be is None:
        return ""
    thai = _lang(lang) == "th"
    if month and day:
        if thai:
            return f"{day} {MONTHS_TH[month - 1]} {year_be}"
        return f"{day} {MONTHS_EN[month - 1]} {be_to_ce(year_be)}"
    if thai:
        return f"ไม่ทราบวันและเดือน ปี พ.ศ. {year_be}"
    return f"day and month unknown, {be_to_ce(year_be)}"

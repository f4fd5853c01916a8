"""Working days (PRM-07): the questions other apps ask of the calendar.

Working days skip Saturdays, Sundays and the days off of government offices (the law's
holidays with their substitute days, the cabinet's extra days, and the officers' table; see
portal.workdays.calendar). Every function here is cheap once a year's calendar is built (once
per process): callers may compute thousands of due dates a page.

The clock of a step (due_date): it starts on `start`, the day the step began; day 1 is the
first day (or working day) after it. A pause (first, resumed) stops the clock from `first`
(not counted) until `resumed`, the day it runs again (counted): the days first .. resumed - 1
do not count, and every due date after it moves by them (PRM-08).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from portal.workdays import calendar
from portal.workdays.models import ExtraHoliday

__all__ = [
    "DAYS",
    "UNITS",
    "WORKING_DAYS",
    "calendar_of_year",
    "days_late",
    "due_date",
    "extra_holiday_by_id",
    "extra_holiday_kind_choices",
    "holiday_name",
    "holidays_in",
    "is_working_day",
    "law_holiday_name",
    "working_days_between",
]

DAYS = "days"
WORKING_DAYS = "working_days"
UNITS = (DAYS, WORKING_DAYS)


def is_working_day(day: dt.date) -> bool:
    """PRM-07: a weekday that is no day off of government offices."""
    return calendar.year(day.year).is_working(day)


def holiday_name(day: dt.date, language: str) -> str | None:
    """The name of the day off on `day` in Thai ("th") or English ("en", "en-us"...), or None
    when it is none (a weekend alone has no name; a holiday the officers made a working day has
    none either)."""
    entry = calendar.year(day.year).off.get(day)
    if entry is None:
        return None
    name_th, name_en, _source = entry
    return name_en if str(language or "").lower().startswith("en") else name_th


def holidays_in(year: int) -> list[tuple[dt.date, str, str, str]]:
    """The days off of `year` besides weekends, in order: (date, Thai name, English name,
    source), source "law" (the holidays package) or "officer" (an extra day of the table). A
    holiday that falls on a weekend is listed too; one the officers made a working day is not."""
    off = calendar.year(year).off
    return [(day, *off[day]) for day in sorted(off)]


def working_days_between(start: dt.date, end: dt.date) -> int:
    """The working days in (start, end]: 0 when end is not after start."""
    if end <= start:
        return 0
    if start.year == end.year:
        cal = calendar.year(start.year)
        return cal.count_upto(end) - cal.count_upto(start)
    first = calendar.year(start.year)
    count = first.total - first.count_upto(start)
    for number in range(start.year + 1, end.year):
        count += calendar.year(number).total
    return count + calendar.year(end.year).count_upto(end)


def _nth_working_day_after(start: dt.date, n: int) -> dt.date:
    """The n-th working day after start (n >= 1)."""
    cal = calendar.year(start.year)
    index = cal.count_upto(start) + n - 1  # its index among the year's working days
    while index >= cal.total:
        index -= cal.total
        cal = calendar.year(cal.year + 1)
    return dt.date.fromordinal(cal.working[index])


def _units_between(start: dt.date, end: dt.date, unit: str) -> int:
    if unit == DAYS:
        return max(0, (end - start).days)
    return working_days_between(start, end)


def _nth_after(start: dt.date, n: int, unit: str) -> dt.date:
    if n <= 0:
        return start
    if unit == DAYS:
        return start + dt.timedelta(days=n)
    return _nth_working_day_after(start, n)


def _check_unit(unit: str) -> None:
    if unit not in UNITS:
        raise ValueError(f"unknown unit {unit!r}: use {DAYS!r} or {WORKING_DAYS!r}")


def _merged_pauses(
    start: dt.date, pauses: Iterable[tuple[dt.date, dt.date | None]]
) -> list[tuple[dt.date, dt.date]]:
    """The pauses as disjoint half-open intervals [first, resumed) after start, in order."""
    spans = []
    for first, resumed in pauses:
        if resumed is None:
            raise ValueError("the clock is paused: no due date until it resumes")
        if resumed < first:
            raise ValueError(f"a pause cannot resume ({resumed}) before it began ({first})")
        first = max(first, start + dt.timedelta(days=1))
        if resumed > first:
            spans.append((first, resumed))
    spans.sort()
    merged: list[tuple[dt.date, dt.date]] = []
    for first, resumed in spans:
        if merged and first <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], resumed))
        else:
            merged.append((first, resumed))
    return merged


def due_date(
    start: dt.date,
    duration: int,
    unit: str,
    pauses: Iterable[tuple[dt.date, dt.date | None]] = (),
) -> dt.date:
    """PRM-07: the day a step begun on `start` is due, `duration` days ("days") or working
    days ("working_days") later, the paused days not counted. A calendar-day due date on a
    day off stays there (the law counts calendar days); a working-day one is a working day.
    A pause still open (resumed None) raises ValueError: the step has no due date while
    paused."""
    _check_unit(unit)
    if duration < 0:
        raise ValueError("a duration cannot be negative")
    remaining = duration
    cursor = start  # the days after cursor are still to count
    for first, resumed in _merged_pauses(start, pauses):
        if remaining <= 0:
            break
        before = _units_between(cursor, first - dt.timedelta(days=1), unit)
        if before >= remaining:
            break
        remaining -= before
        cursor = resumed - dt.timedelta(days=1)
    return _nth_after(cursor, remaining, unit)


def days_late(due: dt.date, today: dt.date, unit: str) -> int:
    """How late a step due on `due` is on `today`, in the step's unit: calendar days, or the
    working days in (due, today]; 0 when it is not late."""
    _check_unit(unit)
    if today <= due:
        return 0
    return _units_between(due, today, unit)


# --- the officers' page -----------------------------------------------------------------------


def calendar_of_year(year: int) -> list[dict]:
    """The officers' page of a year (PRM-07): every law holiday and every entry of the table
    in date order. Each row: day, name_th, name_en, source ("law" or "officer"), kind
    ("holiday" or "working_day"), moved (a law holiday the table made a working day, with the
    entry's names as note_th/note_en), entry_id (the table's entry, or None), working (whether
    the day is a working day now) and weekend."""
    law = calendar.law_holidays(year)
    state = calendar.current()
    rows: dict[dt.date, dict] = {}
    for day, (name_th, name_en) in law.items():
        rows[day] = {
            "day": day,
            "name_th": name_th,
            "name_en": name_en,
            "source": calendar.LAW,
            "kind": calendar.HOLIDAY,
            "moved": False,
            "entry_id": None,
        }
    for day, extra in state.extras.items():
        if day.year != year:
            continue
        row = rows.get(day)
        if row is not None and extra.kind == calendar.WORKING_DAY:
            row.update(moved=True, entry_id=extra.id, note_th=extra.name_th, note_en=extra.name_en)
            continue
        rows[day] = {
            "day": day,
            "name_th": extra.name_th,
            "name_en": extra.name_en,
            "source": calendar.OFFICER,
            "kind": extra.kind,
            "moved": False,
            "entry_id": extra.id,
            "law_th": row["name_th"] if row else "",
            "law_en": row["name_en"] if row else "",
        }
    cal = calendar.year(year)
    result = []
    for day in sorted(rows):
        row = rows[day]
        row["working"] = cal.is_working(day)
        row["weekend"] = day.weekday() >= 5
        result.append(row)
    return result


def extra_holiday_by_id(holiday_id: int) -> ExtraHoliday | None:
    return ExtraHoliday.objects.filter(pk=holiday_id).first()


def extra_holiday_kind_choices() -> list[tuple[str, str]]:
    return list(ExtraHoliday.Kind.choices)


def law_holiday_name(day: dt.date) -> tuple[str, str] | None:
    """The law's holiday on `day` (Thai and English names), whatever the table says."""
    return calendar.law_holidays(day.year).get(day)

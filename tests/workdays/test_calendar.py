"""PRM-07: working days skip weekends and the days off of government offices, with the law's
substitute days and the cabinet's extra days; due dates count them, with pauses of the clock.

The law's days are checked against the `holidays` package itself (the oracle), and the due
date arithmetic against a walk of the calendar one day at a time."""

import datetime as dt

import holidays
import hypothesis
import pytest
from hypothesis import HealthCheck
from hypothesis import strategies as st

from portal.workdays import calendar
from portal.workdays.selectors import (
    days_late,
    due_date,
    holiday_name,
    holidays_in,
    is_working_day,
    working_days_between,
)

pytestmark = pytest.mark.django_db

PROPERTY = hypothesis.settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
dates = st.dates(min_value=dt.date(2001, 1, 1), max_value=dt.date(2035, 12, 31))
units = st.sampled_from(["days", "working_days"])


def _law(year: int, language: str = "th") -> holidays.HolidayBase:
    return holidays.country_holidays(
        "TH", years=year, language=language, categories=("public", "government")
    )


def walk_due_date(start, duration, unit, pauses=()):
    """The definition, one day at a time: day 1 is the first counted day after start; a day
    of a pause [first, resumed) does not count; a working-day clock counts working days."""
    day, counted = start, 0
    while counted < duration:
        day += dt.timedelta(days=1)
        if any(first <= day < resumed for first, resumed in pauses):
            continue
        if unit == "working_days" and not is_working_day(day):
            continue
        counted += 1
    return day


@PROPERTY
@hypothesis.given(day=dates)
def test_prm_07_weekends_are_never_working_days(day):
    """PRM-07: a Saturday or a Sunday is never a working day, whatever the year."""
    if day.weekday() >= 5:
        assert not is_working_day(day)


@PROPERTY
@hypothesis.given(year=st.integers(min_value=2001, max_value=2035))
def test_prm_07_the_laws_holidays_and_substitute_days_are_days_off(year):
    """PRM-07: every holiday of the law (public and government categories) and every
    substitute day ("ชดเชย...") is a day off, National Labour Day (private sector only) aside;
    every other weekday is a working day."""
    law = _law(year)
    for day in law:
        names = law.get_list(day)
        labour_only = all(name.endswith(calendar.LABOUR_DAY_TH) for name in names)
        assert is_working_day(day) == (labour_only and day.weekday() < 5), (day, names)
    listed = {day for day, *_rest in holidays_in(year)}
    for _day, name_th, name_en, _source in holidays_in(year):
        assert calendar.LABOUR_DAY_TH not in name_th and "Labor" not in name_en
    for offset in range(0, 366, 7):  # a weekday of every week of the year
        day = dt.date(year, 1, 1) + dt.timedelta(days=offset)
        if day.year == year and day.weekday() < 5 and day not in law:
            assert is_working_day(day)
            assert day not in listed


def test_prm_07_a_holiday_on_saturday_gives_a_monday_off_in_years_of_substitute_days():
    """PRM-07: 5 December 2026 is a Saturday: the Monday after is its substitute day. In 1981
    (no substitute days from 1974 to 1988) the Monday after 5 December, a Saturday too, was
    a working day."""
    assert dt.date(2026, 12, 5).weekday() == 5
    assert not is_working_day(dt.date(2026, 12, 7))
    assert holiday_name(dt.date(2026, 12, 7), "th").startswith("ชดเชย")
    assert "(in lieu)" in holiday_name(dt.date(2026, 12, 7), "en")
    assert dt.date(1981, 12, 5).weekday() == 5
    assert is_working_day(dt.date(1981, 12, 7))


@PROPERTY
@hypothesis.given(year=st.integers(min_value=2001, max_value=2035))
def test_prm_07_a_weekend_holiday_has_its_substitute_day_off(year):
    """PRM-07: each substitute day the law lists for a year is a day off, named in both
    languages."""
    law = _law(year)
    for day in law:
        names = law.get_list(day)
        if any(name.startswith("ชดเชย") and calendar.LABOUR_DAY_TH not in name for name in names):
            assert not is_working_day(day)
            assert holiday_name(day, "th") and holiday_name(day, "en")


def test_prm_07_labour_day_is_a_working_day_and_ploughing_day_is_not():
    """PRM-07 (docs/decisions.md): government offices work on National Labour Day and close
    on the Royal Ploughing Ceremony day (the package's government category)."""
    government = holidays.country_holidays("TH", years=2026, categories=("government",))
    (ploughing,) = list(government)
    assert not is_working_day(ploughing)
    assert is_working_day(dt.date(2026, 5, 1))  # a Friday
    assert holiday_name(dt.date(2026, 5, 1), "en") is None


@PROPERTY
@hypothesis.given(start=dates, duration=st.integers(min_value=1, max_value=400))
def test_prm_07_a_working_day_due_date_is_a_working_day_n_working_days_later(start, duration):
    """PRM-07: due_date(start, n, "working_days") is a working day, n working days after
    start, and the first such day."""
    due = due_date(start, duration, "working_days")
    assert is_working_day(due)
    assert working_days_between(start, due) == duration
    assert working_days_between(start, due - dt.timedelta(days=1)) == duration - 1


@PROPERTY
@hypothesis.given(start=dates, span=st.integers(min_value=-10, max_value=900))
def test_prm_07_working_days_between_counts_across_year_ends(start, span):
    """PRM-07: the working days in (start, end], counted one by one, across year ends."""
    end = start + dt.timedelta(days=span)
    expected = sum(
        is_working_day(start + dt.timedelta(days=offset)) for offset in range(1, span + 1)
    )
    assert working_days_between(start, end) == expected


pauses = st.lists(
    st.tuples(st.integers(min_value=-20, max_value=120), st.integers(min_value=0, max_value=40)),
    max_size=4,
)


@PROPERTY
@hypothesis.given(
    start=dates, duration=st.integers(min_value=0, max_value=90), unit=units, spans=pauses
)
def test_prm_07_due_dates_with_pauses_and_resumes_follow_the_definition(
    start, duration, unit, spans
):
    """PRM-07, PRM-08: with any pauses (overlapping, before the start, over holidays and year
    ends) the due date is the one a day-by-day walk of the clock gives."""
    intervals = [
        (start + dt.timedelta(days=offset), start + dt.timedelta(days=offset + length))
        for offset, length in spans
    ]
    assert due_date(start, duration, unit, intervals) == walk_due_date(
        start, duration, unit, intervals
    )


def test_prm_07_a_pause_spanning_a_holiday_moves_the_due_date_by_its_working_days():
    """PRM-07, PRM-08: a pause from Friday 4 to Tuesday 8 December 2026 (the clock runs again
    on the 9th) holds the weekend, the substitute day of Monday 7 and two working days: the
    working-day due date moves by two working days, the calendar-day one by five days."""
    start = dt.date(2026, 12, 1)
    pause = [(dt.date(2026, 12, 4), dt.date(2026, 12, 9))]
    assert working_days_between(dt.date(2026, 12, 3), dt.date(2026, 12, 8)) == 2
    plain = due_date(start, 10, "working_days")
    assert due_date(start, 10, "working_days", pause) == due_date(plain, 2, "working_days")
    assert due_date(start, 10, "days", pause) == due_date(start, 15, "days")


def test_prm_07_a_pause_still_open_has_no_due_date():
    """PRM-07: while the clock is paused the step has no due date (the caller shows "paused");
    a pause resuming before it began is refused."""
    start = dt.date(2026, 3, 2)
    with pytest.raises(ValueError, match="paused"):
        due_date(start, 5, "working_days", [(dt.date(2026, 3, 4), None)])
    with pytest.raises(ValueError):
        due_date(start, 5, "days", [(dt.date(2026, 3, 4), dt.date(2026, 3, 3))])
    with pytest.raises(ValueError):
        due_date(start, 5, "weeks")


@PROPERTY
@hypothesis.given(start=dates, duration=st.integers(min_value=0, max_value=400))
def test_prm_07_a_calendar_day_due_date_stays_on_a_day_off(start, duration):
    """PRM-07: calendar days are the law's calendar days: the due date is start + n even on a
    weekend or a holiday."""
    assert due_date(start, duration, "days") == start + dt.timedelta(days=duration)


@PROPERTY
@hypothesis.given(due=dates, span=st.integers(min_value=-30, max_value=60))
def test_prm_07_days_late_counts_in_the_steps_unit(due, span):
    """PRM-07: 0 on or before the due date; then calendar days, or the working days in
    (due, today]."""
    today = due + dt.timedelta(days=span)
    if span <= 0:
        assert days_late(due, today, "days") == days_late(due, today, "working_days") == 0
    else:
        assert days_late(due, today, "days") == span
        assert days_late(due, today, "working_days") == working_days_between(due, today)


def test_prm_07_holidays_are_named_in_thai_and_english():
    """PRM-07: the name of a day off in either language; none for a working day or a plain
    weekend."""
    new_year = dt.date(2026, 1, 1)
    assert holiday_name(new_year, "th") == "วันขึ้นปีใหม่"
    assert holiday_name(new_year, "en") == "New Year's Day"
    assert holiday_name(new_year, "en-us") == "New Year's Day"
    assert holiday_name(dt.date(2026, 1, 5), "th") is None
    assert holiday_name(dt.date(2026, 1, 17), "en") is None  # a Saturday
    year = holidays_in(2026)
    assert year == sorted(year)
    assert {source for *_rest, source in year} == {"law"}
    assert (new_year, "วันขึ้นปีใหม่", "New Year's Day", "law") in year


def test_prm_07_a_substitute_day_crossing_the_year_end_is_in_its_own_year():
    """PRM-07: a substitute for New Year's Eve on a weekend falls in January: it belongs to
    the new year's calendar (31 December 2022 was a Saturday)."""
    assert dt.date(2022, 12, 31).weekday() == 5
    law_2023 = _law(2023)
    substitutes = [day for day in law_2023 if day.month == 1 and day.day <= 3 and day.weekday() < 5]
    assert substitutes
    for day in substitutes:
        assert not is_working_day(day)

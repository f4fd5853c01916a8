"""The arithmetic of fees and bills, by properties (hypothesis) and by the rules' own examples:
due dates across leap years and month ends (BILL-02), tiers (BILL-01), surcharge months and
amounts (BILL-04), exact money (BILL-10), references."""

import calendar
import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.billing import fees
from portal.billing.fees import Tier

dates = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31))
years = st.integers(min_value=1990, max_value=2100)
satang = st.integers(min_value=0, max_value=10**12)


def test_bill_02_due_on_the_anniversary_of_the_operation_start():
    """BILL-02: operation notified 30/11/2005: due 30 November each year."""
    assert fees.due_date(dt.date(2005, 11, 30), 2026) == dt.date(2026, 11, 30)


def test_bill_02_a_29_february_start_falls_due_on_28_february_in_common_years():
    """BILL-02"""
    start = dt.date(2008, 2, 29)
    assert fees.due_date(start, 2027) == dt.date(2027, 2, 28)
    assert fees.due_date(start, 2028) == dt.date(2028, 2, 29)


@given(started=dates, year=years)
def test_bill_02_due_date_is_that_year_same_month_and_clamped_day(started, year):
    """BILL-02: in the year asked, the start's month, its day or the month's last day."""
    due = fees.due_date(started, year)
    assert (due.year, due.month) == (year, started.month)
    assert due.day == min(started.day, calendar.monthrange(year, started.month)[1])


@given(started=dates, year=years)
def test_bill_02_the_run_finds_every_factory_on_its_due_date(started, year):
    """BILL-02: the day a factory falls due is a day whose anniversaries include its own, and
    no other day of that year is."""
    due = fees.due_date(started, year)
    assert fees.anniversary_of(started) in fees.anniversaries_due_on(due)
    for other in (due - dt.timedelta(days=1), due + dt.timedelta(days=1)):
        if other.year == year:
            assert fees.anniversary_of(started) not in fees.anniversaries_due_on(other)


def test_bill_04_paying_on_the_due_date_is_on_time_and_a_day_late_is_a_month():
    """BILL-04: a started month counts whole by default."""
    due = dt.date(2026, 11, 30)
    assert fees.late_months(due, due) == 0
    assert fees.late_months(due, dt.date(2026, 12, 1)) == 1
    assert fees.late_months(due, dt.date(2026, 12, 30)) == 1
    assert fees.late_months(due, dt.date(2026, 12, 31)) == 2
    assert fees.late_months(due, dt.date(2026, 12, 1), fees.PART_MONTH_IGNORED) == 0
    assert fees.late_months(due, dt.date(2026, 12, 31), fees.PART_MONTH_IGNORED) == 1


def test_bill_04_months_from_a_month_end_follow_the_shorter_months():
    """BILL-04: due 31 January: one month is 28 (or 29) February."""
    due = dt.date(2027, 1, 31)
    assert fees.late_months(due, dt.date(2027, 2, 28)) == 1
    assert fees.late_months(due, dt.date(2027, 3, 1)) == 2
    assert fees.late_months(dt.date(2028, 1, 31), dt.date(2028, 2, 29)) == 1


@given(due=dates, days=st.integers(min_value=0, max_value=4000))
def test_bill_04_late_months_properties(due, days):
    """BILL-04: whole months are never more than the started ones, at most one less; a
    started month counts whole; the count never goes down as days go by."""
    paid = due + dt.timedelta(days=days)
    whole = fees.late_months(due, paid, fees.PART_MONTH_IGNORED)
    started = fees.late_months(due, paid, fees.PART_MONTH_WHOLE)
    assert whole <= started <= whole + 1
    assert fees.add_months(due, whole) <= paid
    assert fees.add_months(due, whole + 1) > paid
    assert (started == whole) == (fees.add_months(due, whole) == paid)
    assert started == 0 or days > 0
    tomorrow = paid + dt.timedelta(days=1)
    assert fees.late_months(due, tomorrow) >= started


def test_bill_04_surcharge_is_five_percent_of_the_fee_per_month():
    """BILL-04: 43,500 baht three months late: 6,525 baht of surcharge."""
    assert fees.surcharge_satang(4_350_000, 3) == 652_500
    assert fees.surcharge_satang(30_000, 1) == 1_500
    assert fees.surcharge_satang(1, 1) == 0  # 0.05 satang rounds to nothing
    assert fees.surcharge_satang(10, 1) == 1  # 0.5 satang rounds half up


@given(fee=satang, months=st.integers(min_value=0, max_value=600))
def test_bill_04_bill_10_surcharge_is_exact_integer_satang(fee, months):
    """BILL-04, BILL-10: the surcharge is the exact 5 % per month rounded half up to the
    satang: within half a satang of the true value, never through a float."""
    result = fees.surcharge_satang(fee, months)
    assert isinstance(result, int)
    exact = Decimal(fee) * 5 * months / 100
    assert abs(Decimal(result) - exact) <= Decimal("0.5")
    if fee % 20 == 0:
        assert result == fee // 20 * months


@given(baht=st.integers(min_value=0, max_value=10**9), satang_part=st.integers(0, 99))
def test_bill_10_baht_text_becomes_exact_satang(baht, satang_part):
    """BILL-10"""
    assert fees.baht_to_satang(f"{baht}.{satang_part:02d}") == baht * 100 + satang_part
    assert fees.baht_to_satang(f"{baht:,}") == baht * 100


def test_bill_10_floats_and_fractions_of_a_satang_are_refused():
    """BILL-10"""
    for bad in (300.5, "1.005", "-1", "abc", "NaN"):
        with pytest.raises(ValueError):
            fees.baht_to_satang(bad)


TIERS = (
    Tier(amount_satang=15_000, no_machinery=True),
    Tier(amount_satang=15_000, from_hp=Decimal(0), below_hp=Decimal(5)),
    Tier(amount_satang=30_000, from_hp=Decimal(5), below_hp=Decimal(20)),
    Tier(amount_satang=1_800_000, from_hp=Decimal(20), below_hp=None),
)


def test_bill_01_tiers_start_inclusive_and_end_exclusive():
    """BILL-01"""
    assert fees.tier_amount(TIERS, None) == 15_000
    assert fees.tier_amount(TIERS, Decimal("4.99")) == 15_000
    assert fees.tier_amount(TIERS, Decimal(5)) == 30_000
    assert fees.tier_amount(TIERS, Decimal(20)) == 1_800_000
    assert fees.tiers_cover_every_horsepower(TIERS)


@given(
    bounds=st.lists(
        st.decimals(min_value=1, max_value=100_000, places=2), min_size=1, max_size=12, unique=True
    ),
    hp=st.decimals(min_value=0, max_value=200_000, places=2),
)
def test_bill_01_a_complete_table_prices_every_horsepower_once(bounds, hp):
    """BILL-01: tiers from 0 without gaps to an open end price every horsepower, with the
    line whose bounds hold it, and amounts that rise with the bounds rise with horsepower."""
    edges = [Decimal(0), *sorted(bounds)]
    tiers = [
        Tier(amount_satang=100 * (i + 1), from_hp=low, below_hp=high)
        for i, (low, high) in enumerate(zip(edges, [*edges[1:], None], strict=True))
    ]
    assert fees.tiers_cover_every_horsepower(tiers)
    amount = fees.tier_amount(tiers, hp)
    holding = [t for t in tiers if t.holds(hp)]
    assert len(holding) == 1 and amount == holding[0].amount_satang
    assert fees.tier_amount(tiers, hp + 1) >= amount


def test_bill_01_an_incomplete_table_prices_only_what_it_knows():
    """BILL-01: the known ends of the B.E. 2563 annual fee leave the middle unpriced."""
    known_ends = (
        Tier(amount_satang=30_000, no_machinery=True),
        Tier(amount_satang=4_350_000, from_hp=Decimal(40_000), below_hp=None),
    )
    assert fees.tier_amount(known_ends, None) == 30_000
    assert fees.tier_amount(known_ends, Decimal(40_000)) == 4_350_000
    assert fees.tier_amount(known_ends, Decimal(100)) is None
    assert not fees.tiers_cover_every_horsepower(known_ends)


@given(kind=st.sampled_from(sorted(fees.KIND_CODES)), number=st.integers(1, 10**11 - 1))
def test_ref1_is_fourteen_digits_with_a_check_digit_that_catches_a_mistyped_digit(kind, number):
    ref1 = fees.ref1_for(kind, number)
    assert len(ref1) == 14 and ref1.isdigit() and ref1.startswith(fees.KIND_CODES[kind])
    assert fees.luhn_check_digit(ref1[:-1]) == int(ref1[-1])
    position = number % 13
    typo = ref1[:position] + str((int(ref1[position]) + 1) % 10) + ref1[position + 1 :]
    assert fees.luhn_check_digit(typo[:-1]) != int(typo[-1])

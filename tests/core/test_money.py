"""Money is integer satang, never a float; amounts in Thai words come from a kept library
(BILL-10). The words are read back by a small reader written here, independent of the
library, so that a property test can say the words mean the amount."""

import ast
import re
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.core import money as money_module
from portal.core.money import Money

# A reader of Thai number words, for the tests only: the portal spells amounts with num2words.
_NUMBERS = {
    "ศูนย์": 0,
    "หนึ่ง": 1,
    "เอ็ด": 1,
    "สอง": 2,
    "ยี่": 2,
    "สาม": 3,
    "สี่": 4,
    "ห้า": 5,
    "หก": 6,
    "เจ็ด": 7,
    "แปด": 8,
    "เก้า": 9,
}
_UNITS = {"สิบ": 10, "ร้อย": 100, "พัน": 1000, "หมื่น": 10_000, "แสน": 100_000}
_TOKEN = re.compile("|".join(sorted([*_NUMBERS, *_UNITS], key=len, reverse=True)))


def _read_below_a_million(text: str) -> int:
    tokens = _TOKEN.findall(text)
    assert "".join(tokens) == text, f"unknown words in {text!r}"
    total, digit = 0, None
    for token in tokens:
        if token in _NUMBERS:
            assert digit is None, f"two digits in a row in {text!r}"
            digit = _NUMBERS[token]
        else:
            # Only ten is said without its digit (สิบ, not หนึ่งสิบ).
            assert digit is not None or token == "สิบ", f"{token} without a digit in {text!r}"
            total += (1 if digit is None else digit) * _UNITS[token]
            digit = None
    return total + (digit or 0)


def _read_number(text: str) -> int:
    value = 0
    for group in text.split("ล้าน"):
        value = value * 1_000_000 + (_read_below_a_million(group) if group else 0)
    return value


def read_baht_words(words: str) -> int:
    """The amount in satang that Thai words such as "สิบเอ็ดบาทห้าสิบสตางค์" say."""
    if words.endswith("บาทถ้วน"):
        return _read_number(words.removesuffix("บาทถ้วน")) * 100
    assert words.endswith("สตางค์"), words
    baht, _, satang = words.removesuffix("สตางค์").rpartition("บาท")
    return (_read_number(baht) if baht else 0) * 100 + _read_number(satang)


amounts = st.integers(min_value=0, max_value=10**16).map(Money)
# No per-example deadline: the machine running the suite may be busy, and a slow example here
# says nothing about the money.
relaxed = settings(deadline=None)


# Words ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("satang", "words"),
    [
        (123450, "หนึ่งพันสองร้อยสามสิบสี่บาทห้าสิบสตางค์"),
        (100, "หนึ่งบาทถ้วน"),
        (0, "ศูนย์บาทถ้วน"),
        (1, "หนึ่งสตางค์"),
        (50, "ห้าสิบสตางค์"),
        (101, "หนึ่งบาทหนึ่งสตางค์"),
        (121, "หนึ่งบาทยี่สิบเอ็ดสตางค์"),
        (1100, "สิบเอ็ดบาทถ้วน"),
        (2000, "ยี่สิบบาทถ้วน"),
        (2100, "ยี่สิบเอ็ดบาทถ้วน"),
        (10100, "หนึ่งร้อยเอ็ดบาทถ้วน"),
        (364922, "สามพันหกร้อยสี่สิบเก้าบาทยี่สิบสองสตางค์"),
        (100_000_000, "หนึ่งล้านบาทถ้วน"),
        (100_000_100, "หนึ่งล้านเอ็ดบาทถ้วน"),
        (1_100_000_000, "สิบเอ็ดล้านบาทถ้วน"),
        (2_500_000_075, "ยี่สิบห้าล้านบาทเจ็ดสิบห้าสตางค์"),
        (100_000_000_000_000, "หนึ่งล้านล้านบาทถ้วน"),
        (100_000_000_000_500, "หนึ่งล้านล้านห้าบาทถ้วน"),
    ],
)
def test_bill_10_amount_in_thai_words(satang, words):
    """BILL-10: the receipt's amount in Thai words: ถ้วน for whole baht, เอ็ด for a final one
    after tens, ยี่สิบ for twenty, ล้าน repeated for millions of millions, satang alone."""
    assert Money(satang).words() == words


def test_bill_10_words_are_exact_where_a_float_is_not():
    """BILL-10: 9,007,199,254,740,993.01 baht is no float; its words still end in 993 baht and
    one satang (PyThaiNLP's and the `bahttext` package's go through a float and say 994)."""
    words = Money(900_719_925_474_099_301).words()
    assert words.endswith("เก้าร้อยเก้าสิบสามบาทหนึ่งสตางค์")
    assert read_baht_words(words) == 900_719_925_474_099_301


def test_bill_10_a_negative_amount_has_no_words():
    """BILL-10: a receipt never shows a negative amount; asking for its words is an error."""
    with pytest.raises(ValueError, match="negative"):
        Money(-1).words()


@relaxed
@given(amounts)
def test_bill_10_words_say_the_amount(amount):
    """BILL-10 (property): the words, read back, give the amount to the satang."""
    assert read_baht_words(amount.words()) == amount.satang


@relaxed
@given(amounts)
def test_bill_10_words_follow_thai_usage(amount):
    """BILL-10 (property): ถ้วน exactly when there are no satang; เอ็ด for a final one after
    tens or more, หนึ่ง for one alone; never หนึ่งสิบ or สองสิบ; one ล้าน per six digits."""
    words = amount.words()
    assert words.endswith("ถ้วน") == (amount.satang_part == 0)
    assert "หนึ่งสิบ" not in words
    assert "สองสิบ" not in words
    baht_words = words.split("บาท")[0] if "บาท" in words else ""
    if amount.baht % 10 == 1:
        assert baht_words.endswith("เอ็ด" if amount.baht > 1 else "หนึ่ง")
    if amount.satang_part % 10 == 1:
        assert words.endswith("เอ็ดสตางค์" if amount.satang_part > 1 else "หนึ่งสตางค์")
    if amount.baht // 10 % 10 == 2:
        assert "ยี่สิบ" in baht_words
    if amount.baht:
        assert baht_words.count("ล้าน") == (len(str(amount.baht)) - 1) // 6
    else:
        assert words == "ศูนย์บาทถ้วน" or "บาท" not in words


# Parsing and formatting ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "satang"),
    [
        ("1,234.50", 123450),
        ("1234.5", 123450),
        ("1234", 123400),
        ("0.01", 1),
        ("-12.30", -1230),
        ("฿1,234.50", 123450),
        ("1,234.50 บาท", 123450),
        ("  1,000,000.00  ", 100_000_000),
        ("๑,๒๓๔.๕๐", 123450),
        ("１２３４.５０", 123450),
    ],
)
def test_bill_10_amounts_parse_exactly(text, satang):
    """BILL-10: an amount typed as people write it becomes exact satang."""
    assert Money.parse(text) == Money(satang)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "abc",
        "1.234",
        "1,23.45",
        "1,2345",
        "12,34",
        "1e3",
        "NaN",
        "Infinity",
        "12.",
        ".5",
        "--1",
    ],
)
def test_bill_10_malformed_amounts_are_refused(text):
    """BILL-10: no third decimal silently rounded, no misplaced comma, no exponent or NaN."""
    with pytest.raises(ValueError, match="Not an amount"):
        Money.parse(text)


def test_bill_10_formatting():
    """BILL-10: "1,234.50", with the unit "1,234.50 บาท", in Thai digits "๑,๒๓๔.๕๐"."""
    amount = Money(123450)
    assert str(amount) == "1,234.50"
    assert amount.format(unit=True) == "1,234.50 บาท"
    assert amount.format(thai_digits=True) == "๑,๒๓๔.๕๐"
    assert Money(-5).format() == "-0.05"
    assert Money(100_000_000).format() == "1,000,000.00"
    assert Money(123450).as_decimal() == Decimal("1234.50")


@relaxed
@given(st.integers(min_value=-(10**18), max_value=10**18))
def test_bill_10_format_and_parse_round_trip(satang):
    """BILL-10 (property): format then parse gives the same satang, with Thai digits too."""
    amount = Money(satang)
    assert Money.parse(amount.format()) == amount
    assert Money.parse(amount.format(unit=True, thai_digits=True)) == amount
    assert Money.from_baht(amount.as_decimal()) == amount


def test_bill_10_from_baht_is_exact_and_refuses_fractions_of_a_satang():
    """BILL-10: baht as Decimal, int or string; a third decimal is refused, not rounded."""
    assert Money.from_baht(Decimal("1234.50")) == Money(123450)
    assert Money.from_baht(12) == Money(1200)
    assert Money.from_baht("0.10") == Money(10)
    assert Money.from_baht(Decimal("1.000")) == Money(100)
    with pytest.raises(ValueError, match="two decimals"):
        Money.from_baht(Decimal("1.005"))
    with pytest.raises(ValueError, match="finite"):
        Money.from_baht(Decimal("NaN"))


# Floats are refused --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "operation",
    [
        lambda: Money(1.0),
        lambda: Money(True),
        lambda: Money("100"),
        lambda: Money.from_baht(0.1),
        lambda: Money.parse(1.5),
        lambda: Money(100) + 0.5,
        lambda: 0.5 + Money(100),
        lambda: Money(100) - 0.5,
        lambda: Money(100) * 1.5,
        lambda: 1.5 * Money(100),
        lambda: Money(100) * Decimal("1.5"),
        lambda: Money(100).percent(7.0),
        lambda: Money(100) + 1,
        lambda: Money.total([Money(1), 2]),
    ],
)
def test_bill_10_floats_and_other_non_money_are_refused(operation):
    """BILL-10: never a float: a float (or a bare number) meeting money is a TypeError."""
    with pytest.raises(TypeError):
        operation()


# Arithmetic ----------------------------------------------------------------------------------


def test_bill_10_percent_rounds_half_up_to_the_satang():
    """BILL-10: one stated rounding rule: ROUND_HALF_UP to the satang (half away from zero)."""
    assert Money(1000).percent("1.5") == Money(15)
    assert Money(333).percent(50) == Money(167)  # 166.5 satang
    assert Money(-333).percent(50) == Money(-167)
    assert Money(100).percent(Decimal("0.4")) == Money(0)  # 0.4 satang
    assert Money(100).percent(Decimal("0.5")) == Money(1)  # 0.5 satang
    assert Money(123456).percent("7") == Money(8642)  # 8641.92 satang
    assert Money(10**30).percent("1E+2") == Money(10**30)


@relaxed
@given(
    st.integers(min_value=-(10**15), max_value=10**15),
    st.decimals(min_value=-1000, max_value=1000, places=4, allow_nan=False),
)
def test_bill_10_percent_is_the_exact_share_rounded_once(satang, rate):
    """BILL-10 (property): the result is within half a satang of the exact share, and a tie
    goes away from zero."""
    result = Money(satang).percent(rate).satang
    exact = Decimal(satang) * rate / 100
    assert abs(Decimal(result) - exact) <= Decimal("0.5")
    if abs(Decimal(result) - exact) == Decimal("0.5"):
        assert abs(result) > abs(exact)


@relaxed
@given(st.lists(st.integers(min_value=-(10**15), max_value=10**15), max_size=20))
def test_bill_10_sums_are_exact(values):
    """BILL-10 (property): sum() and Money.total add satang exactly, in any order (sum() of
    no amounts is Python's 0, hence the start value)."""
    amounts = [Money(value) for value in values]
    assert sum(amounts, Money(0)) == Money.total(amounts) == Money(sum(values))
    if amounts:
        assert sum(amounts) == Money.total(amounts)
    assert Money.total(reversed(amounts)) == Money.total(amounts)


@relaxed
@given(
    st.integers(min_value=-(10**15), max_value=10**15),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.integers(min_value=-1000, max_value=1000),
)
def test_bill_10_arithmetic_is_integer_arithmetic(a, b, times):
    """BILL-10 (property): add, subtract, negate and multiply by a whole number are the
    integer operations on satang; Money is immutable and ordered by amount."""
    assert Money(a) + Money(b) == Money(a + b)
    assert Money(a) - Money(b) == Money(a - b)
    assert -Money(a) == Money(-a)
    assert Money(a) * times == times * Money(a) == Money(a * times)
    assert (Money(a) < Money(b)) == (a < b)
    assert Money(a).baht * 100 + Money(a).satang_part == abs(a)
    with pytest.raises(AttributeError):
        Money(a).satang = b


def test_bill_10_money_imports_only_the_standard_library_and_the_words_library():
    """BILL-10: money sits in core, beneath every app: it imports the standard library and
    num2words, nothing of Django or of the portal."""
    tree = ast.parse(Path(money_module.__file__).read_text(encoding="utf-8"))
    imported = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    imported |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    tops = {name.split(".")[0] for name in imported}
    assert "num2words" in tops
    assert tops - {"num2words", "__future__"} <= set(sys.stdlib_module_names)

"""The arithmetic of fees and bills, with no database: due dates (BILL-02), tiers (BILL-01),
surcharge months and amounts (BILL-04), bill references. Money is integer satang (BILL-10).
"""

import calendar
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

__all__ = [
    "PART_MONTH_IGNORED",
    "PART_MONTH_WHOLE",
    "Tier",
    "add_months",
    "anniversaries_due_on",
    "baht_to_satang",
    "due_date",
    "late_months",
    "luhn_check_digit",
    "ref1_for",
    "surcharge_satang",
    "tier_amount",
    "tiers_cover_every_horsepower",
]

PART_MONTH_WHOLE = "whole"  # a started month counts as a whole month (the default)
PART_MONTH_IGNORED = "ignored"  # only whole months count
SATANG_PER_BAHT = 100


def anniversary_of(started_on: dt.date) -> int:
    """month * 100 + day: how the mirror indexes the due day."""
    return started_on.month * 100 + started_on.day


def due_date(started_on: dt.date, year: int) -> dt.date:
    """BILL-02: the anniversary of the operation start in `year`; 29 February falls due on
    28 February in a common year (the last day of that February)."""
    day = min(started_on.day, calendar.monthrange(year, started_on.month)[1])
    return dt.date(year, started_on.month, day)


def anniversaries_due_on(day: dt.date) -> set[int]:
    """The anniversaries (month * 100 + day) whose due date in day.year is `day`."""
    found = {day.month * 100 + day.day}
    if day.month == 2 and day.day == 28 and not calendar.isleap(day.year):
        found.add(229)
    return found


def add_months(start: dt.date, months: int) -> dt.date:
    """The same day `months` later, the month's last day when it has no such day."""
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def late_months(due_on: dt.date, paid_on: dt.date, part_month: str = PART_MONTH_WHOLE) -> int:
    """BILL-04: months of surcharge for a fee due on `due_on` and paid on `paid_on`.

    Months run from the due date to the same day of later months (the month's last day when it
    has no such day). Paying on the due date is on time; a part month counts as a whole one
    under PART_MONTH_WHOLE (a day late is one month), not at all under PART_MONTH_IGNORED."""
    if part_month not in (PART_MONTH_WHOLE, PART_MONTH_IGNORED):
        raise ValueError(f"unknown part-month rule {part_month!r}")
    if paid_on <= due_on:
        return 0
    months = (paid_on.year - due_on.year) * 12 + paid_on.month - due_on.month
    if add_months(due_on, months) > paid_on:
        months -= 1
    if part_month == PART_MONTH_WHOLE and add_months(due_on, months) < paid_on:
        months += 1
    return months


def surcharge_satang(fee_satang: int, months: int, rate_percent: Decimal | int = 5) -> int:
    """BILL-04: rate_percent of the unpaid fee per month (Factory Act s.43: 5 %), not
    compounded, rounded half up to the satang; exact (Decimal), never a float."""
    if fee_satang < 0 or months < 0:
        raise ValueError("fee and months must not be negative")
    exact = Decimal(fee_satang) * Decimal(rate_percent) * months / 100
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def baht_to_satang(value: str | int | Decimal) -> int:
    """ "43500", "300.50", 300 or Decimal("1.5") baht in satang; refuses floats and fractions
    of a satang, so that no amount is ever rounded on its way in."""
    if isinstance(value, bool | float):
        raise ValueError("amounts are written as text or whole numbers, never floats")
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except ArithmeticError:
        raise ValueError(f"not an amount: {value!r}") from None
    if not amount.is_finite():
        raise ValueError(f"not an amount: {value!r}")
    satang = amount * SATANG_PER_BAHT
    if satang != satang.to_integral_value():
        raise ValueError(f"{value!r} has a fraction of a satang")
    if satang < 0:
        raise ValueError(f"{value!r} is negative")
    return int(satang)


@dataclass(frozen=True)
class Tier:
    """One line of a fee table (BILL-01): the "no machinery" line, or from_hp (inclusive) to
    below_hp (exclusive; None: no upper end). A flat table's one line has neither bound."""

    amount_satang: int
    from_hp: Decimal | None = None
    below_hp: Decimal | None = None
    no_machinery: bool = False

    def holds(self, horsepower: Decimal) -> bool:
        if self.no_machinery:
            return False
        low = self.from_hp if self.from_hp is not None else Decimal(0)
        return low <= horsepower and (self.below_hp is None or horsepower < self.below_hp)


def tier_amount(tiers: Sequence[Tier], horsepower: Decimal | None) -> int | None:
    """The amount for a factory of this horsepower: the "no machinery" line for none (None or
    0) when the table has one, else the line that holds it; None when no line does (an
    incomplete table, which is never billed from)."""
    if horsepower is None or horsepower == 0:
        for tier in tiers:
            if tier.no_machinery:
                return tier.amount_satang
        horsepower = Decimal(0)
    for tier in tiers:
        if tier.holds(horsepower):
            return tier.amount_satang
    return None


def tiers_cover_every_horsepower(tiers: Iterable[Tier]) -> bool:
    """True when the lines other than "no machinery" run from 0 without gap or overlap to an
    open end: every horsepower has exactly one amount."""
    bounded = sorted(
        (t for t in tiers if not t.no_machinery), key=lambda t: t.from_hp or Decimal(0)
    )
    expected = Decimal(0)
    for tier in bounded:
        if (tier.from_hp or Decimal(0)) != expected:
            return False
        if tier.below_hp is None:
            return tier is bounded[-1]
        if tier.below_hp <= expected:
            return False
        expected = tier.below_hp
    return False


def luhn_check_digit(digits: str) -> int:
    """The Luhn (mod 10) check digit of a digit string: catches every single mistyped digit
    and most swaps of neighbours when a reference is typed at a bank counter."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 0:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return (10 - total % 10) % 10


# Two digits for each kind of bill at the head of Ref1 (docs/decisions.md "Bill references").
KIND_CODES = {
    "annual": "10",
    "licence": "11",
    "expansion": "12",
    "licence_transfer": "13",
    "operation_notice": "14",
    "replacement_licence": "15",
    "restart_notice": "16",
    "machinery_relocation": "17",
    "other": "19",
}
RUNNING_DIGITS = 11


def ref1_for(kind: str, running_number: int) -> str:
    """Ref1: the kind's two digits, the running number in 11 digits, a Luhn check digit: 14
    digits, unique because the running number is (drawn from models.RefCounter)."""
    if not 0 < running_number < 10**RUNNING_DIGITS:
        raise ValueError("running number out of range")
    body = KIND_CODES[kind] + f"{running_number:0{RUNNING_DIGITS}d}"
    return body + str(luhn_check_digit(body))

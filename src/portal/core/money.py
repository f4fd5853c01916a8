"""Money as integer satang (BILL-10): exact parsing, formatting, percentages and Thai words.

An amount is a whole number of satang (1 baht = 100 satang) held in an int; nothing here ever
goes through a float, and a float handed in is refused with TypeError, because 0.1 + 0.2 is
already wrong and a bill must be right to the satang. Decimal is used only where a rate meets
an amount, with one stated rounding rule (ROUND_HALF_UP to the satang).

The amount in Thai words comes from num2words (lang "th", currency THB) fed an exact Decimal
built from the satang: see docs/decisions.md for why not PyThaiNLP or the `bahttext` package.

This module is in core, the bottom layer: it imports the standard library and num2words only.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext

from num2words import num2words

SATANG_PER_BAHT = 100

# "1,234.50", "1234.5", "-12", "฿ 1,234.50", "1,234.50 บาท": an optional sign, digits grouped by
# commas in threes (or not grouped at all), at most two decimals. No exponent, NaN or infinity.
_AMOUNT = re.compile(
    r"^(?P<sign>[-+]?)\s*(?:฿\s*)?"
    r"(?P<whole>\d{1,3}(?:,\d{3})+|\d+)"
    r"(?:\.(?P<fraction>\d{1,2}))?"
    r"\s*(?:บาท)?$"
)
_SPACES = re.compile(r"\s+")
_THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


def _refuse_float(value: object, what: str) -> None:
    if isinstance(value, float):
        raise TypeError(
            f"{what} must not be a float (a float cannot hold satang exactly): {value!r}"
        )


def _exact_decimal(value: Decimal | int | str, what: str) -> Decimal:
    """A Decimal from a Decimal, an int or a string, refusing floats, NaN and infinities."""
    _refuse_float(value, what)
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        raise TypeError(f"{what} must be a Decimal, an int or a string, not {type(value).__name__}")
    try:
        number = Decimal(value.strip() if isinstance(value, str) else value)
    except InvalidOperation:
        raise ValueError(f"{what} is not a number: {value!r}") from None
    if not number.is_finite():
        raise ValueError(f"{what} must be a finite number: {value!r}")
    return number


@dataclass(frozen=True, slots=True, order=True)
class Money:
    """An amount of Thai baht, as a whole number of satang. Immutable and hashable.

    `Money(123450)` is 1,234.50 baht. Add and subtract Money, multiply by a whole number,
    take a percentage with `percent()`; `sum()` works on Money (it starts from 0).
    """

    satang: int

    def __post_init__(self) -> None:
        _refuse_float(self.satang, "An amount in satang")
        if isinstance(self.satang, bool) or not isinstance(self.satang, int):
            raise TypeError(f"An amount in satang must be an int, not {type(self.satang).__name__}")

    # Making amounts ------------------------------------------------------------------------

    @classmethod
    def zero(cls) -> Money:
        return cls(0)

    @classmethod
    def from_baht(cls, baht: Decimal | int | str) -> Money:
        """From a number of baht (Decimal, int or a plain numeric string). More than two
        decimals that are not zeros are refused rather than rounded: rounding is a choice
        that belongs to the caller (see `percent`)."""
        number = _exact_decimal(baht, "An amount in baht")
        satang = number * SATANG_PER_BAHT
        if satang != satang.to_integral_value():
            raise ValueError(f"An amount in baht has at most two decimals (satang): {baht!r}")
        return cls(int(satang))

    @classmethod
    def parse(cls, text: str) -> Money:
        """Parse an amount as people write it: "1,234.50", "1234.5", "฿1,234", "1,234.50 บาท",
        also with Thai or full-width digits. Commas must group in threes; at most two
        decimals. Refuses anything else with ValueError."""
        if not isinstance(text, str):
            _refuse_float(text, "An amount to parse")
            raise TypeError(f"An amount to parse must be a string, not {type(text).__name__}")
        # NFKC makes full-width digits and signs plain; every other decimal digit (Thai ๑๒๓ ...)
        # becomes 0-9, so "๑,๒๓๔.๕๐" reads as 1,234.50.
        normal = unicodedata.normalize("NFKC", text)
        normal = "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in normal)
        match = _AMOUNT.match(_SPACES.sub(" ", normal.strip()))
        if match is None:
            raise ValueError(f"Not an amount of baht: {text!r}")
        whole = int(match["whole"].replace(",", ""))
        fraction = int((match["fraction"] or "0").ljust(2, "0"))
        satang = whole * SATANG_PER_BAHT + fraction
        return cls(-satang if match["sign"] == "-" else satang)

    @classmethod
    def total(cls, amounts: Iterable[Money]) -> Money:
        """The sum of some amounts (Money(0) for none)."""
        result = 0
        for amount in amounts:
            if not isinstance(amount, Money):
                raise TypeError(f"Only Money can be added up, not {type(amount).__name__}")
            result += amount.satang
        return cls(result)

    # Arithmetic ----------------------------------------------------------------------------

    def __add__(self, other: Money) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        return Money(self.satang + other.satang)

    def __radd__(self, other: object) -> Money:
        # sum() starts from the int 0; nothing else may be added to money.
        if isinstance(other, int) and not isinstance(other, bool) and other == 0:
            return self
        return NotImplemented

    def __sub__(self, other: Money) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        return Money(self.satang - other.satang)

    def __neg__(self) -> Money:
        return Money(-self.satang)

    def __mul__(self, times: int) -> Money:
        # Only a whole number of times: a fraction of money needs a rounding rule (percent()).
        if isinstance(times, bool) or not isinstance(times, int):
            _refuse_float(times, "A multiplier of money")
            return NotImplemented
        return Money(self.satang * times)

    __rmul__ = __mul__

    def percent(self, rate: Decimal | int | str) -> Money:
        """`rate` percent of this amount, rounded to the satang with ROUND_HALF_UP (a half
        satang goes away from zero: 0.5 satang -> 1, -0.5 -> -1). The rate is exact (a
        Decimal, an int or a string such as "1.5"); a float is refused."""
        number = _exact_decimal(rate, "A percentage rate")
        # Enough precision that the product, and the whole satang it is rounded to, are exact:
        # the one rounding is the quantize below, never the context's.
        shape = number.as_tuple()
        digits = len(str(abs(self.satang))) + len(shape.digits) + max(0, int(shape.exponent)) + 4
        with localcontext(prec=max(28, digits)):
            exact = Decimal(self.satang) * number / 100
            return Money(int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP)))

    # Reading amounts -----------------------------------------------------------------------

    @property
    def baht(self) -> int:
        """Whole baht (of the absolute amount)."""
        return abs(self.satang) // SATANG_PER_BAHT

    @property
    def satang_part(self) -> int:
        """The satang after the whole baht, 0 to 99 (of the absolute amount)."""
        return abs(self.satang) % SATANG_PER_BAHT

    def as_decimal(self) -> Decimal:
        """The amount in baht as an exact Decimal with two places ("1234.50")."""
        return Decimal(self.satang).scaleb(-2)

    def format(self, *, unit: bool = False, thai_digits: bool = False) -> str:
        """ "1,234.50"; with `unit` "1,234.50 บาท"; with `thai_digits` "๑,๒๓๔.๕๐"."""
        sign = "-" if self.satang < 0 else ""
        text = f"{sign}{self.baht:,}.{self.satang_part:02d}"
        if thai_digits:
            text = text.translate(_THAI_DIGITS)
        return f"{text} บาท" if unit else text

    def words(self) -> str:
        """The amount in Thai words as written on receipts (BILL-10): "หนึ่งพันสองร้อยสามสิบสี่บาท
        ห้าสิบสตางค์", "หนึ่งร้อยเอ็ดบาทถ้วน", "ห้าสิบสตางค์". Negative amounts have no words on a
        receipt and are refused."""
        if self.satang < 0:
            raise ValueError("A negative amount has no words on a receipt")
        # num2words quantizes the Decimal in the current context: give it enough digits that
        # even very large amounts stay exact (the default 28 would overflow past 10**26).
        with localcontext(prec=max(28, len(str(self.satang)) + 4)):
            return num2words(self.as_decimal(), lang="th", to="currency", currency="THB")

    def __str__(self) -> str:
        return self.format()

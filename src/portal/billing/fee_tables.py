"""Fee table files (BILL-01): one JSON object a file, read and checked before anything is stored.

    {
      "code": "annual",                     # what it prices: a Bill kind
      "version": "2563-known-ends",         # unique with the code; a changed table is a new one
      "title_th": "...", "title_en": "...",
      "basis": "horsepower" | "flat",
      "effective_from": "2020-01-01",
      "is_complete": false,                 # false: never billed from
      "illustrative": false,                # true: loaded only in the sandbox, said on each bill
      "supersedes": "2563-known-ends",      # optional: the version of this code it replaces
      "source": "where the amounts come from",
      "tiers": [
        {"no_machinery": true, "baht": "300"},
        {"from_hp": "0", "below_hp": "5", "baht": "150"},
        {"from_hp": "40000", "below_hp": null, "baht": "43500"}
      ]
    }

Amounts are baht written as text or whole numbers ("43500", "150.50"), never floats;
horsepower bounds the same. Every error names the file and the field; errors are in English,
for whoever loads the files (a command, or migrate), not for members.
"""

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from portal.billing.fees import Tier, baht_to_satang, tiers_cover_every_horsepower
from portal.core.errors import PortalError

__all__ = ["KINDS", "SHIPPED", "FeeTableData", "FeeTableFileError", "read_fee_table_file"]

SHIPPED = Path(__file__).resolve().parent / "fee_tables"
KINDS = (
    "annual",
    "licence",
    "expansion",
    "licence_transfer",
    "operation_notice",
    "replacement_licence",
    "restart_notice",
    "machinery_relocation",
    "other",
)


class FeeTableFileError(PortalError):
    """A fee table file that cannot be loaded: `path` and `field` say where."""

    def __init__(self, path: Path | str, field: str, problem: str):
        super().__init__(f"{path}: {field}: {problem}", field=field, code="fee_table_file")
        self.path = str(path)


@dataclass(frozen=True)
class FeeTableData:
    code: str
    version: str
    title_th: str
    title_en: str
    basis: str
    effective_from: dt.date
    is_complete: bool
    illustrative: bool
    supersedes: str
    source: str
    tiers: tuple[Tier, ...]


def _text(path, obj: dict, key: str, *, required: bool = True, longest: int = 300) -> str:
    value = obj.get(key)
    if value is None or value == "":
        if required:
            raise FeeTableFileError(path, key, "is required")
        return ""
    if not isinstance(value, str):
        raise FeeTableFileError(path, key, "must be text")
    if len(value) > longest:
        raise FeeTableFileError(path, key, f"is longer than {longest} characters")
    return value


def _bool(path, obj: dict, key: str, *, default: bool | None = None) -> bool:
    value = obj.get(key, default)
    if not isinstance(value, bool):
        raise FeeTableFileError(path, key, "must be true or false")
    return value


def _horsepower(path, field: str, value: Any) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, bool | float) or not isinstance(value, str | int):
        raise FeeTableFileError(path, field, "must be a number written as text")
    try:
        number = Decimal(str(value).replace(",", ""))
    except InvalidOperation:
        raise FeeTableFileError(path, field, "is not a number") from None
    if not number.is_finite() or number < 0:
        raise FeeTableFileError(path, field, "must be zero or more")
    return number


def _tier(path, index: int, obj: Any, basis: str) -> Tier:
    where = f"tiers[{index}]"
    if not isinstance(obj, dict):
        raise FeeTableFileError(path, where, "must be an object")
    try:
        amount = baht_to_satang(obj.get("baht")) if obj.get("baht") is not None else None
    except ValueError as exc:
        raise FeeTableFileError(path, f"{where}.baht", str(exc)) from None
    if amount is None:
        raise FeeTableFileError(path, f"{where}.baht", "is required")
    no_machinery = _bool(path, obj, "no_machinery", default=False)
    from_hp = _horsepower(path, f"{where}.from_hp", obj.get("from_hp"))
    below_hp = _horsepower(path, f"{where}.below_hp", obj.get("below_hp"))
    if basis == "flat":
        if no_machinery or from_hp is not None or below_hp is not None:
            raise FeeTableFileError(path, where, "a flat table's line has no horsepower")
        return Tier(amount_satang=amount)
    if no_machinery:
        if from_hp is not None or below_hp is not None:
            raise FeeTableFileError(path, where, "the no-machinery line has no horsepower")
        return Tier(amount_satang=amount, no_machinery=True)
    if from_hp is None:
        raise FeeTableFileError(path, f"{where}.from_hp", "is required")
    if below_hp is not None and below_hp <= from_hp:
        raise FeeTableFileError(path, f"{where}.below_hp", "must be above from_hp")
    return Tier(amount_satang=amount, from_hp=from_hp, below_hp=below_hp)


def parse_fee_table(path: Path | str, obj: Any) -> FeeTableData:
    """A fee table object (from a file, or an officer's revision) checked field by field."""
    if not isinstance(obj, dict):
        raise FeeTableFileError(path, "(file)", "must hold one JSON object")
    code = _text(path, obj, "code", longest=30)
    if code not in KINDS:
        raise FeeTableFileError(path, "code", f"must be one of {', '.join(KINDS)}")
    basis = _text(path, obj, "basis", longest=12)
    if basis not in ("horsepower", "flat"):
        raise FeeTableFileError(path, "basis", "must be horsepower or flat")
    raw_date = _text(path, obj, "effective_from", longest=10)
    try:
        effective_from = dt.date.fromisoformat(raw_date)
    except ValueError:
        raise FeeTableFileError(path, "effective_from", "must be a date YYYY-MM-DD") from None
    raw_tiers = obj.get("tiers")
    if not isinstance(raw_tiers, list) or not raw_tiers:
        raise FeeTableFileError(path, "tiers", "must be a list of at least one line")
    tiers = tuple(_tier(path, i, t, basis) for i, t in enumerate(raw_tiers))
    is_complete = _bool(path, obj, "is_complete")
    if sum(t.no_machinery for t in tiers) > 1:
        raise FeeTableFileError(path, "tiers", "has more than one no-machinery line")
    if is_complete:
        if basis == "flat" and len(tiers) != 1:
            raise FeeTableFileError(path, "tiers", "a flat table has exactly one line")
        if basis == "horsepower" and not tiers_cover_every_horsepower(tiers):
            raise FeeTableFileError(
                path,
                "is_complete",
                "the lines do not run from 0 HP without gap or overlap to an open end",
            )
    return FeeTableData(
        code=code,
        version=_text(path, obj, "version", longest=40),
        title_th=_text(path, obj, "title_th"),
        title_en=_text(path, obj, "title_en"),
        basis=basis,
        effective_from=effective_from,
        is_complete=is_complete,
        illustrative=_bool(path, obj, "illustrative", default=False),
        supersedes=_text(path, obj, "supersedes", required=False, longest=40),
        source=_text(path, obj, "source", required=False, longest=2000),
        tiers=tiers,
    )


def read_fee_table_file(path: Path | str) -> FeeTableData:
    path = Path(path)
    try:
        obj = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise FeeTableFileError(path, "(file)", exc.strerror or str(exc)) from None
    except UnicodeDecodeError:
        raise FeeTableFileError(path, "(file)", "is not UTF-8") from None
    except json.JSONDecodeError as exc:
        raise FeeTableFileError(path, f"(line {exc.lineno})", f"not JSON: {exc.msg}") from None
    return parse_fee_table(path, obj)

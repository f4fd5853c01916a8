"""The sandbox world: what the outside registries know, read from a directory of JSON Lines.

The format is the shared sandbox-world/README.md: six files, one JSON object a line. Unknown
fields are ignored, a missing optional field is absent or null, an absent file means that
registry knows nobody, and a malformed line stops the load with a WorldFormatError naming the
file and the line. Only the fields that identify a record are required (pid,
juristic_id, registration_no, tax_id, factory_no); everything else falls back to empty.

current_world() loads settings.SANDBOX_WORLD lazily, once per process, and loads it again when
the directory changes or any of its files is written (modification and change times, size,
inode), so tests can point at worlds of their own and a rebuilt world is picked up without a
restart. Records are small frozen dataclasses, indexed by what the adapters look them up by.
"""

import datetime as dt
import json
import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings

from portal.registries.dopa import THAI, Citizen

__all__ = [
    "ADDRESS_FIELDS",
    "WORLD_FILES",
    "CitizenRecord",
    "CommercialRegistrationRecord",
    "CommunityEnterpriseRecord",
    "DirectorRecord",
    "FactoryRecord",
    "JuristicPersonRecord",
    "PreviousName",
    "RecordFormatError",
    "TaxpayerRecord",
    "World",
    "WorldFormatError",
    "clear_world_cache",
    "current_world",
    "load_world",
    "parse_citizen",
]

CITIZENS = "citizens.jsonl"
JURISTIC_PERSONS = "juristic_persons.jsonl"
COMMERCIAL_REGISTRATIONS = "commercial_registrations.jsonl"
TAXPAYERS = "taxpayers.jsonl"
COMMUNITY_ENTERPRISES = "community_enterprises.jsonl"
FACTORIES = "factories.jsonl"
WORLD_FILES = (
    CITIZENS,
    JURISTIC_PERSONS,
    COMMERCIAL_REGISTRATIONS,
    TAXPAYERS,
    COMMUNITY_ENTERPRISES,
    FACTORIES,
)
ADDRESS_FIELDS = (
    "house_no",
    "moo",
    "soi",
    "road",
    "subdistrict",
    "district",
    "province",
    "postcode",
)
FACTORY_ADDRESS_FIELDS = (*ADDRESS_FIELDS, "industrial_estate", "industrial_zone")
HEAD_OFFICE_BRANCH = "00000"


class WorldFormatError(ValueError):
    """A world file has a line that is not in the format; names the file and the line."""

    def __init__(self, path: Path | str, line_no: int, message: str):
        super().__init__(f"{path}, line {line_no}: {message}")
        self.path = str(path)
        self.line_no = line_no
        self.message = message


class RecordFormatError(ValueError):
    """A bad field inside one record (field names it); the loader adds the file and the line."""

    def __init__(self, message: str, *, field: str):
        super().__init__(message)
        self.field = field


# Records. Slotted and frozen: a world of 100,000 records stays small and nobody edits it.


@dataclass(frozen=True, slots=True)
class PreviousName:
    first_name_th: str
    last_name_th: str
    until: dt.date | None


@dataclass(frozen=True, slots=True)
class CitizenRecord:
    pid: str
    title_th: str = ""
    first_name_th: str = ""
    last_name_th: str = ""
    first_name_en: str = ""
    last_name_en: str = ""
    middle_name_th: str = ""
    birth_year_be: int | None = None
    birth_month: int | None = None
    birth_day: int | None = None
    laser_code: str = ""
    card_status: str = ""
    card_expiry: dt.date | None = None
    alive: bool = True
    nationality: str = THAI  # absent in the file means Thai (sandbox-world/README.md)
    address: dict = field(default_factory=dict)
    previous_names: tuple[PreviousName, ...] = ()

    def to_citizen(self) -> Citizen:
        """The port's view of this person (without the laser code, which never leaves DOPA)."""
        return Citizen(
            pid=self.pid,
            title_th=self.title_th,
            first_name_th=self.first_name_th,
            last_name_th=self.last_name_th,
            first_name_en=self.first_name_en,
            last_name_en=self.last_name_en,
            # A world that omits the year knows nothing better than None.
            birth_year_be=self.birth_year_be,
            birth_month=self.birth_month,
            birth_day=self.birth_day,
            alive=self.alive,
            card_status=self.card_status,
            card_expiry=self.card_expiry,
            middle_name_th=self.middle_name_th,
            address=dict(self.address),
            nationality=self.nationality,
        )


@dataclass(frozen=True, slots=True)
class DirectorRecord:
    pid: str | None
    passport_no: str | None
    name_th: str
    name_en: str
    nationality: str
    can_sign: bool

    @property
    def is_thai(self) -> bool:
        return self.nationality == "TH" and bool(self.pid)


@dataclass(frozen=True, slots=True)
class JuristicPersonRecord:
    juristic_id: str
    kind: str = ""
    name_th: str = ""
    name_en: str = ""
    previous_names_th: tuple[str, ...] = ()
    registered_on: dt.date | None = None
    status: str = ""
    capital_baht: int | None = None
    objective: str = ""
    address: dict = field(default_factory=dict)
    directors: tuple[DirectorRecord, ...] = ()


@dataclass(frozen=True, slots=True)
class CommercialRegistrationRecord:
    registration_no: str
    owner_pid: str = ""
    trade_name_th: str = ""
    status: str = ""


@dataclass(frozen=True, slots=True)
class TaxpayerRecord:
    tax_id: str
    kind: str = ""
    name_th: str = ""
    name_en: str = ""
    branch: str = HEAD_OFFICE_BRANCH


@dataclass(frozen=True, slots=True)
class CommunityEnterpriseRecord:
    registration_no: str
    name_th: str = ""
    representative_pid: str = ""
    is_juristic: bool = False


@dataclass(frozen=True, slots=True)
class FactoryRecord:
    factory_no: str
    factory_no_old: str = ""
    name_th: str = ""
    operator_id: str = ""
    licence: str = ""
    factory_class: int | None = None
    category: str = ""
    horsepower: Decimal | None = None
    workers: int | None = None
    status: str = ""
    operation_started_on: dt.date | None = None
    licensed_on: dt.date | None = None
    address: dict = field(default_factory=dict)
    supervisor: str = ""
    latitude: float | None = None
    longitude: float | None = None
    # When DIW last changed the record (optional: worlds made without it leave it None; the
    # sandbox adapter then takes the file's modification time).
    updated_at: dt.datetime | None = None


# Field readers: each takes the record and the key, and says what is wrong in words.


def _text(obj: dict, key: str, *, required: bool = False) -> str:
    value = obj.get(key)
    if value is None or value == "":
        if required:
            raise RecordFormatError(f"field {key!r} is required", field=key)
        return ""
    if not isinstance(value, str):
        raise RecordFormatError(
            f"field {key!r} must be text, not {type(value).__name__}", field=key
        )
    return value


def _optional_text(obj: dict, key: str) -> str | None:
    return _text(obj, key) or None


def _int(obj: dict, key: str) -> int | None:
    value = obj.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise RecordFormatError(f"field {key!r} must be a whole number, not {value!r}", field=key)
    if isinstance(value, Decimal):
        if value != value.to_integral_value():
            raise RecordFormatError(f"field {key!r} must be a whole number, not {value}", field=key)
        return int(value)
    return value


def _decimal(obj: dict, key: str) -> Decimal | None:
    value = obj.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise RecordFormatError(f"field {key!r} must be a number, not {value!r}", field=key)
    return Decimal(value)


def _float(obj: dict, key: str) -> float | None:
    value = _decimal(obj, key)
    return None if value is None else float(value)


def _bool(obj: dict, key: str, default: bool) -> bool:
    value = obj.get(key)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise RecordFormatError(f"field {key!r} must be true or false, not {value!r}", field=key)
    return value


def _date(obj: dict, key: str) -> dt.date | None:
    value = obj.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise RecordFormatError(f"field {key!r} must be a date YYYY-MM-DD, not {value!r}", field=key)


def _datetime(obj: dict, key: str) -> dt.datetime | None:
    """An ISO date-time with its offset (a time without one is UTC)."""
    value = obj.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            pass
        else:
            return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    raise RecordFormatError(
        f"field {key!r} must be a date-time YYYY-MM-DDTHH:MM:SS+07:00, not {value!r}", field=key
    )


def _list(obj: dict, key: str) -> list:
    value = obj.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise RecordFormatError(
            f"field {key!r} must be a list, not {type(value).__name__}", field=key
        )
    return value


def _object(value: Any, what: str) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise RecordFormatError(f"{what} must be an object, not {type(value).__name__}", field=what)
    return value


def _address(obj: dict, fields: tuple[str, ...] = ADDRESS_FIELDS) -> dict:
    raw = _object(obj.get("address"), "field 'address'")
    address = {}
    for name in fields:
        value = raw.get(name)
        # House and moo numbers are sometimes written as numbers; they are labels all the same.
        if isinstance(value, int | Decimal) and not isinstance(value, bool):
            value = str(value)
        if value is not None and not isinstance(value, str):
            raise RecordFormatError(
                f"address field {name!r} must be text, not {value!r}", field=f"address.{name}"
            )
        address[name] = value or None
    return address


# One parser per file.


def parse_citizen(obj: dict) -> CitizenRecord:
    """A citizens.jsonl object (also the HTTP adapter's answer) as a record."""
    previous = []
    for item in _list(obj, "previous_names"):
        item = _object(item, "each of 'previous_names'")
        previous.append(
            PreviousName(
                first_name_th=_text(item, "first_name_th"),
                last_name_th=_text(item, "last_name_th"),
                until=_date(item, "until"),
            )
        )
    return CitizenRecord(
        pid=_text(obj, "pid", required=True),
        title_th=_text(obj, "title_th"),
        first_name_th=_text(obj, "first_name_th"),
        last_name_th=_text(obj, "last_name_th"),
        first_name_en=_text(obj, "first_name_en"),
        last_name_en=_text(obj, "last_name_en"),
        middle_name_th=_text(obj, "middle_name_th"),
        birth_year_be=_int(obj, "birth_year_be"),
        birth_month=_int(obj, "birth_month"),
        birth_day=_int(obj, "birth_day"),
        laser_code=_text(obj, "laser_code"),
        card_status=_text(obj, "card_status"),
        card_expiry=_date(obj, "card_expiry"),
        alive=_bool(obj, "alive", default=True),
        nationality=_text(obj, "nationality").strip().upper() or THAI,
        address=_address(obj),
        previous_names=tuple(previous),
    )


def _parse_director(item: Any) -> DirectorRecord:
    item = _object(item, "each of 'directors'")
    return DirectorRecord(
        pid=_optional_text(item, "pid"),
        passport_no=_optional_text(item, "passport_no"),
        name_th=_text(item, "name_th"),
        name_en=_text(item, "name_en"),
        nationality=_text(item, "nationality").upper(),
        can_sign=_bool(item, "can_sign", default=False),
    )


def _parse_juristic_person(obj: dict) -> JuristicPersonRecord:
    previous = _list(obj, "previous_names_th")
    if not all(isinstance(name, str) for name in previous):
        raise RecordFormatError(
            "field 'previous_names_th' must be a list of texts", field="previous_names_th"
        )
    return JuristicPersonRecord(
        juristic_id=_text(obj, "juristic_id", required=True),
        kind=_text(obj, "kind"),
        name_th=_text(obj, "name_th"),
        name_en=_text(obj, "name_en"),
        previous_names_th=tuple(previous),
        registered_on=_date(obj, "registered_on"),
        status=_text(obj, "status"),
        capital_baht=_int(obj, "capital_baht"),
        objective=_text(obj, "objective"),
        address=_address(obj),
        directors=tuple(_parse_director(item) for item in _list(obj, "directors")),
    )


def _parse_commercial_registration(obj: dict) -> CommercialRegistrationRecord:
    return CommercialRegistrationRecord(
        registration_no=_text(obj, "registration_no", required=True),
        owner_pid=_text(obj, "owner_pid"),
        trade_name_th=_text(obj, "trade_name_th"),
        status=_text(obj, "status"),
    )


def _parse_taxpayer(obj: dict) -> TaxpayerRecord:
    return TaxpayerRecord(
        tax_id=_text(obj, "tax_id", required=True),
        kind=_text(obj, "kind"),
        name_th=_text(obj, "name_th"),
        name_en=_text(obj, "name_en"),
        branch=_text(obj, "branch") or HEAD_OFFICE_BRANCH,
    )


def _parse_community_enterprise(obj: dict) -> CommunityEnterpriseRecord:
    return CommunityEnterpriseRecord(
        registration_no=_text(obj, "registration_no", required=True),
        name_th=_text(obj, "name_th"),
        representative_pid=_text(obj, "representative_pid"),
        is_juristic=_bool(obj, "is_juristic", default=False),
    )


def _parse_factory(obj: dict) -> FactoryRecord:
    return FactoryRecord(
        factory_no=_text(obj, "factory_no", required=True),
        factory_no_old=_text(obj, "factory_no_old"),
        name_th=_text(obj, "name_th"),
        operator_id=_text(obj, "operator_id"),
        licence=_text(obj, "licence"),
        factory_class=_int(obj, "factory_class"),
        category=_text(obj, "category"),
        horsepower=_decimal(obj, "horsepower"),
        workers=_int(obj, "workers"),
        status=_text(obj, "status"),
        operation_started_on=_date(obj, "operation_started_on"),
        licensed_on=_date(obj, "licensed_on"),
        address=_address(obj, FACTORY_ADDRESS_FIELDS),
        supervisor=_text(obj, "supervisor"),
        latitude=_float(obj, "latitude"),
        longitude=_float(obj, "longitude"),
        updated_at=_datetime(obj, "updated_at"),
    )


def _read_records[T](
    path: Path, parse: Callable[[dict], T], key: Callable[[T], Any]
) -> Iterator[tuple[int, T]]:
    """(line number, record) for each non-blank line; stops at the first bad line."""
    seen: dict[Any, int] = {}
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        return
    with handle:
        # Bytes, decoded line by line, so that an encoding error names its own line.
        for line_no, raw in enumerate(handle, start=1):
            try:
                line = raw.decode("utf-8-sig" if line_no == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                raise WorldFormatError(path, line_no, f"not UTF-8: {exc.reason}") from None
            if not line.strip():
                continue
            try:
                obj = json.loads(line, parse_float=Decimal)
            except json.JSONDecodeError as exc:
                raise WorldFormatError(path, line_no, f"not JSON: {exc.msg}") from None
            if not isinstance(obj, dict):
                raise WorldFormatError(path, line_no, "each line must be a JSON object")
            try:
                record = parse(obj)
            except RecordFormatError as exc:
                raise WorldFormatError(path, line_no, str(exc)) from None
            identity = key(record)
            if identity in seen:
                raise WorldFormatError(path, line_no, f"{identity!r} repeats line {seen[identity]}")
            seen[identity] = line_no
            yield line_no, record


def _grouped[T](records: dict[Any, T], attribute: str) -> dict[str, tuple[T, ...]]:
    """The records by one of their fields, in file order; records where it is empty are left out."""
    groups: dict[str, list[T]] = {}
    for record in records.values():
        value = getattr(record, attribute)
        if value:
            groups.setdefault(value, []).append(record)
    return {key: tuple(items) for key, items in groups.items()}


@dataclass(frozen=True)
class World:
    """Every registry of one world, with the indexes the adapters look records up by."""

    directory: str
    citizens: dict[str, CitizenRecord]
    juristic_persons: dict[str, JuristicPersonRecord]
    commercial_registrations: dict[str, CommercialRegistrationRecord]
    taxpayers: dict[str, tuple[TaxpayerRecord, ...]]  # by tax_id, head office first
    community_enterprises: dict[str, CommunityEnterpriseRecord]
    factories: dict[str, FactoryRecord]
    commercial_registrations_by_owner: dict[str, tuple[CommercialRegistrationRecord, ...]]
    community_enterprises_by_representative: dict[str, tuple[CommunityEnterpriseRecord, ...]]
    factories_by_operator: dict[str, tuple[FactoryRecord, ...]]

    def citizen(self, pid: str) -> CitizenRecord | None:
        return self.citizens.get(pid)

    def juristic_person(self, juristic_id: str) -> JuristicPersonRecord | None:
        return self.juristic_persons.get(juristic_id)

    def commercial_registrations_of(
        self, owner_pid: str
    ) -> tuple[CommercialRegistrationRecord, ...]:
        return self.commercial_registrations_by_owner.get(owner_pid, ())

    def taxpayer(self, tax_id: str, branch: str = HEAD_OFFICE_BRANCH) -> TaxpayerRecord | None:
        return next((t for t in self.taxpayers.get(tax_id, ()) if t.branch == branch), None)

    def taxpayer_branches(self, tax_id: str) -> tuple[TaxpayerRecord, ...]:
        return self.taxpayers.get(tax_id, ())

    def community_enterprises_of(
        self, representative_pid: str
    ) -> tuple[CommunityEnterpriseRecord, ...]:
        return self.community_enterprises_by_representative.get(representative_pid, ())

    def factory(self, factory_no: str) -> FactoryRecord | None:
        return self.factories.get(factory_no)

    def factories_of(self, operator_id: str) -> tuple[FactoryRecord, ...]:
        return self.factories_by_operator.get(operator_id, ())


def load_world(directory: str | os.PathLike) -> World:
    """Read a world directory from disk (no caching); raises WorldFormatError on a bad line."""
    root = Path(directory)

    def read(name, parse, key) -> dict:
        return {key(r): r for _, r in _read_records(root / name, parse, key)}

    citizens = read(CITIZENS, parse_citizen, lambda r: r.pid)
    juristic_persons = read(JURISTIC_PERSONS, _parse_juristic_person, lambda r: r.juristic_id)
    commercial = read(
        COMMERCIAL_REGISTRATIONS, _parse_commercial_registration, lambda r: r.registration_no
    )
    taxpayer_rows = read(TAXPAYERS, _parse_taxpayer, lambda r: (r.tax_id, r.branch))
    enterprises = read(
        COMMUNITY_ENTERPRISES, _parse_community_enterprise, lambda r: r.registration_no
    )
    factories = read(FACTORIES, _parse_factory, lambda r: r.factory_no)

    return World(
        directory=str(root),
        citizens=citizens,
        juristic_persons=juristic_persons,
        commercial_registrations=commercial,
        taxpayers={
            tax_id: tuple(sorted(rows, key=lambda r: r.branch))
            for tax_id, rows in _grouped(taxpayer_rows, "tax_id").items()
        },
        community_enterprises=enterprises,
        factories=factories,
        commercial_registrations_by_owner=_grouped(commercial, "owner_pid"),
        community_enterprises_by_representative=_grouped(enterprises, "representative_pid"),
        factories_by_operator=_grouped(factories, "operator_id"),
    )


_lock = threading.Lock()
_cached: tuple[tuple, World] | None = None


def _signature(root: Path) -> tuple:
    stamps = []
    for name in WORLD_FILES:
        try:
            stat = (root / name).stat()
        except FileNotFoundError:
            stamps.append(None)
        else:
            # ctime too: it moves on every write, even when mtime is set back and size is equal.
            stamps.append((stat.st_mtime_ns, stat.st_ctime_ns, stat.st_size, stat.st_ino))
    return (str(root.resolve()), *stamps)


def current_world() -> World:
    """The world of settings.SANDBOX_WORLD, read once and again only when its files change."""
    global _cached
    root = Path(settings.SANDBOX_WORLD)
    signature = _signature(root)
    cached = _cached
    if cached is not None and cached[0] == signature:
        return cached[1]
    with _lock:
        if _cached is not None and _cached[0] == signature:
            return _cached[1]
        world = load_world(root)
        _cached = (signature, world)
        return world


def clear_world_cache() -> None:
    global _cached
    with _lock:
        _cached = None

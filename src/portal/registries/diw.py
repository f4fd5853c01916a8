"""Port to DIW, the Department of Industrial Works: the factory registry (FAC-01). Answers to
the failure switch "diw"."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol, Self

from portal.registries.base import RegistryUnavailable, adapter_for

__all__ = [
    "Factory",
    "FactoryChanges",
    "FactoryRegistry",
    "RegistryUnavailable",
    "factory_registry",
]

# The most factories one page of changes holds, whatever a caller asks.
CHANGES_PAGE_MAX = 5000


@dataclass(frozen=True)
class Factory:
    """A factory as DIW lists it: every field of factories.jsonl."""

    factory_no: str  # the 14-digit number (FAC-04)
    factory_no_old: str  # old style, e.g. 3-64(1)-12/45สป; "" when unknown
    name_th: str
    operator_id: str  # a juristic_id, a tax_id or a citizen's pid
    licence: str  # ror_ngor_4, ror_ngor_2, ieat_03_2
    factory_class: int | None  # 1, 2 or 3
    category: str  # DIW category number, e.g. 3(1), 52(1), 101
    horsepower: Decimal | None
    workers: int | None
    status: str  # operating, temporarily_stopped, not_started, closed, revoked
    operation_started_on: dt.date | None  # None when operation has not started
    licensed_on: dt.date | None
    # The citizens' address fields plus industrial_estate and industrial_zone (names or None).
    address: dict = field(default_factory=dict)
    supervisor: str = ""  # DIW (Bangkok), PIO (provincial industry office), IEAT
    latitude: float | None = None
    longitude: float | None = None
    changed_at: dt.datetime | None = None  # when DIW last changed it (bulk listing only)

    @classmethod
    def from_record(cls, record) -> Self:
        """From a world.FactoryRecord (the sandbox-world format, also the HTTP answers')."""
        return cls(
            factory_no=record.factory_no,
            factory_no_old=record.factory_no_old,
            name_th=record.name_th,
            operator_id=record.operator_id,
            licence=record.licence,
            factory_class=record.factory_class,
            category=record.category,
            horsepower=record.horsepower,
            workers=record.workers,
            status=record.status,
            operation_started_on=record.operation_started_on,
            licensed_on=record.licensed_on,
            address=dict(record.address),
            supervisor=record.supervisor,
            latitude=record.latitude,
            longitude=record.longitude,
            changed_at=record.updated_at,
        )


@dataclass(frozen=True)
class FactoryChanges:
    """One page of the registry's factories in order of last change, then factory number.

    Every factory carries `changed_at`. `more` is true when factories follow this page: ask
    again after the last one's (changed_at, factory_no)."""

    factories: list[Factory]
    more: bool


class FactoryRegistry(Protocol):
    def factories_of(self, operator_id: str) -> list[Factory]:
        """Every factory DIW lists for this operator, whatever its status; [] for none."""

    def lookup(self, factory_no: str) -> Factory | None:
        """The factory with this number, or None when DIW knows none."""

    def changes(
        self, *, since: dt.datetime | None, after_factory_no: str = "", limit: int = 1000
    ) -> FactoryChanges:
        """The bulk listing the mirror is kept by: at most `limit` factories (whatever their
        status) changed after the position (since, after_factory_no), in order of (changed_at,
        factory_no); since None starts from the beginning. Incremental by last change and
        paged: a caller resumes from the last factory it stored."""


def factory_registry() -> FactoryRegistry:
    return adapter_for(
        "diw",
        sandbox="portal.registries.sandbox.SandboxFactoryRegistry",
        http="portal.registries.http.HttpFactoryRegistry",
    )

"""Ports to DBD, the Department of Business Development: juristic persons under the Civil and
Commercial Code with their directors (BIZ-04, BIZ-05), and sole proprietors' commercial
registrations (BIZ-03). Both answer to the failure switch "dbd"."""

import datetime as dt
from dataclasses import dataclass, field
from typing import Protocol, Self

from portal.registries.base import RegistryUnavailable, adapter_for

__all__ = [
    "CommercialRegistration",
    "CommercialRegistry",
    "Director",
    "JuristicPerson",
    "JuristicPersonRegistry",
    "RegistryUnavailable",
    "active_first",
    "commercial_registry",
    "juristic_person_registry",
]


@dataclass(frozen=True)
class Director:
    """A director as DBD lists them: a Thai with a national ID, or a foreigner with a passport."""

    pid: str | None
    passport_no: str | None
    name_th: str
    name_en: str
    nationality: str  # ISO 3166 alpha-2, upper case
    can_sign: bool

    @classmethod
    def from_record(cls, record) -> Self:
        """From a world.DirectorRecord (the sandbox-world format, also the HTTP answers')."""
        return cls(
            pid=record.pid,
            passport_no=record.passport_no,
            name_th=record.name_th,
            name_en=record.name_en,
            nationality=record.nationality,
            can_sign=record.can_sign,
        )

    @property
    def is_thai(self) -> bool:
        """A Thai director, whose national ID verifies the company (BIZ-04)."""
        return self.nationality == "TH" and bool(self.pid)


@dataclass(frozen=True)
class JuristicPerson:
    juristic_id: str
    kind: str  # company_limited, public_company_limited, limited_partnership ...
    name_th: str
    name_en: str
    previous_names_th: tuple[str, ...]
    registered_on: dt.date | None
    status: str  # active, dissolved, closed
    capital_baht: int | None
    objective: str  # the objectives at registration, not the latest financial statement
    address: dict = field(default_factory=dict)
    directors: tuple[Director, ...] = ()

    @classmethod
    def from_record(cls, record) -> Self:
        """From a world.JuristicPersonRecord."""
        return cls(
            juristic_id=record.juristic_id,
            kind=record.kind,
            name_th=record.name_th,
            name_en=record.name_en,
            previous_names_th=tuple(record.previous_names_th),
            registered_on=record.registered_on,
            status=record.status,
            capital_baht=record.capital_baht,
            objective=record.objective,
            address=dict(record.address),
            directors=tuple(Director.from_record(d) for d in record.directors),
        )

    @property
    def thai_directors(self) -> tuple[Director, ...]:
        return tuple(d for d in self.directors if d.is_thai)

    @property
    def only_foreign_directors(self) -> bool:
        """No Thai director to verify with: the company is verified by document (BIZ-05)."""
        return not self.thai_directors


@dataclass(frozen=True)
class CommercialRegistration:
    """A sole proprietor's trade name (BIZ-03)."""

    registration_no: str
    owner_pid: str
    trade_name_th: str
    status: str  # active, cancelled

    @classmethod
    def from_record(cls, record) -> Self:
        """From a world.CommercialRegistrationRecord."""
        return cls(
            registration_no=record.registration_no,
            owner_pid=record.owner_pid,
            trade_name_th=record.trade_name_th,
            status=record.status,
        )


class JuristicPersonRegistry(Protocol):
    def lookup(self, juristic_id: str) -> JuristicPerson | None:
        """The juristic person with this ID and its directors, or None when DBD knows none."""


class CommercialRegistry(Protocol):
    def registrations_of(self, owner_pid: str) -> list[CommercialRegistration]:
        """The commercial registrations this person owns, active ones first; [] for none."""


def active_first(registrations) -> list[CommercialRegistration]:
    """Active registrations before cancelled ones, each group by registration number."""
    return sorted(registrations, key=lambda r: (r.status != "active", r.registration_no))


def juristic_person_registry() -> JuristicPersonRegistry:
    return adapter_for(
        "dbd",
        sandbox="portal.registries.sandbox.SandboxJuristicPersonRegistry",
        http="portal.registries.http.HttpJuristicPersonRegistry",
    )


def commercial_registry() -> CommercialRegistry:
    return adapter_for(
        "dbd",
        sandbox="portal.registries.sandbox.SandboxCommercialRegistry",
        http="portal.registries.http.HttpCommercialRegistry",
    )

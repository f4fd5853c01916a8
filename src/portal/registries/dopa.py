"""Port to DOPA, the civil registry: citizens and the laser codes of their ID cards."""

import datetime as dt
from dataclasses import dataclass, field
from typing import Protocol

from portal.registries.base import RegistryUnavailable, adapter_for

__all__ = [
    "THAI",
    "CardCheck",
    "Citizen",
    "CitizenRegistry",
    "RegistryUnavailable",
    "citizen_registry",
]

THAI = "TH"


@dataclass(frozen=True)
class Citizen:
    pid: str
    title_th: str
    first_name_th: str
    last_name_th: str
    first_name_en: str
    last_name_en: str
    birth_year_be: int
    birth_month: int | None
    birth_day: int | None
    alive: bool
    card_status: str  # active, expired, lost, revoked
    card_expiry: dt.date | None
    middle_name_th: str = ""
    address: dict = field(default_factory=dict)
    # ACC-01: the nationality the civil registry records (ISO 3166 alpha-2). Non-Thai residents
    # hold 13-digit IDs too; only "TH" may register. "" means not known (a ThaID proof that
    # did not carry it: ask the registry).
    nationality: str = THAI

    @property
    def is_thai(self) -> bool:
        return self.nationality == THAI


@dataclass(frozen=True)
class CardCheck:
    """The result of checking an ID card's laser code (back of the card)."""

    matches: bool  # the laser code belongs to this ID
    current: bool  # the card is active and not past its expiry
    card_status: str


class CitizenRegistry(Protocol):
    def lookup(self, pid: str) -> Citizen | None:
        """The citizen with this ID, or None when DOPA knows nobody by it."""

    def check_card(self, pid: str, laser_code: str) -> CardCheck:
        """Whether this laser code is on this person's card, and whether that card is current."""


def citizen_registry() -> CitizenRegistry:
    return adapter_for(
        "dopa",
        sandbox="portal.registries.sandbox.SandboxCitizenRegistry",
        http="portal.registries.http.HttpCitizenRegistry",
    )

"""Port to RD, the Revenue Department: taxpayers that are juristic persons under other laws
(government agencies, state enterprises, cooperatives, farmer groups ...; BIZ-06, SSO-02), with
tax IDs beginning with 0994 and their branches. Answers to the failure switch "rd"."""

from dataclasses import dataclass
from typing import Protocol, Self

from portal.registries.base import RegistryUnavailable, adapter_for

__all__ = [
    "HEAD_OFFICE",
    "RegistryUnavailable",
    "Taxpayer",
    "TaxpayerRegistry",
    "normalize_branch",
    "taxpayer_registry",
]

HEAD_OFFICE = "00000"


@dataclass(frozen=True)
class Taxpayer:
    """One branch of a taxpayer; branch "00000" is the head office."""

    tax_id: str
    kind: str  # government_agency, state_enterprise, cooperative, farmer_group, foundation, other
    name_th: str
    name_en: str
    branch: str = HEAD_OFFICE

    @classmethod
    def from_record(cls, record) -> Self:
        """From a world.TaxpayerRecord (the sandbox-world format, also the HTTP answers')."""
        return cls(
            tax_id=record.tax_id,
            kind=record.kind,
            name_th=record.name_th,
            name_en=record.name_en,
            branch=record.branch,
        )

    @property
    def is_head_office(self) -> bool:
        return self.branch == HEAD_OFFICE


class TaxpayerRegistry(Protocol):
    def lookup(self, tax_id: str, branch: str = HEAD_OFFICE) -> Taxpayer | None:
        """This branch of the taxpayer (the head office unless told), or None when unknown."""

    def branches(self, tax_id: str) -> list[Taxpayer]:
        """Every branch RD lists for this tax ID, head office first; [] when unknown."""


def normalize_branch(branch: str | None) -> str:
    """Branch numbers are 5 digits; people type "1" or "0001" for "00001", nothing for the head
    office."""
    branch = (branch or "").strip()
    if not branch:
        return HEAD_OFFICE
    return branch.zfill(5) if branch.isdigit() else branch


def taxpayer_registry() -> TaxpayerRegistry:
    return adapter_for(
        "rd",
        sandbox="portal.registries.sandbox.SandboxTaxpayerRegistry",
        http="portal.registries.http.HttpTaxpayerRegistry",
    )

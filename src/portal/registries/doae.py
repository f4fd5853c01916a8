"""Port to DOAE, the Department of Agricultural Extension: community enterprises and the
citizens registered to act for them (BIZ-07). Answers to the failure switch "doae"."""

from dataclasses import dataclass
from typing import Protocol, Self

from portal.registries.base import RegistryUnavailable, adapter_for

__all__ = [
    "CommunityEnterprise",
    "CommunityEnterpriseRegistry",
    "RegistryUnavailable",
    "community_enterprise_registry",
]


@dataclass(frozen=True)
class CommunityEnterprise:
    registration_no: str  # DOAE's registration code, e.g. 1-50-01-01/1-0001
    name_th: str
    representative_pid: str
    is_juristic: bool  # registered as a juristic person too: then it is added as BIZ-04

    @classmethod
    def from_record(cls, record) -> Self:
        """From a world.CommunityEnterpriseRecord (the sandbox-world format, also the HTTP
        answers')."""
        return cls(
            registration_no=record.registration_no,
            name_th=record.name_th,
            representative_pid=record.representative_pid,
            is_juristic=record.is_juristic,
        )


class CommunityEnterpriseRegistry(Protocol):
    def represented_by(self, pid: str) -> list[CommunityEnterprise]:
        """The community enterprises this citizen is registered to act for; [] for none."""

    def lookup(self, registration_no: str) -> CommunityEnterprise | None:
        """The community enterprise with this registration code, or None when DOAE knows none."""


def community_enterprise_registry() -> CommunityEnterpriseRegistry:
    return adapter_for(
        "doae",
        sandbox="portal.registries.sandbox.SandboxCommunityEnterpriseRegistry",
        http="portal.registries.http.HttpCommunityEnterpriseRegistry",
    )

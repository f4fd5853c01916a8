"""Sandbox adapters: the registries' ports answered from the sandbox world (world.py).

Each adapter first acts out its registry's failure switch (failures.py), so that demos and
tests see outages and timeouts exactly where the HTTP adapters would raise them.
"""

import bisect
import datetime as dt
import re
import threading
from dataclasses import replace
from pathlib import Path

from django.utils import timezone

from portal.core.thaiid import normalize_pid
from portal.registries.dbd import CommercialRegistration, JuristicPerson, active_first
from portal.registries.diw import CHANGES_PAGE_MAX, Factory, FactoryChanges
from portal.registries.doae import CommunityEnterprise
from portal.registries.dopa import CardCheck, Citizen
from portal.registries.failures import failure_apply
from portal.registries.rd import HEAD_OFFICE, Taxpayer, normalize_branch
from portal.registries.world import FACTORIES, CitizenRecord, World, current_world

__all__ = [
    "SandboxCitizenRegistry",
    "SandboxCommercialRegistry",
    "SandboxCommunityEnterpriseRegistry",
    "SandboxFactoryRegistry",
    "SandboxJuristicPersonRegistry",
    "SandboxTaxpayerRegistry",
    "card_is_current",
    "laser_codes_match",
]

_LASER_CODE_NOISE = re.compile(r"[\s\-]")


def _normalize_laser_code(code: str) -> str:
    return _LASER_CODE_NOISE.sub("", code or "").upper()


def laser_codes_match(typed: str, on_card: str) -> bool:
    """People type laser codes as they read them: any case, with or without dashes and spaces."""
    on_card = _normalize_laser_code(on_card)
    return bool(on_card) and _normalize_laser_code(typed) == on_card


def card_is_current(record: CitizenRecord) -> bool:
    """Active and not past its expiry. A card without an expiry is a lifetime card (issued at
    70 and over), current while active."""
    if record.card_status != "active":
        return False
    return record.card_expiry is None or record.card_expiry >= timezone.localdate()


class _SandboxRegistry:
    registry = ""  # the failure switch this adapter answers to

    def _world(self) -> World:
        """The world, once this registry's failure switch has acted: every call goes through
        here, so that no answer escapes an outage or a timeout."""
        failure_apply(self.registry)
        return current_world()


class SandboxCitizenRegistry(_SandboxRegistry):
    """DOPA's civil registry and ID cards, from the world's citizens.jsonl."""

    registry = "dopa"

    def lookup(self, pid: str) -> Citizen | None:
        record = self._world().citizen(normalize_pid(pid))
        return record.to_citizen() if record else None

    def check_card(self, pid: str, laser_code: str) -> CardCheck:
        record = self._world().citizen(normalize_pid(pid))
        if record is None or not laser_codes_match(laser_code, record.laser_code):
            # Someone who does not hold the card learns nothing about it (lost, revoked ...).
            return CardCheck(matches=False, current=False, card_status="")
        return CardCheck(
            matches=True, current=card_is_current(record), card_status=record.card_status
        )


class SandboxJuristicPersonRegistry(_SandboxRegistry):
    """DBD's juristic persons and their directors, from the world's juristic_persons.jsonl."""

    registry = "dbd"

    def lookup(self, juristic_id: str) -> JuristicPerson | None:
        record = self._world().juristic_person(normalize_pid(juristic_id))
        return JuristicPerson.from_record(record) if record else None


class SandboxCommercialRegistry(_SandboxRegistry):
    """DBD's commercial registrations, from the world's commercial_registrations.jsonl."""

    registry = "dbd"

    def registrations_of(self, owner_pid: str) -> list[CommercialRegistration]:
        records = self._world().commercial_registrations_of(normalize_pid(owner_pid))
        return active_first(CommercialRegistration.from_record(r) for r in records)


class SandboxTaxpayerRegistry(_SandboxRegistry):
    """RD's taxpayers and their branches, from the world's taxpayers.jsonl."""

    registry = "rd"

    def lookup(self, tax_id: str, branch: str = HEAD_OFFICE) -> Taxpayer | None:
        record = self._world().taxpayer(normalize_pid(tax_id), normalize_branch(branch))
        return Taxpayer.from_record(record) if record else None

    def branches(self, tax_id: str) -> list[Taxpayer]:
        records = self._world().taxpayer_branches(normalize_pid(tax_id))
        return [Taxpayer.from_record(r) for r in records]


class SandboxCommunityEnterpriseRegistry(_SandboxRegistry):
    """DOAE's community enterprises, from the world's community_enterprises.jsonl."""

    registry = "doae"

    def represented_by(self, pid: str) -> list[CommunityEnterprise]:
        records = self._world().community_enterprises_of(normalize_pid(pid))
        return [CommunityEnterprise.from_record(r) for r in records]

    def lookup(self, registration_no: str) -> CommunityEnterprise | None:
        # DOAE codes keep their dashes and slashes (1-50-01-01/1-0001): only the edges are trimmed.
        record = self._world().community_enterprises.get((registration_no or "").strip())
        return CommunityEnterprise.from_record(record) if record else None


class SandboxFactoryRegistry(_SandboxRegistry):
    """DIW's factory registry, from the world's factories.jsonl."""

    registry = "diw"

    def factories_of(self, operator_id: str) -> list[Factory]:
        records = self._world().factories_of(normalize_pid(operator_id))
        return [Factory.from_record(r) for r in records]

    def lookup(self, factory_no: str) -> Factory | None:
        record = self._world().factory(normalize_pid(factory_no))
        return Factory.from_record(record) if record else None

    def changes(
        self, *, since: dt.datetime | None, after_factory_no: str = "", limit: int = 1000
    ) -> FactoryChanges:
        keys, records = _factories_by_change(self._world())
        start = 0 if since is None else bisect.bisect_right(keys, (since, after_factory_no))
        limit = max(1, min(limit, CHANGES_PAGE_MAX))
        page = records[start : start + limit]
        return FactoryChanges(
            factories=[
                replace(Factory.from_record(record), changed_at=key[0])
                for key, record in zip(keys[start : start + limit], page, strict=True)
            ],
            more=start + limit < len(records),
        )


_by_change_lock = threading.Lock()
_by_change: tuple[World, list, list] | None = None


def _factories_by_change(world: World) -> tuple[list, list]:
    """The world's factories sorted by (change time, number), with those keys; sorted once per
    loaded world. A record without `updated_at` changed when its file was last written."""
    global _by_change
    cached = _by_change
    if cached is not None and cached[0] is world:
        return cached[1], cached[2]
    with _by_change_lock:
        try:
            mtime = (Path(world.directory) / FACTORIES).stat().st_mtime
        except FileNotFoundError:
            mtime = 0.0
        written = dt.datetime.fromtimestamp(mtime, tz=dt.UTC)
        pairs = sorted(
            ((r.updated_at or written, r.factory_no), r) for r in world.factories.values()
        )
        keys, records = [p[0] for p in pairs], [p[1] for p in pairs]
        _by_change = (world, keys, records)
        return keys, records

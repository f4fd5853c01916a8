"""Sandbox adapters: the registries' ports answered from the sandbox world (world.py).

Each adapter first acts out its registry's failure switch (failures.py), so that demos and
tests see outages and timeouts exactly where the HTTP adapters would raise them.
"""

import re

from django.utils import timezone

from portal.core.thaiid import normalize_pid
from portal.registries.dopa import CardCheck, Citizen
from portal.registries.failures import failure_apply
from portal.registries.world import CitizenRecord, current_world

__all__ = ["SandboxCitizenRegistry", "card_is_current", "laser_codes_match"]

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


class SandboxCitizenRegistry:
    """DOPA's civil registry and ID cards, from the world's citizens.jsonl."""

    registry = "dopa"

    def lookup(self, pid: str) -> Citizen | None:
        failure_apply(self.registry)
        record = current_world().citizen(normalize_pid(pid))
        return record.to_citizen() if record else None

    def check_card(self, pid: str, laser_code: str) -> CardCheck:
        failure_apply(self.registry)
        record = current_world().citizen(normalize_pid(pid))
        if record is None or not laser_codes_match(laser_code, record.laser_code):
            # Someone who does not hold the card learns nothing about it (lost, revoked ...).
            return CardCheck(matches=False, current=False, card_status="")
        return CardCheck(
            matches=True, current=card_is_current(record), card_status=record.card_status
        )

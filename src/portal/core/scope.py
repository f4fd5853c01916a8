"""Officer scope (ADM-01, ADM-02): which agency and area answer for which queue, and the one
check every queue and every deciding service makes. Views, services and selectors all ask
here; nothing else decides what an officer may see or decide.

Which agency owns which queue (docs/decisions.md, "Officer scope"):
- business verifications and holder removals: the customer registry is the Office of the
  Permanent Secretary's (OPS), nationwide; a provincial industry office (PIO) shares the
  cases of businesses registered in its province (a business with no registered province,
  one added by document, is OPS's alone);
- member requests (reopen, name change) and 2FA resets: OPS, nationwide (a person has no
  area the portal knows).
- bills (BILL-05, ADM-01, ADM-02): the provincial industry office of the factory's province,
  which issues and collects the fees of the factories it supervises (BILL-02), and OPS,
  nationwide, which runs the portal's billing;
- fee tables (BILL-01): DIW, which keeps the Factory Act's fee regulations, and OPS; both
  nationwide (a fee table has no area).
IEAT and TISI officers own none of these queues today.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from portal.core.acting import Acting, OfficerScope

__all__ = [
    "Queue",
    "area_of",
    "officer_queues",
    "officer_refusal",
    "refusal_message",
    "sees_queue",
]


class Queue(StrEnum):
    BUSINESS_VERIFICATIONS = "business_verifications"
    HOLDER_REMOVALS = "holder_removals"
    MEMBER_REQUESTS = "member_requests"
    TWO_FACTOR_RESETS = "two_factor_resets"
    BILLS = "bills"
    FEE_TABLES = "fee_tables"


NATIONWIDE = "*"
# queue -> {agency: NATIONWIDE, or "province" for the officer's own province}
QUEUE_OWNERS: dict[Queue, dict[str, str]] = {
    Queue.BUSINESS_VERIFICATIONS: {"OPS": NATIONWIDE, "PIO": "province"},
    Queue.HOLDER_REMOVALS: {"OPS": NATIONWIDE, "PIO": "province"},
    Queue.MEMBER_REQUESTS: {"OPS": NATIONWIDE},
    Queue.TWO_FACTOR_RESETS: {"OPS": NATIONWIDE},
    Queue.BILLS: {"OPS": NATIONWIDE, "PIO": "province"},
    Queue.FEE_TABLES: {"DIW": NATIONWIDE, "OPS": NATIONWIDE},
}


def sees_queue(officer: OfficerScope | None, queue: Queue) -> bool:
    if officer is None or officer.agency not in QUEUE_OWNERS[queue]:
        return False
    # A provincial office without a province set answers for nowhere.
    return QUEUE_OWNERS[queue][officer.agency] == NATIONWIDE or bool(officer.province)


def officer_queues(officer: OfficerScope | None) -> set[Queue]:
    return {queue for queue in Queue if sees_queue(officer, queue)}


def area_of(officer: OfficerScope, queue: Queue) -> str | None:
    """The province the officer's cases of this queue must be in; None: every province.
    Only meaningful when sees_queue() is true."""
    return None if QUEUE_OWNERS[queue][officer.agency] == NATIONWIDE else officer.province


def officer_refusal(
    acting: Acting,
    queue: Queue,
    *,
    province: str = "",
    concerned_member_ids: Iterable[int | None] = (),
) -> str | None:
    """Why this officer may not decide this case, or None when they may.

    "not_officer": not an active officer; "two_factor": a web session that did not pass a
    second factor; "queue": their agency does not own the queue; "area": the case is outside
    their province; "own_case": they are the member the case is about, or who filed it."""
    officer = acting.officer
    if officer is None:
        return "not_officer"
    if acting.channel == "web" and not acting.two_factor:
        return "two_factor"
    if not sees_queue(officer, queue):
        return "queue"
    area = area_of(officer, queue)
    if area is not None and province != area:
        return "area"
    if officer.member_id in set(concerned_member_ids):
        return "own_case"
    return None


REFUSALS = {
    "not_officer": _("Only an officer may decide this."),
    "two_factor": _("Log in with two-factor authentication to decide cases."),
    "queue": _("This case is not in your agency's queues."),
    "area": _("This case is outside your province."),
    "own_case": _("This case is about you: another officer must decide it."),
}


def refusal_message(code: str) -> str:
    return str(REFUSALS[code])

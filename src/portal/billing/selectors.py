"""Billing's reads: fee tables in force, a bill run's progress, bill lists by factory and by
province (ADM-01)."""

import datetime as dt

from django.db.models import QuerySet

from portal.billing.fees import Tier
from portal.billing.models import (
    Bill,
    BillRun,
    DiwFactory,
    FactorySyncRun,
    FeeTable,
    ReconciliationIssue,
)
from portal.core.acting import Acting
from portal.core.scope import Queue, area_of, sees_queue

__all__ = [
    "bill_kind_choices",
    "bill_of_officer",
    "bill_run_progress",
    "bill_state_choices",
    "bill_to_pay",
    "bills_of_factory",
    "bills_of_officer",
    "factory_of_officer",
    "factory_sync_may",
    "factory_sync_runs",
    "factory_sync_status",
    "fee_table_by_id",
    "fee_table_in_force",
    "fee_table_tiers",
    "fee_tables_all",
    "mirror_factory",
    "reconciliation_issue_for_officer",
    "reconciliation_issues",
]


def fee_table_in_force(code: str, on: dt.date) -> FeeTable | None:
    """BILL-01: the table of this code in force on that day: the latest to take effect by
    then that no later version replaced; None when there is none."""
    return (
        FeeTable.objects.filter(code=code, effective_from__lte=on, superseded_by__isnull=True)
        .order_by("-effective_from", "-pk")
        .first()
    )


def fee_table_tiers(table: FeeTable) -> list[Tier]:
    return [
        Tier(
            amount_satang=t.amount_satang,
            from_hp=t.from_hp,
            below_hp=t.below_hp,
            no_machinery=t.no_machinery,
        )
        for t in table.tiers.order_by("position")
    ]


def mirror_factory(factory_no: str) -> DiwFactory | None:
    return DiwFactory.objects.filter(factory_no=factory_no).first()


def bill_run_progress(*, acting: Acting, run_id: int) -> dict | None:
    """The progress of a run, for the officer who started it (None for anybody else)."""
    run = BillRun.objects.filter(pk=run_id).first()
    if run is None or acting.actor_id is None or run.started_by_id != acting.actor_id:
        return None
    return {
        "state": run.state,
        "state_label": run.get_state_display(),
        "run_on": run.run_on,
        "due_from": run.first_due_on,
        "due_until": run.last_due_on,
        "total": run.total,
        "processed": run.processed,
        "created": run.created,
        "percent": 100 if run.total == 0 else min(100, run.processed * 100 // run.total),
        "error": run.error,
        "finished_at": run.finished_at,
    }


def factory_sync_status() -> FactorySyncRun | None:
    """The latest sync of the mirror: its state, counts, cursor and error."""
    return FactorySyncRun.objects.order_by("-pk").first()


# Who may follow the DIW mirror's sync (docs/decisions.md, "The DIW mirror's sync page"): the
# mirror is national data, so an officer who sees it sees every run; DIW (whose registry it
# is), OPS (which runs the portal's billing) and the provincial offices (which bill from it)
# follow it; only the nationwide agencies start a run by hand (it runs hourly by itself).
SYNC_VIEW_PERMISSION = "billing.view_factorysyncrun"
SYNC_START_PERMISSION = "billing.add_factorysyncrun"
SYNC_VIEWERS = frozenset({"DIW", "OPS", "PIO"})
SYNC_STARTERS = frozenset({"DIW", "OPS"})


def factory_sync_may(acting: Acting, *, start: bool = False) -> bool:
    """Whether this officer may see the mirror's sync runs, or (start) start one."""
    officer = acting.officer
    if officer is None or acting.actor is None:
        return False
    if acting.channel == "web" and not acting.two_factor:
        return False
    if officer.agency not in (SYNC_STARTERS if start else SYNC_VIEWERS):
        return False
    if officer.agency == "PIO" and not officer.province:
        return False  # a provincial office without a province answers for nothing
    return acting.actor.has_perm(SYNC_START_PERMISSION if start else SYNC_VIEW_PERMISSION)


def factory_sync_runs(*, acting: Acting) -> QuerySet[FactorySyncRun]:
    """The mirror's sync runs, newest first, for an officer who may see them (none
    otherwise)."""
    if not factory_sync_may(acting):
        return FactorySyncRun.objects.none()
    return FactorySyncRun.objects.order_by("-started_at", "-pk")


def bills_of_factory(factory_no: str, *, open_only: bool = False) -> QuerySet[Bill]:
    """A factory's bills, newest due first; open_only: the bill tab (BILL-06)."""
    rows = Bill.objects.filter(factory__factory_no=factory_no)
    if open_only:
        rows = rows.filter(state=Bill.State.AWAITING_PAYMENT)
    return rows.order_by("-due_on", "-pk")


def bills_of_officer(
    *,
    acting: Acting,
    state: str | None = None,
    due_from: dt.date | None = None,
    due_until: dt.date | None = None,
) -> QuerySet[Bill]:
    """ADM-01: the bills an officer sees: their province's for a provincial office,
    every province's for OPS, none for anybody else; by due date. The factory comes in the
    same query (the officers' list shows its number and name)."""
    officer = acting.officer
    if not sees_queue(officer, Queue.BILLS):
        return Bill.objects.none()
    rows = Bill.objects.select_related("factory")
    province = area_of(officer, Queue.BILLS)
    if province is not None:
        rows = rows.filter(province=province)
    if state:
        rows = rows.filter(state=state)
    if due_from:
        rows = rows.filter(due_on__gte=due_from)
    if due_until:
        rows = rows.filter(due_on__lte=due_until)
    return rows.order_by("due_on", "pk")


def bill_of_officer(*, acting: Acting, bill_id: int) -> Bill | None:
    """One bill the officer sees (ADM-01), None otherwise (the page answers 404)."""
    return (
        bills_of_officer(acting=acting)
        .select_related("issued_by", "reissue_of")
        .filter(pk=bill_id)
        .first()
    )


def factory_of_officer(*, acting: Acting, factory_no: str) -> DiwFactory | None:
    """A factory of the mirror the officer may bill: in their province for a provincial
    office, anywhere for OPS (ADM-01); None otherwise, as if it did not exist."""
    officer = acting.officer
    if not sees_queue(officer, Queue.BILLS):
        return None
    rows = DiwFactory.objects.filter(factory_no=factory_no)
    province = area_of(officer, Queue.BILLS)
    if province is not None:
        rows = rows.filter(province=province)
    return rows.first()


def bill_kind_choices() -> list[tuple[str, str]]:
    return list(Bill.Kind.choices)


def bill_state_choices() -> list[tuple[str, str]]:
    return list(Bill.State.choices)


def fee_tables_all() -> QuerySet[FeeTable]:
    """Every version of every fee table (BILL-01), by code, newest first: tables are national,
    so every officer who keeps them sees them all."""
    return FeeTable.objects.order_by("code", "-effective_from", "-pk")


def fee_table_by_id(table_id: int) -> FeeTable | None:
    return FeeTable.objects.filter(pk=table_id).first()


def bill_to_pay(ref1: str, ref2: str = "") -> dict | None:
    """What a bank shows a payer who keys or scans these references (BILL-07, the sandbox
    bank): the bill's amount, state and due date; None when no bill has them."""
    bill = Bill.objects.filter(ref1=ref1).first()
    if bill is None or (ref2 and ref2 != bill.ref2):
        return None
    return {
        "ref1": bill.ref1,
        "ref2": bill.ref2,
        "amount_satang": bill.amount_satang,
        "state": bill.state,
        "state_label": bill.get_state_display(),
        "due_on": bill.due_on,
    }


def reconciliation_issues(*, acting: Acting, open_only: bool = True) -> QuerySet:
    """BILL-08, ADM-01: the late payments and reconciliation mismatches an officer resolves:
    their province's for a provincial office, every one for OPS (references naming no bill,
    which have no province, too); none for anybody else."""
    officer = acting.officer
    if not sees_queue(officer, Queue.BILLS):
        return ReconciliationIssue.objects.none()
    rows = ReconciliationIssue.objects.select_related("bill", "payment")
    province = area_of(officer, Queue.BILLS)
    if province is not None:
        rows = rows.filter(province=province)
    if open_only:
        rows = rows.filter(state=ReconciliationIssue.State.OPEN)
    return rows.order_by("created_at", "pk")


def reconciliation_issue_for_officer(*, acting: Acting, issue_id: int):
    """One issue of the officer's queue, None when outside it (ADM-01: a 404)."""
    return reconciliation_issues(acting=acting, open_only=False).filter(pk=issue_id).first()


def reconciliation_resolution_choices() -> list[tuple[str, str]]:
    return list(ReconciliationIssue.Resolution.choices)

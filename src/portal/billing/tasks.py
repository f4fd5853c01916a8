"""Billing's background work: the annual bill run (BILL-02) as a django.tasks task.

Its only argument is the run's id; the run row holds its window, progress and cursor, so a task
delivered twice, or again after its worker was killed, goes on where the run stands."""

import datetime as dt

from django.db import transaction
from django.tasks import task

from portal.billing.models import BillRun, FactorySyncRun
from portal.billing.services import (
    bill_run_execute,
    bill_run_request,
    factories_sync,
    factory_sync_request,
)
from portal.core.acting import Acting

__all__ = [
    "bill_run_request_queued",
    "bill_run_task",
    "factory_sync_request_queued",
    "factory_sync_task",
    "queue_bill_run",
]


@task
def bill_run_task(run_id: int) -> int:
    """Run (or resume) one bill run; returns how many bills it has created."""
    return bill_run_execute(run_id).created


def queue_bill_run(*, run_id: int) -> None:
    """Queue the run once the caller's transaction commits (at once outside one)."""
    transaction.on_commit(lambda: bill_run_task.enqueue(run_id))


def bill_run_request_queued(*, acting: Acting, run_on: dt.date | None = None) -> BillRun:
    """An officer starts the day's run (services.bill_run_request) and it is queued."""
    with transaction.atomic():
        run = bill_run_request(acting=acting, run_on=run_on)
        queue_bill_run(run_id=run.pk)
    return run


@task
def factory_sync_task(run_id: int) -> str:
    """Go on with the mirror's running sync (the one an officer started: there is one running
    run at most) to its end; returns its state. run_id names it in the task's record."""
    run = factories_sync()
    return run.state if run is not None else FactorySyncRun.State.RUNNING


def factory_sync_request_queued(*, acting: Acting) -> FactorySyncRun:
    """An officer starts a sync of the DIW mirror (services.factory_sync_request); it runs as
    a background task once the run is committed."""
    with transaction.atomic():
        run = factory_sync_request(acting=acting)
        transaction.on_commit(lambda: factory_sync_task.enqueue(run.pk))
    return run

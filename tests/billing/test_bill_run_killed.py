"""BILL-02: the bill run killed with SIGKILL in the middle (a power cut, the OOM killer) and
run again, or two runs at once: every factory billed exactly once."""

import datetime as dt
import threading

import pytest
from django.core.management import call_command
from django.db import connection

from portal.billing.models import Bill, BillRun
from portal.billing.services import bill_run_execute, bill_run_start
from portal.core.models import AuditEntry
from tests.registries.test_task_workers import kill_nine, start_worker, wait_for, worker_environment

RUN_ON = dt.date(2026, 10, 31)


@pytest.mark.django_db(transaction=True)
def test_bill_02_a_run_killed_mid_way_resumes_and_bills_every_factory_once(
    tmp_path, mirror_factory
):
    """BILL-02: chunks of 5 with a pause between them, killed after a few chunks committed;
    the next run of the day goes on from the cursor."""
    factories = [mirror_factory() for _ in range(60)]
    log = tmp_path / "bill_run.log"
    arguments = ["bill_run", "--date", RUN_ON.isoformat(), "--chunk-size", "5", "--pause", "0.2"]
    process = start_worker(arguments, worker_environment(), log)
    try:
        wait_for(
            lambda: BillRun.objects.filter(processed__gte=15).exists(),
            seconds=60,
            what="three chunks committed",
            log=log,
        )
    finally:
        kill_nine(process)
    killed = BillRun.objects.get()
    assert killed.state == "running" and 15 <= killed.processed < 60
    assert Bill.objects.count() == killed.created == killed.processed
    assert not AuditEntry.objects.filter(target_type="billing.billrun").exists()

    call_command("bill_run", "--date", RUN_ON.isoformat(), "--chunk-size", "5")

    done = BillRun.objects.get()
    assert (done.pk, done.state, done.processed, done.created) == (killed.pk, "finished", 60, 60)
    assert sorted(Bill.objects.values_list("factory", flat=True)) == [f.pk for f in factories]
    [entry] = AuditEntry.objects.filter(target_type="billing.billrun")
    assert entry.after["bills_created"] == 60


@pytest.mark.django_db(transaction=True)
def test_bill_02_two_runs_at_once_over_overlapping_windows_bill_each_factory_once(
    mirror_factory,
):
    """BILL-02: the runs of two days started together (two workers, a late schedule and an
    officer) race over the same factories; the database's constraint keeps one bill each."""
    factories = [mirror_factory() for _ in range(40)]
    runs = [bill_run_start(run_on=RUN_ON), bill_run_start(run_on=RUN_ON + dt.timedelta(days=1))]
    errors = []

    def execute(run_id):
        try:
            bill_run_execute(run_id, chunk_size=3)
        except Exception as exc:  # reported below: a thread's exception is otherwise lost
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=execute, args=(run.pk,)) for run in runs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert sorted(Bill.objects.values_list("factory", flat=True)) == [f.pk for f in factories]
    finished = BillRun.objects.order_by("pk")
    assert [r.state for r in finished] == ["finished", "finished"]
    assert sum(r.created for r in finished) == 40

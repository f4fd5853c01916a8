"""The annual bill run (BILL-02, BILL-03): who is billed, when, for how much; exactly once
(the database's constraint), one audit row per run, progress for the officer who started it."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from portal.billing.models import Bill, BillRun
from portal.billing.selectors import bill_run_progress
from portal.billing.services import (
    BillingError,
    bill_run_execute,
    bill_run_request,
    bill_run_start,
    bills_expire,
)
from portal.core.models import AuditEntry
from tests.billing.conftest import drop_illustrative_tables

RUN_ON = dt.date(2026, 10, 31)  # the window runs to 30 November 2026


def run(day=RUN_ON, **kwargs) -> BillRun:
    return bill_run_execute(bill_run_start(run_on=day).pk, **kwargs)


@pytest.mark.django_db
def test_bill_02_a_factory_due_within_a_month_gets_one_bill_for_that_year(mirror_factory):
    """BILL-02: operation notified 30/11/2005, due 30 November; billed about a month before,
    from the illustrative table (the sandbox), which the bill remembers."""
    factory = mirror_factory(operation_started_on=dt.date(2005, 11, 30))
    finished = run()
    bill = Bill.objects.get()
    assert (bill.factory, bill.kind, bill.fee_year) == (factory, "annual", 2026)
    assert bill.due_on == dt.date(2026, 11, 30) and bill.issued_on == RUN_ON
    assert bill.state == Bill.State.AWAITING_PAYMENT
    assert bill.fee_satang == bill.amount_satang == 250_000  # 200 to 300 HP: 2,500 baht
    assert bill.illustrative and bill.fee_table_version == "annual sandbox-illustrative"
    assert bill.ref2 == factory.factory_no and len(bill.ref1) == 14 and bill.ref1.isdigit()
    assert bill.province == "ชลบุรี"
    assert timezone.localtime(bill.expires_at).isoformat() == "2026-12-01T00:00:00+07:00"
    assert (finished.state, finished.total, finished.processed, finished.created) == (
        "finished",
        1,
        1,
        1,
    )


@pytest.mark.django_db
def test_bill_02_only_due_dates_within_the_horizon_are_billed(mirror_factory, settings):
    """BILL-02: the horizon is a setting (about a month)."""
    inside = mirror_factory(operation_started_on=dt.date(2010, 11, 1))
    mirror_factory(operation_started_on=dt.date(2010, 12, 1))  # beyond the horizon
    mirror_factory(operation_started_on=dt.date(2010, 10, 30))  # already past this year
    run()
    assert list(Bill.objects.values_list("factory", flat=True)) == [inside.pk]
    settings.BILL_ISSUE_DAYS_BEFORE_DUE = 31
    run(dt.date(2026, 11, 1))
    assert Bill.objects.count() == 2


@pytest.mark.django_db
def test_bill_02_a_29_february_factory_is_billed_for_28_february_in_a_common_year(
    mirror_factory,
):
    """BILL-02"""
    leap = mirror_factory(operation_started_on=dt.date(2008, 2, 29))
    run(dt.date(2027, 2, 1))
    bill = Bill.objects.get(factory=leap)
    assert bill.due_on == dt.date(2027, 2, 28)
    run(dt.date(2028, 2, 1))
    assert Bill.objects.get(factory=leap, fee_year=2028).due_on == dt.date(2028, 2, 29)


@pytest.mark.django_db
def test_bill_02_only_operating_factories_a_provincial_office_supervises(mirror_factory):
    """BILL-02: DIW (Bangkok) and IEAT factories are not billed here, nor factories not
    started, closed or revoked; a temporarily stopped factory still owes the fee."""
    billed = mirror_factory()
    stopped = mirror_factory(status="temporarily_stopped")
    mirror_factory(supervisor="DIW", province="กรุงเทพมหานคร")
    mirror_factory(supervisor="IEAT")
    mirror_factory(status="closed")
    mirror_factory(status="revoked")
    mirror_factory(operation_started_on=None, status="not_started")
    run()
    assert set(Bill.objects.values_list("factory", flat=True)) == {billed.pk, stopped.pk}


@pytest.mark.django_db
def test_bill_03_exempt_places_and_industrial_estates_are_not_billed(mirror_factory, settings):
    """BILL-03: Narathiwat, Pattani, Yala, the Songkhla districts Chana, Thepha, Na Thawi and
    Saba Yoi; inside an IEAT industrial estate no annual fee. The places are settings."""
    for province in ("นราธิวาส", "ปัตตานี", "ยะลา"):
        mirror_factory(province=province, district="เมือง")
    for district in ("จะนะ", "เทพา", "นาทวี", "สะบ้าย้อย"):
        mirror_factory(province="สงขลา", district=district)
    mirror_factory(industrial_estate="นิคมอุตสาหกรรมอมตะซิตี้ ชลบุรี")
    hat_yai = mirror_factory(province="สงขลา", district="หาดใหญ่")
    run()
    assert list(Bill.objects.values_list("factory", flat=True)) == [hat_yai.pk]
    settings.BILL_EXEMPT_AREAS = {"สงขลา": []}
    Bill.objects.all().delete()
    run(dt.date(2026, 11, 1))
    assert Bill.objects.filter(province="สงขลา").count() == 0
    assert Bill.objects.filter(province__in=["ยะลา", "ปัตตานี", "นราธิวาส"]).count() == 3


@pytest.mark.django_db
def test_bill_02_a_second_run_adds_nothing_and_the_database_refuses_a_duplicate(mirror_factory):
    """BILL-02: exactly one annual bill per factory and year, enforced by the database."""
    factories = [mirror_factory() for _ in range(5)]
    assert run().created == 5
    again = run(dt.date(2026, 11, 2))
    assert (again.processed, again.created) == (5, 0)
    assert Bill.objects.count() == 5
    bill = Bill.objects.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Bill.objects.create(
            **{
                f.attname: getattr(bill, f.attname)
                for f in Bill._meta.concrete_fields
                if f.attname not in ("id", "ref1")
            },
            ref1="10999999999990",
        )
    assert {b.factory_id for b in Bill.objects.all()} == {f.pk for f in factories}


@pytest.mark.django_db
def test_bill_02_chunks_commit_progress_and_a_run_resumes_from_its_cursor(mirror_factory):
    """BILL-02: a run left running (its process killed) goes on from its cursor; the factories
    already done are not billed twice."""
    factories = [mirror_factory() for _ in range(7)]
    pending = bill_run_start(run_on=RUN_ON)
    # What a process killed after its second chunk of 2 leaves behind.
    first = run(chunk_size=2)
    Bill.objects.filter(factory__in=factories[4:]).delete()
    BillRun.objects.filter(pk=first.pk).update(state="running", cursor=factories[3].pk)
    assert pending.pk == first.pk
    resumed = bill_run_start(run_on=RUN_ON)
    assert resumed.pk == first.pk
    done = bill_run_execute(resumed.pk, chunk_size=2)
    assert done.state == "finished"
    assert Bill.objects.count() == 7


@pytest.mark.django_db
def test_bill_02_adm_03_a_run_is_audited_once_with_its_counts(mirror_factory):
    """BILL-02, ADM-03: one audit row for the run, not one per bill."""
    for _ in range(30):
        mirror_factory()
    finished = run(chunk_size=7)
    [entry] = AuditEntry.objects.filter(target_type="billing.billrun")
    assert entry.action == "bill_run.finished" and entry.target_id == str(finished.pk)
    assert entry.after["bills_created"] == 30 and entry.after["factories"] == 30
    assert entry.after["due_from"] == "2026-10-31" and entry.after["due_until"] == "2026-11-30"
    assert not AuditEntry.objects.filter(target_type="billing.bill").exists()


@pytest.mark.django_db
def test_bill_01_a_run_from_an_incomplete_table_is_refused_and_bills_nothing(mirror_factory):
    """BILL-01: production ships only the known ends of the annual fee: no bill is guessed."""
    drop_illustrative_tables()
    mirror_factory()
    with pytest.raises(BillingError) as caught:
        run()
    assert caught.value.code == "fee_table_incomplete"
    assert "2563-known-ends" in caught.value.message
    assert not Bill.objects.exists()
    failed = BillRun.objects.get()
    assert (failed.state, failed.error) == ("failed", "fee_table_incomplete")
    assert AuditEntry.objects.get(action="bill_run.failed").after["error"] == (
        "fee_table_incomplete"
    )
    with pytest.raises(CommandError, match="2563-known-ends"):
        call_command("bill_run", "--date", "2026-11-01")


@pytest.mark.django_db
def test_bill_01_the_table_in_force_on_the_due_date_prices_it(mirror_factory, billing_officer):
    """BILL-01: tables have effective dates: a bill is priced by the one in force on its due
    date, and remembers that version."""
    from portal.billing.models import FeeTable
    from portal.billing.services import fee_table_revise

    mirror_factory(horsepower=Decimal("45000"))
    mirror_factory(horsepower=None)
    _, acting = billing_officer(agency="OPS", province="", permissions=["billing.edit_fee_table"])
    with transaction.atomic():
        fee_table_revise(
            acting=acting,
            table=FeeTable.objects.get(version="sandbox-illustrative"),
            version="2027",
            effective_from=dt.date(2026, 11, 30),
            is_complete=True,
            tiers=[
                {"no_machinery": True, "baht": "400"},
                {"from_hp": "0", "below_hp": None, "baht": "50000"},
            ],
        )
    run()
    assert sorted(Bill.objects.values_list("fee_satang", "fee_table_version")) == [
        (40_000, "annual 2027"),
        (5_000_000, "annual 2027"),
    ]
    assert not Bill.objects.filter(illustrative=True).exists()


@pytest.mark.django_db
def test_the_command_bills_and_reports(mirror_factory, capsys):
    mirror_factory()
    call_command("bill_run", "--date", RUN_ON.isoformat())
    out = capsys.readouterr().out
    assert "finished, 1 of 1 factories, 1 bills created" in out


@pytest.mark.django_db
def test_adm_01_an_ops_officer_starts_a_run_and_only_they_follow_its_progress(
    mirror_factory, billing_officer, django_capture_on_commit_callbacks
):
    """ADM-01: the run is queued (run at once by the test's immediate task backend); its
    progress is the starter's to read."""
    from portal.billing.tasks import bill_run_request_queued

    mirror_factory()
    _, acting = billing_officer(agency="OPS", province="")
    _, other_acting = billing_officer(agency="OPS", province="")
    with django_capture_on_commit_callbacks(execute=True):
        started = bill_run_request_queued(acting=acting, run_on=RUN_ON)
    progress = bill_run_progress(acting=acting, run_id=started.pk)
    assert progress["state"] == "finished" and progress["created"] == 1
    assert progress["percent"] == 100
    assert bill_run_progress(acting=other_acting, run_id=started.pk) is None
    _, pio = billing_officer(agency="PIO")
    with pytest.raises(BillingError), transaction.atomic():
        bill_run_request(acting=pio, run_on=RUN_ON)


@pytest.mark.django_db
def test_bill_06_bills_past_their_expiry_expire(mirror_factory):
    """BILL-06: a bill not paid by its expiry is expired, no longer awaiting payment."""
    mirror_factory()
    mirror_factory()
    run()
    past, future = Bill.objects.order_by("pk")
    now = timezone.now()
    Bill.objects.filter(pk=past.pk).update(expires_at=now - dt.timedelta(seconds=1))
    Bill.objects.filter(pk=future.pk).update(expires_at=now + dt.timedelta(hours=1))
    assert bills_expire() == 1
    assert Bill.objects.get(pk=past.pk).state == Bill.State.EXPIRED
    assert Bill.objects.get(pk=future.pk).state == Bill.State.AWAITING_PAYMENT


@pytest.mark.django_db
def test_bill_11_a_bill_collects_the_fee_and_its_surcharge_and_no_service_fee(mirror_factory):
    """BILL-11: the database refuses an amount other than fee plus surcharge."""
    mirror_factory()
    run()
    bill = Bill.objects.get()
    assert bill.amount_satang == bill.fee_satang + bill.surcharge_satang
    with pytest.raises(IntegrityError), transaction.atomic():
        Bill.objects.filter(pk=bill.pk).update(amount_satang=bill.amount_satang + 1_000)


@pytest.mark.django_db
def test_bill_02_the_orm_insert_other_databases_use_bills_the_same(mirror_factory, monkeypatch):
    """BILL-02: the ORM's bulk insert (the embedded SQLite's path) makes the same bills as
    PostgreSQL's INSERT ... SELECT, and also adds nothing the second time."""
    from portal.billing import services

    factories = [mirror_factory(horsepower=Decimal(n * 1000)) for n in range(5)]
    run()
    expected = sorted(
        Bill.objects.values_list("factory", "fee_satang", "due_on", "expires_at", "ref2")
    )
    Bill.objects.all().delete()
    monkeypatch.setattr(services, "_insert_bills_postgresql", services._insert_bills)
    assert run(dt.date(2026, 11, 1)).created == 5
    assert run(dt.date(2026, 11, 2)).created == 0
    got = sorted(Bill.objects.values_list("factory", "fee_satang", "due_on", "expires_at", "ref2"))
    assert got == expected and len(got) == len(factories)

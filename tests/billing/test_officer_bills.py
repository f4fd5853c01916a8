"""Officers' bills: the surcharge re-issue (BILL-04) and the other kinds of fee (BILL-05), in
the officer's scope (ADM-01), audited (ADM-03)."""

import datetime as dt
import zoneinfo
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone

from portal.billing.models import Bill
from portal.billing.services import (
    BillingError,
    bill_issue,
    bill_reissue_with_surcharge,
    bill_run_execute,
    bill_run_start,
)
from portal.core.models import AuditEntry

BANGKOK = zoneinfo.ZoneInfo("Asia/Bangkok")


@pytest.fixture
def annual_bill(mirror_factory):
    """The 2026 annual bill of a 45,000 HP factory: 43,500 baht due 30 November 2026."""
    mirror_factory(horsepower=Decimal(45_000), operation_started_on=dt.date(2005, 11, 30))
    bill_run_execute(bill_run_start(run_on=dt.date(2026, 11, 1)).pk)
    return Bill.objects.get()


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=BANGKOK)


@pytest.mark.django_db
def test_bill_04_a_late_annual_fee_is_reissued_with_5_percent_a_month_due_before_23(
    annual_bill, billing_officer
):
    """BILL-04: 2 January 2027 is two started months after 30 November 2026: 10 % of 43,500
    baht; due that same day, payable until 23:00 Bangkok time; the old bill cancelled."""
    member, acting = billing_officer()
    reissue = bill_reissue_with_surcharge(
        bill_id=annual_bill.pk, acting=acting, now=at(2027, 1, 2, 9, 30)
    )
    assert (reissue.fee_satang, reissue.surcharge_months, reissue.surcharge_satang) == (
        4_350_000,
        2,
        435_000,
    )
    assert reissue.amount_satang == 4_785_000
    assert reissue.due_on == dt.date(2027, 1, 2)
    assert timezone.localtime(reissue.expires_at) == at(2027, 1, 2, 23, 0)
    assert reissue.reissue_of == annual_bill and reissue.ref1 != annual_bill.ref1
    assert reissue.ref2 == annual_bill.ref2 and reissue.illustrative
    assert reissue.issued_by == member
    annual_bill.refresh_from_db()
    assert annual_bill.state == Bill.State.CANCELLED
    entry = AuditEntry.objects.get(action="bill.reissue_with_surcharge")
    assert entry.after["surcharge_satang"] == 435_000 and entry.before["ref1"] == annual_bill.ref1


@pytest.mark.django_db
def test_bill_04_reissuing_again_counts_from_the_first_due_date(annual_bill, billing_officer):
    """BILL-04: a re-issue not paid that day is re-issued again, from the original fee and
    due date (never a surcharge on a surcharge), the previous re-issue cancelled."""
    _, acting = billing_officer()
    first = bill_reissue_with_surcharge(
        bill_id=annual_bill.pk, acting=acting, now=at(2026, 12, 15, 10, 0)
    )
    second = bill_reissue_with_surcharge(
        bill_id=first.pk, acting=acting, now=at(2027, 3, 1, 23, 30)
    )
    # At 23:30 the bill is for the next day, 2 March: four started months.
    assert second.due_on == dt.date(2027, 3, 2) and second.surcharge_months == 4
    assert second.surcharge_satang == 870_000 and second.reissue_of == annual_bill
    first.refresh_from_db()
    assert first.state == Bill.State.CANCELLED


@pytest.mark.django_db
def test_bill_04_the_part_month_rule_is_a_setting(annual_bill, billing_officer, settings):
    """BILL-04"""
    settings.BILL_SURCHARGE_PART_MONTH = "ignored"
    _, acting = billing_officer()
    reissue = bill_reissue_with_surcharge(
        bill_id=annual_bill.pk, acting=acting, now=at(2027, 1, 2, 9, 0)
    )
    assert reissue.surcharge_months == 1 and reissue.surcharge_satang == 217_500


@pytest.mark.django_db
def test_bill_04_a_fee_not_yet_late_or_a_paid_bill_is_not_reissued(annual_bill, billing_officer):
    """BILL-04"""
    _, acting = billing_officer()
    with pytest.raises(BillingError) as caught:
        bill_reissue_with_surcharge(
            bill_id=annual_bill.pk, acting=acting, now=at(2026, 11, 30, 12, 0)
        )
    assert caught.value.code == "not_late"
    Bill.objects.filter(pk=annual_bill.pk).update(state=Bill.State.PAID)
    with pytest.raises(BillingError) as caught:
        bill_reissue_with_surcharge(bill_id=annual_bill.pk, acting=acting, now=at(2027, 1, 2, 9))
    assert caught.value.code == "closed"
    assert Bill.objects.count() == 1


@pytest.mark.django_db
def test_adm_01_an_officer_of_another_province_may_not_reissue(annual_bill, billing_officer):
    """ADM-01"""
    _, elsewhere = billing_officer(province="เชียงใหม่")
    with pytest.raises(BillingError) as caught:
        bill_reissue_with_surcharge(bill_id=annual_bill.pk, acting=elsewhere, now=at(2027, 1, 2))
    assert caught.value.code == "area"


@pytest.mark.django_db
def test_bill_05_an_officer_issues_another_kind_of_fee(mirror_factory, billing_officer):
    """BILL-05, ADM-03: a licence transfer fee, the amount typed by the officer, audited."""
    factory = mirror_factory()
    member, acting = billing_officer()
    due = timezone.localdate() + dt.timedelta(days=15)
    with transaction.atomic():
        bill = bill_issue(
            acting=acting,
            factory_no=factory.factory_no,
            kind="licence_transfer",
            due_on=due,
            amount_satang=150_000,
            period="โอนใบอนุญาต 2569",
        )
    assert (bill.kind, bill.amount_satang, bill.due_on, bill.fee_year) == (
        "licence_transfer",
        150_000,
        due,
        None,
    )
    assert bill.issued_by == member and bill.ref1.startswith("13") and not bill.illustrative
    entry = AuditEntry.objects.get(action="bill.issue")
    assert entry.actor == member and entry.after["amount_satang"] == 150_000


@pytest.mark.django_db
def test_bill_05_prm_06_a_procedure_fee_is_priced_by_its_table(mirror_factory, billing_officer):
    """BILL-05, PRM-06: the PRM-03 restart notice fee for 250.5 HP is 2,100 baht; the PRM-04
    relocation fee for 6,000 HP and more is 60,000 baht; a typed amount does not override."""
    factory = mirror_factory()
    _, acting = billing_officer()
    due = timezone.localdate() + dt.timedelta(days=7)
    restart = bill_issue(
        acting=acting,
        factory_no=factory.factory_no,
        kind="restart_notice",
        due_on=due,
        amount_satang=1,
    )
    assert restart.amount_satang == 210_000
    assert restart.fee_table_version == "restart_notice diw-manual"
    relocation = bill_issue(
        acting=acting,
        factory_no=factory.factory_no,
        kind="machinery_relocation",
        due_on=due,
        horsepower=Decimal(6_000),
    )
    assert relocation.amount_satang == 6_000_000


@pytest.mark.django_db
def test_bill_01_bill_05_a_licence_fee_from_its_incomplete_table_is_refused(
    mirror_factory, billing_officer
):
    """BILL-01, BILL-05: only the ends of the licence fee are known."""
    factory = mirror_factory()
    _, acting = billing_officer()
    with pytest.raises(BillingError) as caught:
        bill_issue(
            acting=acting,
            factory_no=factory.factory_no,
            kind="licence",
            due_on=timezone.localdate(),
        )
    assert caught.value.code == "fee_table_incomplete"


@pytest.mark.django_db
def test_bill_02_bill_03_bill_05_who_may_be_billed_by_an_officer(mirror_factory, billing_officer):
    """BILL-02: only factories a provincial office supervises; BILL-03: no licence or annual
    fee in the exempt places (other fees still are); BILL-05 officers issue the others;
    ADM-01: only in the officer's area."""
    _, pio = billing_officer()
    _, ops = billing_officer(agency="OPS", province="")
    _, pio_yala = billing_officer(province="ยะลา")
    bangkok = mirror_factory(supervisor="DIW", province="กรุงเทพมหานคร")
    yala = mirror_factory(province="ยะลา")
    due = timezone.localdate() + dt.timedelta(days=3)

    def issue(acting, factory, kind, amount=None):
        return bill_issue(
            acting=acting, factory_no=factory.factory_no, kind=kind, due_on=due,
            amount_satang=amount,
        )  # fmt: skip

    with pytest.raises(BillingError) as caught:
        issue(ops, bangkok, "expansion", 100_000)
    assert caught.value.code == "not_pio"
    with pytest.raises(BillingError) as caught:
        issue(pio, yala, "expansion", 100_000)
    assert caught.value.code == "area"
    with pytest.raises(BillingError) as caught:
        issue(pio_yala, yala, "annual")
    assert caught.value.code == "exempt"
    assert issue(pio_yala, yala, "expansion", 100_000).amount_satang == 100_000
    assert issue(ops, yala, "replacement_licence", 20_000).province == "ยะลา"


@pytest.mark.django_db
def test_bill_02_an_officer_issued_annual_bill_is_still_one_per_year(
    mirror_factory, billing_officer
):
    """BILL-02: the database's constraint refuses a second annual bill for the year."""
    today = timezone.localdate()
    factory = mirror_factory(operation_started_on=(today + dt.timedelta(days=10)).replace(2008))
    bill_run_execute(bill_run_start(run_on=today).pk)
    bill = Bill.objects.get()
    _, acting = billing_officer()
    with pytest.raises(BillingError) as caught:
        bill_issue(acting=acting, factory_no=factory.factory_no, kind="annual", due_on=bill.due_on)
    assert caught.value.code == "duplicate"
    assert Bill.objects.count() == 1


@pytest.mark.django_db
def test_bill_06_adm_01_bill_lists_by_factory_and_by_officer_area(mirror_factory, billing_officer):
    """BILL-06: a paid bill leaves the factory's open bills but stays in its list; ADM-01:
    a provincial office sees its province's bills, OPS every province's, others none."""
    from portal.billing.selectors import bills_of_factory, bills_of_officer

    chonburi = mirror_factory(operation_started_on=dt.date(2005, 11, 30))
    chiangmai = mirror_factory(province="เชียงใหม่", operation_started_on=dt.date(2005, 11, 20))
    bill_run_execute(bill_run_start(run_on=dt.date(2026, 11, 1)).pk)
    Bill.objects.filter(factory=chonburi).update(state=Bill.State.PAID)
    assert list(bills_of_factory(chonburi.factory_no, open_only=True)) == []
    assert bills_of_factory(chonburi.factory_no).count() == 1
    assert bills_of_factory(chiangmai.factory_no, open_only=True).count() == 1
    _, pio = billing_officer()
    _, ops = billing_officer(agency="OPS", province="")
    _, tisi = billing_officer(agency="TISI", province="")
    assert [b.factory for b in bills_of_officer(acting=pio)] == [chonburi]
    assert [b.factory for b in bills_of_officer(acting=ops)] == [chiangmai, chonburi]
    assert [b.factory for b in bills_of_officer(acting=ops, state="paid")] == [chonburi]
    assert list(bills_of_officer(acting=tisi)) == []

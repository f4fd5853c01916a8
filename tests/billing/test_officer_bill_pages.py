"""The officers' bill pages in the back office (issue 10): the province's bills (ADM-01), and
issuing a bill of another kind with a confirmation (BILL-05), audited (ADM-03)."""

import datetime as dt
from dataclasses import replace

import pytest
from django.utils import timezone, translation

from portal.backoffice.billing_views import tiers_from_text
from portal.billing.models import Bill, FeeTable
from portal.billing.selectors import bills_of_officer
from portal.billing.services import bill_issue
from portal.core.acting import system_acting
from portal.core.models import AuditEntry
from portal.core.money import Money
from tests.backoffice.helpers import signed_in

pytestmark = pytest.mark.django_db

RIGHTS = ("billing.view_bill", "billing.add_bill")


@pytest.fixture
def desk(robot, billing_officer):
    """A signed-in officer's client (with a second factor): desk("PIO", "ชลบุรี")."""

    def make(agency="PIO", province="ชลบุรี", permissions=RIGHTS):
        member, acting = billing_officer(agency=agency, province=province, permissions=permissions)
        return signed_in(robot, member), acting

    return make


def _ops_acting(billing_officer):
    _, acting = billing_officer(agency="OPS", province="")
    return acting


def issue(acting, factory, *, days=10, amount=150_000, kind="expansion"):
    return bill_issue(
        acting=acting,
        factory_no=factory.factory_no,
        kind=kind,
        due_on=timezone.localdate() + dt.timedelta(days=days),
        amount_satang=amount,
    )


def test_adm_01_a_provincial_office_sees_its_province_bills_only(
    desk, billing_officer, mirror_factory
):
    """ADM-01: a PIO officer's list holds its province's bills, OPS's every province's; the
    count says how many."""
    ops = _ops_acting(billing_officer)
    mine = issue(ops, mirror_factory())
    theirs = issue(ops, mirror_factory(province="ลำปาง"))
    client, _ = desk()
    page = client.get("/backoffice/bills/")
    assert [b.pk for b in page.context["rows"]] == [mine.pk]
    assert page.context["page"].paginator.count == 1
    ops_client, _ = desk(agency="OPS", province="")
    rows = ops_client.get("/backoffice/bills/").context["rows"]
    assert {b.pk for b in rows} == {mine.pk, theirs.pk}
    # Another province's bill is not there at all.
    assert client.get(f"/backoffice/bills/{theirs.pk}/").status_code == 404
    assert client.get(f"/backoffice/bills/{mine.pk}/").status_code == 200


def test_adm_01_agencies_without_the_bills_queue_get_404(desk):
    """ADM-01: DIW, IEAT and TISI do not answer for bills: the pages do not exist for them."""
    for agency in ("DIW", "IEAT", "TISI"):
        client, _ = desk(agency=agency, province="")
        assert client.get("/backoffice/bills/").status_code == 404
        assert client.get("/backoffice/bills/issue/").status_code == 404


def test_adm_01_bills_filter_by_state_and_due_date(desk, billing_officer, mirror_factory):
    """ADM-01: the list filters by state and by due date (a Buddhist-era year typed as on
    every date of the portal)."""
    ops = _ops_acting(billing_officer)
    factory = mirror_factory()
    soon, later = issue(ops, factory, days=5), issue(ops, factory, days=40)
    Bill.objects.filter(pk=later.pk).update(state=Bill.State.PAID)
    client, _ = desk()
    paid = client.get("/backoffice/bills/", {"state": "paid"}).context["rows"]
    assert [b.pk for b in paid] == [later.pk]
    cut = timezone.localdate() + dt.timedelta(days=20)
    until = {"due_until_0": cut.day, "due_until_1": cut.month, "due_until_2": cut.year + 543}
    rows = client.get("/backoffice/bills/", until).context["rows"]
    assert [b.pk for b in rows] == [soon.pk]
    since = {"due_from_0": cut.day, "due_from_1": cut.month, "due_from_2": cut.year + 543}
    page = client.get("/backoffice/bills/", since)
    assert [b.pk for b in page.context["rows"]] == [later.pk]
    assert page.context["page"].paginator.count == 1


def test_adm_01_bill_list_costs_the_same_queries_for_many_bills(
    desk, billing_officer, mirror_factory, django_assert_max_num_queries
):
    """ADM-01: the list's queries do not grow with its rows: the factory is joined, a page
    is 50."""
    ops = _ops_acting(billing_officer)
    client, _ = desk()
    issue(ops, mirror_factory())
    with django_assert_max_num_queries(12) as few:
        client.get("/backoffice/bills/")
    for _ in range(60):
        issue(ops, mirror_factory())
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get("/backoffice/bills/")
    assert len(page.context["rows"]) == 50 and page.context["page"].paginator.count == 61


def _form(factory, due, **extra):
    data = {
        "factory_no": factory.factory_no,
        "kind": "expansion",
        "period": "ขยายโรงงาน 2569",
        "due_on_0": due.day,
        "due_on_1": due.month,
        "due_on_2": due.year + 543,
        "amount": "1,500.50",
        "note": "",
    }
    data.update(extra)
    return data


def test_bill_05_an_officer_issues_a_bill_after_confirming_it(desk, mirror_factory):
    """BILL-05: the officer types the bill, sees it again, confirms; the bill is issued in
    satang, audited (ADM-03) and shown."""
    factory = mirror_factory()
    client, _ = desk()
    due = timezone.localdate() + dt.timedelta(days=15)
    confirm = client.post("/backoffice/bills/issue/", _form(factory, due))
    assert confirm.status_code == 200 and not Bill.objects.exists()
    assert "1,500.50" in confirm.content.decode()
    changed = client.post("/backoffice/bills/issue/", {**_form(factory, due), "confirm": "no"})
    assert changed.templates[0].name == "backoffice/bill_issue.html"
    assert not Bill.objects.exists()
    done = client.post("/backoffice/bills/issue/", {**_form(factory, due), "confirm": "yes"})
    bill = Bill.objects.get()
    assert done.status_code == 302 and done.url == f"/backoffice/bills/{bill.pk}/"
    assert (bill.kind, bill.amount_satang, bill.due_on) == ("expansion", 150_050, due)
    assert bill.period == "ขยายโรงงาน 2569"
    assert AuditEntry.objects.get(action="bill.issue").after["amount_satang"] == 150_050
    shown = client.get(done.url).content.decode()
    assert bill.ref1 in shown and "1,500.50" in shown


def test_bill_05_field_errors_are_in_thai(desk, mirror_factory):
    """BILL-05: a bad amount, a factory outside the province and a past due date are refused
    beside their fields, in Thai on a Thai page; nothing is issued."""
    mirror_factory()
    elsewhere = mirror_factory(province="ลำปาง")
    client, _ = desk()
    past = timezone.localdate() - dt.timedelta(days=1)
    page = client.post(
        "/backoffice/bills/issue/", {**_form(elsewhere, past, amount="12x"), "confirm": "yes"}
    )
    errors = page.context["form"].errors
    with translation.override("th"):
        assert errors["factory_no"] == [
            translation.gettext("No factory you may bill has this registration number.")
        ]
        assert errors["amount"] == [
            translation.gettext("Enter the amount in baht, for example 1,500 or 1,500.50.")
        ]
    assert all(any("\u0e00" <= c <= "\u0e7f" for c in e[0]) for e in errors.values())
    assert not Bill.objects.exists()


def test_bill_05_a_past_due_date_is_refused_by_the_service_beside_its_field(desk, mirror_factory):
    """BILL-05: the service's refusal (a due date already past) shows beside the date."""
    factory = mirror_factory()
    client, acting = desk()
    type(acting.actor).objects.filter(pk=acting.actor.pk).update(language="en")
    past = timezone.localdate() - dt.timedelta(days=1)
    page = client.post("/backoffice/bills/issue/", {**_form(factory, past), "confirm": "yes"})
    assert page.context["form"].errors["due_on"] == ["The due date has passed."]
    assert not Bill.objects.exists()


def test_adm_02_the_home_page_counts_bills_awaiting_payment(desk, billing_officer, mirror_factory):
    """ADM-02: the bills queue has its count on the back office's home, as every queue."""
    ops = _ops_acting(billing_officer)
    factory = mirror_factory()
    issue(ops, factory)
    paid = issue(ops, factory, days=20)
    Bill.objects.filter(pk=paid.pk).update(state=Bill.State.PAID)
    client, _ = desk()
    home = client.get("/backoffice/")
    assert home.context["counts"]["bills"] == 1
    assert 'href="/backoffice/bills/"' in home.content.decode()
    other, _ = desk(permissions=())
    assert 'href="/backoffice/bills/"' not in other.get("/backoffice/").content.decode()


def test_system_acting_is_not_an_officer_for_the_list():
    """ADM-01: without an officer the selector gives nothing (no page asks it so, the
    selector is the guard)."""
    acting = replace(system_acting(), two_factor=True)
    assert not bills_of_officer(acting=acting).exists()


def test_bill_02_ops_starts_the_bill_run_and_follows_its_progress(desk, mirror_factory):
    """BILL-02: an OPS officer starts today's run from the back office; it is queued, bills
    the factory due within the month, and its progress page shows the count, to that officer
    only; the request is audited (ADM-03)."""
    due = timezone.localdate() + dt.timedelta(days=10)
    started = due.replace(year=due.year - 20) if (due.month, due.day) != (2, 29) else due
    mirror_factory(operation_started_on=started)
    client, _ = desk(agency="OPS", province="")
    assert client.get("/backoffice/bills/run/").status_code == 200
    response = client.post("/backoffice/bills/run/")
    assert response.status_code == 302
    run_url = response.url
    page = client.get(run_url)
    assert page.context["progress"]["state"] == "finished"
    assert page.context["progress"]["created"] == 1
    assert Bill.objects.filter(kind="annual").count() == 1
    assert AuditEntry.objects.filter(action="bill_run.request").count() == 1
    other, _ = desk(agency="OPS", province="")
    assert other.get(run_url).status_code == 404


def test_bill_02_a_provincial_office_does_not_start_the_nationwide_run(desk):
    """BILL-02: the run is nationwide, OPS's: a provincial office's officer has no such page,
    and its bill list offers no link to it."""
    client, _ = desk()
    assert client.get("/backoffice/bills/run/").status_code == 404
    assert client.post("/backoffice/bills/run/").status_code == 404
    assert "/backoffice/bills/run/" not in client.get("/backoffice/bills/").content.decode()
    ops, _ = desk(agency="OPS", province="")
    assert "/backoffice/bills/run/" in ops.get("/backoffice/bills/").content.decode()


FEE_TABLE_RIGHTS = ("billing.view_feetable", "billing.edit_fee_table")


def test_bill_01_fee_tables_listed_with_their_marks(desk):
    """BILL-01: the officers' list shows every version with its date of effect, marked
    complete, incomplete or illustrative, and replaced when a later one took over."""
    client, _ = desk(agency="DIW", province="", permissions=FEE_TABLE_RIGHTS)
    page = client.get("/backoffice/fee-tables/")
    assert page.status_code == 200
    tables = {(t.code, t.version): t for t in page.context["tables"]}
    assert not tables[("annual", "2563-known-ends")].is_complete
    html = page.content.decode()
    with translation.override("th"):
        incomplete = translation.gettext("Incomplete")
        illustrative = translation.gettext("Illustrative")
    row = html.split('data-testid="fee-table-annual-2563-known-ends"')[1].split("</tr>")[0]
    assert incomplete in row
    illustrative_rows = [t for t in tables.values() if t.illustrative]
    assert illustrative_rows and illustrative in html


def test_bill_01_a_provincial_office_has_no_fee_table_pages(desk):
    """BILL-01: tables are national, kept by DIW and OPS: a provincial office gets 404."""
    client, _ = desk(permissions=FEE_TABLE_RIGHTS)
    assert client.get("/backoffice/fee-tables/").status_code == 404
    table = FeeTable.objects.get(code="annual", version="2563-known-ends")
    assert client.get(f"/backoffice/fee-tables/{table.pk}/revise/").status_code == 404


def test_bill_01_adm_03_an_officer_revises_a_fee_table_audited_before_and_after(desk):
    """BILL-01, ADM-03: DIW revises the licence table into a complete new version through
    the service; the old one stays, replaced, and the audit keeps both."""
    client, _ = desk(agency="DIW", province="", permissions=FEE_TABLE_RIGHTS)
    old = FeeTable.objects.get(code="licence", superseded_by=None)
    url = f"/backoffice/fee-tables/{old.pk}/revise/"
    form = client.get(url).context["form"]
    shown = tiers_from_text(form.initial["tiers"])
    kept = old.tiers.order_by("position")
    assert [Money.from_baht(t["baht"]).satang for t in shown] == [t.amount_satang for t in kept]
    lines = "0-50: 1,000\n50-: 145000\nไม่มีเครื่องจักร: 1000"
    data = {
        "version": "2569",
        "effective_from_0": "1",
        "effective_from_1": "1",
        "effective_from_2": str(old.effective_from.year + 543),
        "is_complete": "on",
        "source": "ตารางทดสอบ",
        "tiers": lines,
    }
    response = client.post(url, data)
    assert response.status_code == 302 and response.url == "/backoffice/fee-tables/"
    new = FeeTable.objects.get(code="licence", version="2569")
    assert new.is_complete and [t.amount_satang for t in new.tiers.order_by("position")] == [
        100_000,
        14_500_000,
        100_000,
    ]
    old.refresh_from_db()
    assert old.superseded_by == new
    entry = AuditEntry.objects.get(action="fee_table.revise")
    assert entry.before["version"] == old.version and entry.after["version"] == "2569"


def test_bill_01_a_line_that_cannot_be_read_is_refused_in_thai(desk):
    """BILL-01: a line not written as "from-below: baht" is refused beside the lines, in
    Thai; lines that leave horsepower uncovered are refused by the table's own check."""
    client, _ = desk(agency="OPS", province="", permissions=FEE_TABLE_RIGHTS)
    old = FeeTable.objects.get(code="licence", superseded_by=None)
    url = f"/backoffice/fee-tables/{old.pk}/revise/"
    data = {
        "version": "2569",
        "effective_from_0": "1",
        "effective_from_1": "1",
        "effective_from_2": "2569",
        "source": "ทดสอบ",
        "tiers": "0-50: 1000\nห้าสิบขึ้นไป",
    }
    errors = client.post(url, data).context["form"].errors["tiers"]
    with translation.override("th"):
        expected = translation.gettext("Line %(number)s cannot be read: write it as 0-5: 150.")
    assert errors == [expected % {"number": 2}]
    gap = client.post(url, {**data, "is_complete": "on", "tiers": "0-50: 1000\n60-: 2000"})
    with translation.override("th"):
        prefix = translation.gettext("The lines do not make a valid table: %(detail)s")
    assert gap.context["form"].errors["tiers"][0].startswith(prefix.split("%")[0])
    assert not FeeTable.objects.filter(version="2569").exists()


def test_bill_01_lines_read_back_as_written():
    """BILL-01: the revise form's lines are the table's lines: written then read, the same."""
    text = "no machinery: 300\n0-5: 150\n5-40000.5: 1000.50\n40000.5-: 43500"
    assert tiers_from_text(text) == [
        {"no_machinery": True, "baht": "300.00"},
        {"from_hp": "0", "below_hp": "5", "baht": "150.00"},
        {"from_hp": "5", "below_hp": "40000.5", "baht": "1000.50"},
        {"from_hp": "40000.5", "below_hp": None, "baht": "43500.00"},
    ]

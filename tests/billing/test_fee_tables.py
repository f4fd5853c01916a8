"""Fee tables (BILL-01): shipped files, the loader and its errors, completeness, the sandbox's
illustrative table, officers' revisions audited before and after (ADM-03)."""

import datetime as dt
import json

import pytest
from django.core.management import CommandError, call_command

from portal.billing.fee_tables import SHIPPED, FeeTableFileError, read_fee_table_file
from portal.billing.models import FeeTable
from portal.billing.selectors import fee_table_in_force, fee_table_tiers
from portal.billing.services import BillingError, fee_table_revise, fee_tables_load
from portal.core.models import AuditEntry
from tests.billing.conftest import drop_illustrative_tables

DAY = dt.date(2026, 11, 30)


def table_file(tmp_path, name="t.json", **overrides):
    data = {
        "code": "other",
        "version": "v1",
        "title_th": "ทดสอบ",
        "title_en": "Test",
        "basis": "horsepower",
        "effective_from": "2024-01-01",
        "is_complete": True,
        "source": "a test",
        "tiers": [
            {"no_machinery": True, "baht": "100"},
            {"from_hp": "0", "below_hp": "50", "baht": "200"},
            {"from_hp": "50", "below_hp": None, "baht": "300.50"},
        ],
    }
    data.update(overrides)
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.mark.django_db
def test_bill_01_shipped_tables_are_loaded_with_what_is_known_and_marked():
    """BILL-01: the annual fee's known ends (incomplete), the licence fee's known ends
    (incomplete), the complete PRM-03 and PRM-04 tables, and in the sandbox the illustrative
    annual table in place of the incomplete one."""
    tables = {(t.code, t.version): t for t in FeeTable.objects.all()}
    known = tables[("annual", "2563-known-ends")]
    assert not known.is_complete and not known.illustrative
    assert [(t.no_machinery, t.amount_satang) for t in fee_table_tiers(known)] == [
        (True, 30_000),
        (False, 4_350_000),
    ]
    assert not tables[("licence", "known-ends")].is_complete
    restart = tables[("restart_notice", "diw-manual")]
    amounts = [t.amount_satang for t in fee_table_tiers(restart)]
    assert restart.is_complete and amounts[0] == 15_000 and amounts[-1] == 1_800_000
    assert len(amounts) == 20
    relocation = tables[("machinery_relocation", "diw-manual")]
    amounts = [t.amount_satang for t in fee_table_tiers(relocation)]
    assert relocation.is_complete and (amounts[0], amounts[-1], len(amounts)) == (
        50_000,
        6_000_000,
        19,
    )
    illustrative = fee_table_in_force("annual", DAY)
    assert illustrative.version == "sandbox-illustrative"
    assert illustrative.illustrative and illustrative.is_complete
    assert FeeTable.objects.get(pk=known.pk).superseded_by == illustrative


def test_bill_01_every_shipped_file_reads():
    """BILL-01"""
    for path in SHIPPED.glob("*.json"):
        data = read_fee_table_file(path)
        assert data.tiers


@pytest.mark.django_db
def test_bill_01_outside_the_sandbox_the_illustrative_table_is_not_loaded(settings):
    """BILL-01: production bills from nothing it has to guess."""
    drop_illustrative_tables()
    settings.BILL_LOAD_ILLUSTRATIVE_FEE_TABLES = False
    fee_tables_load()
    assert not FeeTable.objects.filter(illustrative=True).exists()
    assert not fee_table_in_force("annual", DAY).is_complete


@pytest.mark.django_db
def test_bill_01_loading_is_idempotent_and_a_changed_file_needs_a_new_version(tmp_path):
    """BILL-01"""
    path = table_file(tmp_path)
    [(table, new)] = fee_tables_load([path])
    assert new and table.source_file == "t.json"
    assert [t.amount_satang for t in fee_table_tiers(table)] == [10_000, 20_000, 30_050]
    assert fee_tables_load([path]) == [(table, False)]
    table_file(tmp_path, tiers=[{"no_machinery": True, "baht": "1"}], is_complete=False)
    with pytest.raises(BillingError, match=r"t\.json: version"):
        fee_tables_load([path])


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"code": "parking"}, "code"),
        ({"effective_from": "2024-13-01"}, "effective_from"),
        ({"tiers": [{"from_hp": "0", "below_hp": None, "baht": 300.5}]}, "tiers[0].baht"),
        ({"tiers": [{"from_hp": "0", "below_hp": None}]}, "tiers[0].baht"),
        ({"tiers": [{"from_hp": "10", "below_hp": "5", "baht": "1"}]}, "tiers[0].below_hp"),
        ({"tiers": [{"from_hp": "5", "below_hp": None, "baht": "1"}]}, "is_complete"),
        ({"is_complete": "yes"}, "is_complete"),
        ({"version": None}, "version"),
    ],
)
def test_bill_01_a_bad_file_is_refused_naming_the_file_and_the_field(tmp_path, overrides, field):
    """BILL-01"""
    path = table_file(tmp_path, **overrides)
    with pytest.raises(FeeTableFileError) as caught:
        read_fee_table_file(path)
    assert caught.value.field == field
    assert caught.value.message.startswith(f"{path}: {field}: ")


@pytest.mark.django_db
def test_bill_01_the_command_loads_and_stops_at_a_bad_file_with_nothing_stored(tmp_path, capsys):
    """BILL-01"""
    good = table_file(tmp_path, "a.json")
    bad = table_file(tmp_path, "b.json", version="v2", tiers="none")
    before = FeeTable.objects.count()
    with pytest.raises(CommandError, match=r"b\.json: tiers"):
        call_command("fee_tables_load", str(good), str(bad))
    assert FeeTable.objects.count() == before
    call_command("fee_tables_load", str(good))
    assert "other v1: loaded" in capsys.readouterr().out
    entry = AuditEntry.objects.get(action="fee_table.load")
    assert entry.after["version"] == "v1" and entry.actor is None


@pytest.mark.django_db
def test_bill_01_adm_03_an_authorized_officer_revises_a_table_audited_before_and_after(
    billing_officer,
):
    """BILL-01, ADM-03: DIW loads the official annual table in place of the incomplete one."""
    drop_illustrative_tables()
    known = fee_table_in_force("annual", DAY)
    member, acting = billing_officer(
        agency="DIW", province="", permissions=("billing.edit_fee_table",)
    )
    official = fee_table_revise(
        acting=acting,
        table=known,
        version="2563-official",
        effective_from=dt.date(2020, 1, 1),
        is_complete=True,
        tiers=[
            {"no_machinery": True, "baht": "300"},
            {"from_hp": "0", "below_hp": "40000", "baht": "1000"},
            {"from_hp": "40000", "below_hp": None, "baht": "43500"},
        ],
        source="the official regulation",
    )
    assert fee_table_in_force("annual", DAY) == official
    assert official.created_by == member and not official.illustrative
    entry = AuditEntry.objects.get(action="fee_table.revise")
    assert entry.actor == member
    assert entry.before["version"] == "2563-known-ends" and not entry.before["is_complete"]
    assert entry.after["version"] == "2563-official" and entry.after["is_complete"]
    assert len(entry.after["tiers"]) == 3


@pytest.mark.django_db
def test_bill_01_adm_01_only_diw_and_ops_officers_with_the_right_revise_tables(billing_officer):
    """BILL-01, ADM-01"""
    known = FeeTable.objects.get(code="licence")
    tiers = [{"no_machinery": True, "baht": "1000"}]
    _, pio = billing_officer(agency="PIO", permissions=("billing.edit_fee_table",))
    _, ops_without = billing_officer(agency="OPS", province="", permissions=())
    for acting, code in ((pio, "queue"), (ops_without, "permission")):
        with pytest.raises(BillingError) as caught:
            fee_table_revise(
                acting=acting,
                table=known,
                version="x",
                effective_from=DAY,
                is_complete=False,
                tiers=tiers,
            )
        assert caught.value.code == code
    assert not FeeTable.objects.filter(version="x").exists()

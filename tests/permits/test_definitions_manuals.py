"""The three real procedure files (PRM-03, PRM-04, PRM-05) transcribe the DIW manuals and the
i-Industry FAQ faithfully: counts of documents, steps and totals, fee tables."""

import json
from pathlib import Path

import pytest
from django.conf import settings

from portal.billing.fee_tables import SHIPPED
from portal.permits.definitions import check_procedure_files


@pytest.fixture(scope="module")
def loaded():
    procedures, problems = check_procedure_files(Path(settings.PROCEDURES_DIR))
    assert problems == []
    return procedures


def shipped(code: str) -> dict:
    for path in SHIPPED.glob("*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        if data["code"] == code:
            return data
    raise AssertionError(code)


def test_prm_01_the_three_real_files_load(loaded):
    """PRM-01: the shipped definitions load."""
    assert set(loaded) == {"restart-after-stop", "machinery-relocation", "factory-licence"}


def test_prm_03_documents_9_plus_2(loaded):
    """PRM-03: 9 identity documents (15.1) and 2 others (15.2), with originals and copies."""
    restart = loaded["restart-after-stop"]
    identity = [d for d in restart.documents if d.group == "identity"]
    other = [d for d in restart.documents if d.group == "other"]
    assert len(identity) == 9 and len(other) == 2
    assert (identity[0].originals, identity[0].copies) == (1, 0)  # the licence, no copies
    assert identity[0].note.th == "ห้ามสำเนา"
    assert all((d.originals, d.copies) == (0, 1) for d in identity[1:])
    assert [d.when.delegated for d in identity[4:]] == [True] * 5
    assert "DIW-08-AP-FS-03" in other[0].name.th
    assert other[1].when.delegated is True
    assert restart.documents_layout == "split"


def test_prm_03_steps_and_30_days(loaded):
    """PRM-03: document check 1 day (annual fee collected), consideration 22, signing 7: 30."""
    restart = loaded["restart-after-stop"]
    assert [(s.kind, s.duration, s.unit) for s in restart.steps] == [
        ("document_check", 1, "days"),
        ("consideration", 22, "days"),
        ("signing", 7, "days"),
    ]
    assert restart.total == 30
    assert "ค่าธรรมเนียมรายปี" in restart.steps[0].description.th
    assert "มาตรา 8" in restart.steps[1].description.th
    assert {"inspect", "order_corrections", "acknowledge"} <= set(restart.steps[1].actions)
    assert restart.legal_basis[0].th == "พระราชบัญญัติโรงงาน พ.ศ. 2535 มาตรา 33 วรรคสอง"
    assert len(restart.complaints) == 7
    assert len(restart.criteria) == 3 and len(restart.notes) == 4


def test_prm_03_fee_table_150_to_18000(loaded):
    """PRM-03: the fee is billing's restart_notice table (150 to 18,000 baht)."""
    fee = loaded["restart-after-stop"].fee
    assert (fee.table, fee.bill_kind, fee.when) == (
        "restart_notice",
        "restart_notice",
        "at_document_check",
    )
    table = shipped("restart_notice")
    assert table["tiers"][0]["baht"] == "150" and table["tiers"][-1]["baht"] == "18000"


def test_prm_04_documents_21(loaded):
    """PRM-04: 21 documents in the manual's order, counts and conditions as printed."""
    relocation = loaded["machinery-relocation"]
    assert len(relocation.documents) == 21
    assert relocation.documents_layout == "single"
    counts = [(d.originals, d.copies) for d in relocation.documents]
    assert counts[:8] == [(1, 0)] * 8
    assert counts[8] == (0, 0) and relocation.documents[8].no_count  # combined land plan
    assert counts[9:18] == [(2, 0)] * 9
    assert counts[18:] == [(1, 3), (0, 0), (0, 1)]
    by_key = {d.key: d for d in relocation.documents}
    assert by_key["juristic_certificate"].when.applicant == "juristic"
    assert by_key["power_of_attorney"].when.delegated is True
    assert by_key["eia_report"].when.field == "eia_required"
    assert by_key["licence"].issuer.th == "กรมโรงงานอุตสาหกรรม"


def test_prm_04_steps_15_working_days_and_period(loaded):
    """PRM-04: 1 + 12 + 2 = 15 working days; at most one year, extension of at most a year."""
    relocation = loaded["machinery-relocation"]
    assert [(s.duration, s.unit) for s in relocation.steps] == [
        (1, "working_days"),
        (12, "working_days"),
        (2, "working_days"),
    ]
    assert relocation.total == 15
    assert "สำนักงานอุตสาหกรรมจังหวัด" in relocation.steps[2].description.th
    assert relocation.result("granted").max_period_days == 365
    assert relocation.extension.max_days == 365
    keys = {f.key for f in relocation.fields}
    assert {"machines", "purpose", "reasons", "plan", "destination_address", "period_days"} <= keys
    assert relocation.horsepower_field().kind == "machines"
    period = next(f for f in relocation.fields if f.key == "period_days")
    assert period.max_value == 365


def test_prm_04_fee_table_500_to_60000(loaded):
    """PRM-04: the fee is billing's machinery_relocation table (500 to 60,000 baht)."""
    fee = loaded["machinery-relocation"].fee
    assert (fee.table, fee.bill_kind) == ("machinery_relocation", "machinery_relocation")
    table = shipped("machinery_relocation")
    assert len(table["tiers"]) == 19
    assert table["tiers"][0]["baht"] == "500" and table["tiers"][-1]["baht"] == "60000"


def test_prm_05_licence_limits_and_fee(loaded):
    """PRM-05: self-assessment, e-License's limits, no service fee, licence fee after approval
    on the class 3 licence only."""
    licence = loaded["factory-licence"]
    checks = {c.check: c.params for c in licence.eligibility}
    assert checks["horsepower_at_most"]["new"] == 500
    assert checks["horsepower_at_most"]["expansion"] == 600
    assert checks["category_not_in"]["categories"] == ["101", "105", "106"]
    assert "not_in_bangkok" in checks and "self_assessment_is_factory" in checks
    assert len(licence.self_assessment) == 3
    assert (licence.fee.table, licence.fee.when, licence.fee.billed_on) == (
        "licence",
        "after_approval",
        ["granted"],
    )
    assert {r.outcome for r in licence.results} >= {"granted", "acknowledged"}

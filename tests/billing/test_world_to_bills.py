"""From a sandbox world to bills: the generated world (and the shared sample world, made
elsewhere, where this machine has it) synced into the mirror and billed over a whole year; the
factories billed are exactly those the factory pages' own rules (operators.supervisors) say
owe the annual fee (BILL-02, BILL-03)."""

import datetime as dt
import json
from pathlib import Path

import pytest

from portal.billing.models import Bill, DiwFactory
from portal.billing.services import bill_run_execute, bill_run_start, factories_sync
from portal.operators.supervisors import annual_fee_exempt
from portal.registries.failures import failures_reset
from portal.sandbox.world_generator import write_world

SHARED_SAMPLE = Path(__file__).resolve().parents[3] / "shared" / "sandbox-world" / "sample"
RUN_ON = dt.date(2026, 1, 1)


def owing(root: Path) -> set[str]:
    """BILL-02, BILL-03 by the factory pages' rules, from the world's file itself."""
    numbers = set()
    for line in (root / "factories.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        address = record.get("address") or {}
        exempt, _ = annual_fee_exempt(
            province=address.get("province") or "",
            district=address.get("district"),
            industrial_estate=address.get("industrial_estate"),
        )
        if (
            record.get("supervisor") == "PIO"
            and record.get("status") in ("operating", "temporarily_stopped")
            and record.get("operation_started_on")
            and not exempt
        ):
            numbers.add(record["factory_no"])
    return numbers


@pytest.mark.django_db
@pytest.mark.parametrize("made", ["generated", "shared sample"])
def test_bill_02_bill_03_a_world_is_mirrored_and_billed_once_for_the_year(made, tmp_path, settings):
    """BILL-02, BILL-03"""
    if made == "generated":
        write_world(tmp_path, citizens=400)
        root = tmp_path
    else:
        root = SHARED_SAMPLE if (SHARED_SAMPLE / "factories.jsonl").exists() else None
        if root is None:  # a fresh machine has no ../shared: the generated world stands alone
            write_world(tmp_path, seed=7, citizens=300)
            root = tmp_path
    settings.SANDBOX_WORLD = str(root)
    settings.SANDBOX_FAILURES = ""
    failures_reset()
    settings.BILL_ISSUE_DAYS_BEFORE_DUE = 364

    synced = factories_sync(page_size=97)
    lines = (root / "factories.jsonl").read_text(encoding="utf-8").splitlines()
    assert synced.state == "finished"
    assert synced.received == len(lines) == DiwFactory.objects.count()
    run = bill_run_execute(bill_run_start(run_on=RUN_ON).pk, chunk_size=50)

    expected = owing(root)
    assert expected, "the world has factories that owe the annual fee"
    assert set(Bill.objects.values_list("ref2", flat=True)) == expected
    assert run.created == len(expected) == Bill.objects.count()
    assert not Bill.objects.exclude(fee_year__in=[2026]).exists()

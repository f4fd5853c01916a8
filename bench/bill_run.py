"""bench/bill_run: the annual bill run (BILL-02) on 150,000 factories against a bare bulk insert
of the same bills, in the same run on the same PostgreSQL (DESIGN budget: the run under 60 s and
at least half the bare insert's speed).

1. Set-up (not timed): its own database (BILL_BENCH_DATABASE_URL, default
   postgres://postgres@127.0.0.1:5432/portal_bench_bill_run, created and migrated when missing),
   the mirror emptied and refilled with --factories PIO-supervised, operating factories (COPY),
   their operation start dates spread over the 31 days the run bills, horsepower over the
   illustrative table's tiers; the sandbox's illustrative annual fee table.
2. The run: `bill_run_execute` as the task and the command call it (chunks of
   BILL_RUN_CHUNK_SIZE, Ref1 numbers drawn from the counter, the cursor committed with each chunk,
   one audit row).
3. A second run of the same day: adds nothing (the unique constraint), timed too.
4. The baselines: the bills the run made, read back as model instances, deleted, and inserted
   again with a plain `bulk_create` in batches of the same size (no ignore_conflicts, no
   pricing, no references, no cursor), then deleted and inserted again by one COPY (the
   fastest way PostgreSQL takes rows), each into the same table with the same indexes.

Usage: .venv/bin/python bench/bill_run.py [--factories 150000]
"""

import argparse
import datetime as dt
import io
import os
import random
import sys
import time
from pathlib import Path

from common import bench_env  # bench/ is on the path: scripts run as bench/<name>.py
from generate import ensure_database, migrate

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/portal_bench_bill_run"
RUN_ON = dt.date(2026, 10, 31)


def setup_django(env: dict) -> None:
    os.environ.update(env)
    if str(ROOT / "src") not in sys.path:
        sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def fill_mirror(count: int, seed: int) -> None:
    from django.db import connection

    from portal.billing.fees import anniversary_of

    rng = random.Random(seed)
    now = dt.datetime.now(dt.UTC).isoformat()
    buffer = io.StringIO()
    for n in range(1, count + 1):
        due = RUN_ON + dt.timedelta(days=n % 31)
        started = due.replace(year=rng.randint(1990, 2020))
        horsepower = f"{rng.uniform(0, 45_000):.2f}" if n % 50 else "\\N"
        buffer.write(
            "\t".join(
                (
                    f"2{n:013d}",
                    f"โรงงานทดสอบ {n}",
                    "ror_ngor_4",
                    "3",
                    horsepower,
                    "operating",
                    started.isoformat(),
                    str(anniversary_of(started)),
                    "ชลบุรี",
                    "เมืองชลบุรี",
                    "",
                    "PIO",
                    now,
                    now,
                    "",
                    "",
                )
            )
            + "\n"
        )
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE billing_bill, billing_billrun, billing_diwfactory RESTART IDENTITY CASCADE"
        )
        with cursor.copy(
            "COPY billing_diwfactory (factory_no, name_th, licence, factory_class, horsepower,"
            " status, operation_started_on, anniversary, province, district,"
            " industrial_estate, supervisor, registry_changed_at, synced_at, factory_no_old,"
            " category) FROM STDIN"
        ) as copy:
            copy.write(buffer.getvalue())
        cursor.execute("VACUUM ANALYZE billing_diwfactory")


def timed(label: str, work):
    started = time.perf_counter()
    result = work()
    seconds = time.perf_counter() - started
    print(f"{label}: {seconds:.2f} s")
    return seconds, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--factories", type=int, default=150_000)
    parser.add_argument("--seed", type=int, default=2569)
    args = parser.parse_args()
    url = os.environ.get("BILL_BENCH_DATABASE_URL", DEFAULT_DB)
    env = bench_env(url)
    ensure_database(url)
    migrate(env)
    setup_django(env)
    from django.conf import settings
    from django.db import connection

    from portal.billing.models import Bill
    from portal.billing.services import bill_run_execute, bill_run_start

    fill_mirror(args.factories, args.seed)
    chunk = settings.BILL_RUN_CHUNK_SIZE
    print(f"{args.factories} factories in the mirror; chunks of {chunk}")

    run_seconds, run = timed("bill run", lambda: bill_run_execute(bill_run_start(run_on=RUN_ON).pk))
    assert run.created == args.factories == Bill.objects.count(), (run.created, args.factories)
    again_seconds, again = timed(
        "second run (adds nothing)", lambda: bill_run_execute(bill_run_start(run_on=RUN_ON).pk)
    )
    assert again.created == 0 and Bill.objects.count() == args.factories

    bills = list(Bill.objects.order_by("pk"))
    for bill in bills:
        bill.pk = None
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE billing_bill")

    def bare():
        Bill.objects.bulk_create(bills, batch_size=chunk)

    bare_seconds, _ = timed("bare bulk insert (ORM bulk_create)", bare)
    assert Bill.objects.count() == args.factories

    fields = [f for f in Bill._meta.concrete_fields if f.attname != "id"]
    columns = ", ".join(f.column for f in fields)
    rows = [
        tuple(f.get_db_prep_save(getattr(b, f.attname), connection) for f in fields) for b in bills
    ]
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE billing_bill")

    def copy():
        with (
            connection.cursor() as cursor,
            cursor.copy(f"COPY billing_bill ({columns}) FROM STDIN") as stream,
        ):
            for row in rows:
                stream.write_row(row)

    copy_seconds, _ = timed("bare COPY", copy)
    assert Bill.objects.count() == args.factories

    print(
        f"bill run {args.factories / run_seconds:,.0f} bills/s ({run_seconds:.1f} s, budget"
        f" < 60 s); second run {again_seconds:.1f} s; speed ratio against the ORM's bulk insert"
        f" {bare_seconds / run_seconds:.2f}, against COPY {copy_seconds / run_seconds:.2f}"
        " (budget >= 0.50)"
    )


if __name__ == "__main__":
    main()

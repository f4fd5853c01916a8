"""Billing's writes: fee tables (BILL-01), the DIW factory mirror, the annual bill run
(BILL-02, BILL-03), surcharge re-issues (BILL-04) and officer-issued bills (BILL-05).

Set-based throughout: the mirror is upserted a page at a time in one statement, the bill run
inserts a chunk of bills in one statement and relies on the database's unique constraint for
"exactly one annual bill per factory and year", never on a check before the insert.
"""

import datetime as dt
import hashlib
import logging
import time
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.billing import fees, member_selectors
from portal.billing.fee_tables import SHIPPED, FeeTableData, parse_fee_table, read_fee_table_file
from portal.billing.models import (
    BankCallbackLog,
    Bill,
    BillRun,
    DiwFactory,
    FactorySyncRun,
    FeeTable,
    FeeTier,
    Payment,
    ReconciliationIssue,
    RefCounter,
    StatementRun,
)
from portal.billing.selectors import factory_sync_may, fee_table_in_force, fee_table_tiers
from portal.core.acting import Acting, system_acting
from portal.core.errors import PortalError, RegistryUnavailable
from portal.core.money import Money
from portal.core.scope import Queue, officer_refusal, refusal_message
from portal.core.services import audit_record
from portal.documents.services import (
    DocumentContent,
    PublicFact,
    document_issue_copy,
    document_issue_original,
    document_series_open,
)
from portal.operators.factory_selectors import factory_verified_holders
from portal.registries.bank import (
    BankCallback,
    BankCallbackRejected,
    UnknownBank,
    bank_codes,
    bank_for,
)
from portal.registries.diw import Factory, factory_registry
from portal.registries.selectors import topic_used
from portal.registries.tasks import queue_email, queue_sms

__all__ = [
    "BillingError",
    "CallbackAnswer",
    "bank_callback_receive",
    "bill_issue",
    "bill_issue_for_application",
    "bill_reissue_with_surcharge",
    "bill_run_execute",
    "bill_run_request",
    "bill_run_start",
    "bills_expire",
    "factories_sync",
    "factory_mirror_upsert",
    "factory_sync_request",
    "fee_table_revise",
    "fee_tables_load",
    "fee_tables_load_shipped",
    "payment_record",
    "receipt_issue",
    "receipt_number",
    "reconciliation_issue_resolve",
    "statement_reconcile",
    "statements_reconcile",
]

logger = logging.getLogger(__name__)
BANGKOK = zoneinfo.ZoneInfo("Asia/Bangkok")
REF1_COUNTER = "ref1"
PIO = "PIO"


class BillingError(PortalError):
    """A billing service refuses; `code` says why."""


# --- fee tables (BILL-01) ---------------------------------------------------------------------


def _table_snapshot(table: FeeTable) -> dict:
    """A fee table as an audit row keeps it (before and after, ADM-03)."""
    return {
        "code": table.code,
        "version": table.version,
        "effective_from": table.effective_from.isoformat(),
        "basis": table.basis,
        "is_complete": table.is_complete,
        "illustrative": table.illustrative,
        "tiers": [
            {
                "no_machinery": t.no_machinery,
                "from_hp": None if t.from_hp is None else str(t.from_hp),
                "below_hp": None if t.below_hp is None else str(t.below_hp),
                "amount_satang": t.amount_satang,
            }
            for t in table.tiers.all()
        ],
    }


def _same_content(table: FeeTable, data: FeeTableData) -> bool:
    stored = fee_table_tiers(table)
    return (
        table.basis == data.basis
        and table.effective_from == data.effective_from
        and table.is_complete == data.is_complete
        and table.illustrative == data.illustrative
        and tuple(stored) == data.tiers
    )


def _store_table(data: FeeTableData, *, source_file: str, created_by=None, using="default"):
    table = FeeTable.objects.using(using).create(
        code=data.code,
        version=data.version,
        title_th=data.title_th,
        title_en=data.title_en,
        basis=data.basis,
        effective_from=data.effective_from,
        is_complete=data.is_complete,
        illustrative=data.illustrative,
        source=data.source,
        source_file=source_file,
        created_by=created_by,
    )
    FeeTier.objects.using(using).bulk_create(
        FeeTier(
            table=table,
            position=position,
            no_machinery=tier.no_machinery,
            from_hp=tier.from_hp,
            below_hp=tier.below_hp,
            amount_satang=tier.amount_satang,
        )
        for position, tier in enumerate(data.tiers)
    )
    return table


def _supersede(table: FeeTable, version: str, *, path, using="default") -> None:
    old = FeeTable.objects.using(using).filter(code=table.code, version=version).first()
    if old is None:
        raise BillingError(
            f"{path}: supersedes: no {table.code} table of version {version!r} is loaded",
            field="supersedes",
            code="fee_table_file",
        )
    old.superseded_by = table
    old.save(update_fields=["superseded_by"])


def fee_tables_load(
    paths: Iterable[Path | str] | None = None,
    *,
    include_illustrative: bool | None = None,
    using: str = "default",
    audited: bool = True,
) -> list[tuple[FeeTable, bool]]:
    """Load fee table files (default: the ones shipped in billing/fee_tables), all or nothing.

    A version already loaded is left as it is when the file says the same, and refused when it
    says something else (bills point at that version: a change is a new version). Illustrative
    tables are skipped unless include_illustrative (default: settings, on in the sandbox).
    Each table newly loaded is audited unless `audited` is false (the shipped tables loaded by
    migrate: a deployment, not somebody's act). Returns (table, newly loaded) for each file
    loaded. Raises FeeTableFileError naming the file and the field."""
    if include_illustrative is None:
        include_illustrative = settings.BILL_LOAD_ILLUSTRATIVE_FEE_TABLES
    files = sorted(Path(p) for p in (paths if paths is not None else SHIPPED.glob("*.json")))
    parsed = [(path, read_fee_table_file(path)) for path in files]
    # Plain tables first, so that an illustrative one may supersede a plain one of the same load.
    parsed.sort(key=lambda item: (item[1].illustrative, str(item[0])))
    loaded = []
    with transaction.atomic(using=using):
        for path, data in parsed:
            if data.illustrative and not include_illustrative:
                continue
            existing = (
                FeeTable.objects.using(using).filter(code=data.code, version=data.version).first()
            )
            if existing is not None:
                if not _same_content(existing, data):
                    raise BillingError(
                        f"{path}: version: {data.code} {data.version!r} is loaded with other "
                        "content; a changed table needs a new version",
                        field="version",
                        code="fee_table_file",
                    )
                loaded.append((existing, False))
                continue
            table = _store_table(data, source_file=path.name, using=using)
            if data.supersedes:
                _supersede(table, data.supersedes, path=path, using=using)
            if audited:
                audit_record(
                    action="fee_table.load",
                    target=table,
                    after=_table_snapshot(table),
                    acting=system_acting(channel="system"),
                )
            loaded.append((table, True))
    return loaded


def fee_tables_load_shipped(*, using: str = "default") -> None:
    """After migrate: the tables shipped with the code."""
    fee_tables_load(using=using, audited=False)


def fee_table_revise(
    *,
    acting: Acting,
    table: FeeTable,
    version: str,
    effective_from: dt.date,
    is_complete: bool,
    tiers: list[dict],
    source: str = "",
) -> FeeTable:
    """An authorized officer (DIW or OPS, with billing.edit_fee_table) loads a new version of a
    table, e.g. the official annual fee table in place of the incomplete one (BILL-01). The
    old version stays for the bills made from it; it is superseded when the new one takes
    effect no later than it did. Audited with the table before and after (ADM-03)."""
    refusal = officer_refusal(acting, Queue.FEE_TABLES)
    if refusal is not None:
        raise BillingError(refusal_message(refusal), code=refusal)
    if not acting.actor.has_perm("billing.edit_fee_table"):
        raise BillingError(_("You may not revise fee tables."), code="permission")
    data = parse_fee_table(
        f"{table.code} {version}",
        {
            "code": table.code,
            "version": version,
            "title_th": table.title_th,
            "title_en": table.title_en,
            "basis": table.basis,
            "effective_from": effective_from.isoformat(),
            "is_complete": is_complete,
            "illustrative": False,
            "source": source,
            "tiers": tiers,
        },
    )
    with transaction.atomic():
        old = FeeTable.objects.select_for_update().get(pk=table.pk)
        if old.superseded_by_id is not None:
            raise BillingError(_("This fee table was already replaced."), code="superseded")
        if FeeTable.objects.filter(code=old.code, version=version).exists():
            raise BillingError(
                _("This version already exists."), field="version", code="version_taken"
            )
        new = _store_table(data, source_file="", created_by=acting.actor)
        if new.effective_from <= old.effective_from:
            old.superseded_by = new
            old.save(update_fields=["superseded_by"])
        audit_record(
            action="fee_table.revise",
            target=new,
            before=_table_snapshot(old),
            after=_table_snapshot(new),
            acting=acting,
        )
    return new


# --- the DIW factory mirror -------------------------------------------------------------------


def _canonical_place(name: str | None, prefixes: tuple[str, ...]) -> str:
    text = " ".join(str(name or "").split())
    for prefix in prefixes:
        if text.startswith(prefix) and text != prefix:
            return text.removeprefix(prefix).strip()
    return text


def _mirror_row(factory: Factory, now: dt.datetime) -> DiwFactory:
    address = factory.address or {}
    started = factory.operation_started_on
    return DiwFactory(
        factory_no=factory.factory_no,
        factory_no_old=(factory.factory_no_old or "")[:60],
        name_th=(factory.name_th or "")[:300],
        licence=(factory.licence or "")[:20],
        factory_class=factory.factory_class,
        category=(factory.category or "")[:20],
        horsepower=factory.horsepower,
        status=(factory.status or "")[:30],
        operation_started_on=started,
        anniversary=fees.anniversary_of(started) if started else None,
        licensed_on=factory.licensed_on,
        province=_canonical_place(address.get("province"), ("จังหวัด", "จ."))[:60],
        district=_canonical_place(address.get("district"), ("อำเภอ", "อ."))[:80],
        industrial_estate=(address.get("industrial_estate") or "").strip()[:200],
        supervisor=(factory.supervisor or "").upper()[:10],
        registry_changed_at=factory.changed_at,
        synced_at=now,
    )


_MIRROR_FIELDS = [
    "factory_no_old",
    "name_th",
    "licence",
    "factory_class",
    "category",
    "horsepower",
    "status",
    "operation_started_on",
    "anniversary",
    "licensed_on",
    "province",
    "district",
    "industrial_estate",
    "supervisor",
    "registry_changed_at",
    "synced_at",
]


def _advisory_lock(name: str) -> bool:
    """A session lock on the database: one sync or bill run at a time across every worker.
    Released when the connection closes, so a killed process never holds it. The embedded
    SQLite has no such lock and one writer at a time anyway (the constraint still holds)."""
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(hashtext(%s))", [name])
        return bool(cursor.fetchone()[0])


def _advisory_unlock(name: str) -> None:
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_unlock(hashtext(%s))", [name])


def factories_sync(*, page_size: int = 1000, max_pages: int | None = None) -> FactorySyncRun | None:
    """Bring the mirror up to date with DIW's registry, incrementally by last change.

    Resumes a run left running by a process that died; otherwise starts a new run from where
    the last one stopped (finished or failed). Each page is upserted in one statement and the
    run's counts and cursor are committed with it. A registry failure ends the run as failed
    with the reason; the next run continues from the cursor. Returns None when another
    process is syncing."""
    if not _advisory_lock("billing.factories_sync"):
        return None
    try:
        return _factories_sync(page_size=page_size, max_pages=max_pages)
    finally:
        _advisory_unlock("billing.factories_sync")


def _factory_sync_new_run(now: dt.datetime, started_by=None) -> FactorySyncRun:
    """A new running sync, from where the last one stopped; IntegrityError when one is
    running already (the database's factorysync_one_running)."""
    last = FactorySyncRun.objects.filter(cursor_changed_at__isnull=False).order_by("-pk").first()
    with transaction.atomic():
        return FactorySyncRun.objects.create(
            since_changed_at=last.cursor_changed_at if last else None,
            cursor_changed_at=last.cursor_changed_at if last else None,
            cursor_factory_no=last.cursor_factory_no if last else "",
            started_at=now,
            updated_at=now,
            started_by=started_by,
        )


def factory_sync_request(*, acting: Acting) -> FactorySyncRun:
    """An officer starts a sync of the mirror now (it also runs hourly by itself): a new
    running run, audited, that the caller queues (tasks.factory_sync_request_queued). Refused
    to whoever may not (selectors.factory_sync_may) and while a run is going: the database
    holds one running run at most, so two officers clicking at once get one run."""
    if not factory_sync_may(acting, start=True):
        raise BillingError(refusal_message("queue"), code="queue")
    try:
        with transaction.atomic():
            run = _factory_sync_new_run(timezone.now(), started_by=acting.actor)
            audit_record(
                action="factory_sync.request",
                target=run,
                after={
                    "since_changed_at": run.since_changed_at.isoformat()
                    if run.since_changed_at
                    else None
                },
                acting=acting,
            )
    except IntegrityError:
        raise BillingError(
            _("A synchronisation is running already: follow it on this page."), code="running"
        ) from None
    return run


def _factories_sync(*, page_size: int, max_pages: int | None) -> FactorySyncRun:
    now = timezone.now()
    run = FactorySyncRun.objects.filter(state=FactorySyncRun.State.RUNNING).order_by("-pk").first()
    if run is None:
        try:
            run = _factory_sync_new_run(now)
        except IntegrityError:  # an officer started one this instant: go on with it
            run = FactorySyncRun.objects.get(state=FactorySyncRun.State.RUNNING)
    registry = factory_registry()
    pages = 0
    while max_pages is None or pages < max_pages:
        try:
            page = registry.changes(
                since=run.cursor_changed_at, after_factory_no=run.cursor_factory_no, limit=page_size
            )
        except RegistryUnavailable as exc:
            run.state = FactorySyncRun.State.FAILED
            run.error = f"diw:{exc.reason}"
            run.updated_at = run.finished_at = timezone.now()
            run.save(update_fields=["state", "error", "updated_at", "finished_at"])
            logger.warning("DIW factory sync #%s failed: %s", run.pk, run.error)
            return run
        pages += 1
        if page.factories:
            _mirror_page(run, page.factories)
        if not page.more:
            break
    else:
        return run  # stopped by max_pages: still running, the next call goes on
    run.state = FactorySyncRun.State.FINISHED
    run.updated_at = run.finished_at = timezone.now()
    run.save(update_fields=["state", "updated_at", "finished_at"])
    return run


def factory_mirror_upsert(factory: Factory) -> DiwFactory:
    """One factory into the mirror now, as the sync writes it (PRM-05: a new factory DIW just
    registered, linked at the approval of its licence, is billed before the next sync). A
    single lookup carries no change time: the row counts as changed now until the sync brings
    DIW's own."""
    now = timezone.now()
    row = _mirror_row(factory, now)
    row.registry_changed_at = row.registry_changed_at or now
    DiwFactory.objects.bulk_create(
        [row],
        update_conflicts=True,
        unique_fields=["factory_no"],
        update_fields=_MIRROR_FIELDS,
    )
    return DiwFactory.objects.get(factory_no=factory.factory_no)


def _mirror_page(run: FactorySyncRun, factories: list[Factory]) -> None:
    now = timezone.now()
    rows = [_mirror_row(f, now) for f in factories]
    numbers = [r.factory_no for r in rows]
    with transaction.atomic():
        known = DiwFactory.objects.filter(factory_no__in=numbers).count()
        DiwFactory.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["factory_no"],
            update_fields=_MIRROR_FIELDS,
        )
        last = factories[-1]
        run.cursor_changed_at = last.changed_at
        run.cursor_factory_no = last.factory_no
        run.pages += 1
        run.received += len(rows)
        run.created += len(rows) - known
        run.updated += known
        run.updated_at = now
        run.save(
            update_fields=[
                "cursor_changed_at",
                "cursor_factory_no",
                "pages",
                "received",
                "created",
                "updated",
                "updated_at",
            ]
        )


# --- places and horizons (BILL-02, BILL-03) ---------------------------------------------------


def _exempt_area_q(prefix: str = "") -> Q:
    """BILL-03: factories in the places exempt from licence and annual fees (settings)."""
    exempt = Q(pk__in=[])
    for province, districts in settings.BILL_EXEMPT_AREAS.items():
        place = Q(**{f"{prefix}province": province})
        if districts:
            place &= Q(**{f"{prefix}district__in": districts})
        exempt |= place
    return exempt


def _annual_exempt_q(prefix: str = "") -> Q:
    exempt = _exempt_area_q(prefix)
    if settings.BILL_ANNUAL_FEE_EXEMPT_IN_INDUSTRIAL_ESTATE:
        exempt |= ~Q(**{f"{prefix}industrial_estate": ""})
    return exempt


def _end_of_day(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=BANGKOK)


def due_window(run_on: dt.date) -> tuple[dt.date, dt.date]:
    """BILL-02: the due dates a run on `run_on` bills: from that day to the horizon."""
    days = settings.BILL_ISSUE_DAYS_BEFORE_DUE
    if not 0 <= days < 365:
        raise ValueError("BILL_ISSUE_DAYS_BEFORE_DUE must be between 0 and 364")
    return run_on, run_on + dt.timedelta(days=days)


def _due_by_anniversary(first: dt.date, last: dt.date) -> dict[int, dt.date]:
    due = {}
    day = first
    while day <= last:
        for anniversary in fees.anniversaries_due_on(day):
            due[anniversary] = day
        day += dt.timedelta(days=1)
    return due


def _next_ref1s(kind: str, count: int) -> list[str]:
    """`count` new Ref1s: running numbers drawn in one statement. Outside a transaction the
    counter's row is locked only for that statement; inside one, until it commits."""
    if count == 0:
        return []
    # The row exists after migrate; a test flush empties the table, so make sure of it.
    RefCounter.objects.bulk_create([RefCounter(name=REF1_COUNTER)], ignore_conflicts=True)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {RefCounter._meta.db_table} SET value = value + %s"  # noqa: S608
            " WHERE name = %s RETURNING value",
            [count, REF1_COUNTER],
        )
        last = cursor.fetchone()[0]
    return [fees.ref1_for(kind, number) for number in range(last - count + 1, last + 1)]


# --- the annual bill run (BILL-02) ------------------------------------------------------------


@dataclass(frozen=True)
class _Pricing:
    table: FeeTable
    tiers: list[fees.Tier]


def _annual_pricing(due_days: Iterable[dt.date]) -> dict[dt.date, _Pricing]:
    """The annual fee table in force on each due date; refuses a missing or incomplete one
    (BILL-01: never bill from an incomplete table rather than guess)."""
    pricing: dict[dt.date, _Pricing] = {}
    by_table: dict[int, _Pricing] = {}
    for day in sorted(set(due_days)):
        table = fee_table_in_force("annual", day)
        if table is None:
            raise BillingError(
                _("No annual fee table is in force on %(day)s.") % {"day": day.isoformat()},
                code="no_fee_table",
            )
        if not table.is_complete:
            raise BillingError(
                _(
                    "The annual fee table %(version)s is incomplete: load the official table "
                    "before billing."
                )
                % {"version": table.version},
                code="fee_table_incomplete",
            )
        if table.pk not in by_table:
            by_table[table.pk] = _Pricing(table, fee_table_tiers(table))
        pricing[day] = by_table[table.pk]
    return pricing


def _annual_candidates(run: BillRun):
    due = _due_by_anniversary(run.first_due_on, run.last_due_on)
    rows = (
        DiwFactory.objects.filter(
            supervisor=PIO,
            status__in=settings.BILL_ANNUAL_FEE_STATUSES,
            anniversary__in=list(due),
            operation_started_on__isnull=False,
        )
        .exclude(_annual_exempt_q())
        .order_by("pk")
    )
    return rows, due


def bill_run_start(*, run_on: dt.date | None = None, started_by=None) -> BillRun:
    """The day's run: the unfinished one of that day when there is one (a run killed in the
    middle goes on from its cursor), else a new one."""
    run_on = run_on or timezone.localdate()
    unfinished = (
        BillRun.objects.filter(
            run_on=run_on, state__in=[BillRun.State.QUEUED, BillRun.State.RUNNING]
        )
        .order_by("pk")
        .first()
    )
    if unfinished is not None:
        return unfinished
    first, last = due_window(run_on)
    return BillRun.objects.create(
        run_on=run_on, first_due_on=first, last_due_on=last, started_by=started_by
    )


def bill_run_request(*, acting: Acting, run_on: dt.date | None = None) -> BillRun:
    """An OPS officer starts the bill run now (it also runs daily by itself); the caller
    queues it (tasks.bill_run_request_queued) and the officer follows its progress
    (selectors.bill_run_progress)."""
    refusal = officer_refusal(acting, Queue.BILLS)
    if refusal is None and acting.officer.agency != "OPS":
        refusal = "queue"  # a nationwide run is OPS's; a provincial office issues bills itself
    if refusal is not None:
        raise BillingError(refusal_message(refusal), code=refusal)
    with transaction.atomic():
        run = bill_run_start(run_on=run_on, started_by=acting.actor)
        audit_record(
            action="bill_run.request", target=run, after={"run_on": str(run.run_on)}, acting=acting
        )
    return run


def bill_run_execute(run_id: int, *, pause_seconds: float = 0.0, chunk_size: int | None = None):
    """Bill every PIO-supervised, non-exempt factory whose due date is in the run's window,
    exactly once (BILL-02, BILL-03), in chunks ordered by mirror id, each chunk committed with
    the run's cursor. A second run of the same window adds nothing: the database's unique
    constraint refuses the duplicates. Ends with one audit row for the whole run."""
    lock = f"billing.bill_run.{run_id}"
    if not _advisory_lock(lock):
        return BillRun.objects.get(pk=run_id)  # another process is on it
    try:
        return _bill_run_execute(run_id, pause_seconds, chunk_size or settings.BILL_RUN_CHUNK_SIZE)
    finally:
        _advisory_unlock(lock)


def _bill_run_execute(run_id: int, pause_seconds: float, chunk_size: int) -> BillRun:
    run = BillRun.objects.get(pk=run_id)
    if run.state in (BillRun.State.FINISHED, BillRun.State.FAILED):
        return run
    candidates, due = _annual_candidates(run)
    try:
        pricing = _annual_pricing(due.values())
    except BillingError as exc:
        _bill_run_end(run, state=BillRun.State.FAILED, error=exc.code)
        raise
    if run.state == BillRun.State.QUEUED:
        run.total = candidates.count()
        run.state = BillRun.State.RUNNING
        run.started_at = run.updated_at = timezone.now()
        run.save(update_fields=["total", "state", "started_at", "updated_at"])
    while True:
        chunk = list(
            candidates.filter(pk__gt=run.cursor).values_list(
                "pk", "anniversary", "horsepower", "province", "factory_no"
            )[:chunk_size]
        )
        if not chunk:
            break
        _bill_chunk(run, chunk, due, pricing)
        if pause_seconds:
            time.sleep(pause_seconds)
    return _bill_run_end(run, state=BillRun.State.FINISHED)


def _bill_chunk(run: BillRun, chunk: list, due: dict, pricing: dict) -> None:
    now = timezone.now()
    # Drawn before the chunk's transaction, so that a concurrent run or officer waits for one
    # statement, not for the chunk (a chunk rolled back leaves a gap in the numbers: harmless).
    refs = _next_ref1s("annual", len(chunk))
    rows = []
    for (pk, anniversary, horsepower, province, factory_no), ref1 in zip(chunk, refs, strict=True):
        due_on = due[anniversary]
        price = pricing[due_on]
        amount = fees.tier_amount(price.tiers, horsepower)
        if amount is None:  # a complete table holds every horsepower; this is a bug
            raise RuntimeError(f"fee table {price.table.pk} has no line for {horsepower}")
        rows.append((pk, province, due_on, amount, ref1, factory_no, price.table))
    with transaction.atomic():
        if connection.vendor == "postgresql":
            created = _insert_bills_postgresql(run, rows, now)
        else:
            created = _insert_bills(run, rows, now)
        BillRun.objects.filter(pk=run.pk).update(
            cursor=chunk[-1][0],
            processed=run.processed + len(chunk),
            created=run.created + created,
            updated_at=now,
        )
    run.cursor = chunk[-1][0]
    run.processed += len(chunk)
    run.created += created
    run.updated_at = now


def _insert_bills(run: BillRun, rows: list, now: dt.datetime) -> int:
    """Any database: the ORM's bulk insert; returns how many bills it added."""
    Bill.objects.bulk_create(
        [
            Bill(
                kind=Bill.Kind.ANNUAL,
                factory_id=pk,
                province=province,
                fee_year=due_on.year,
                fee_satang=amount,
                amount_satang=amount,
                due_on=due_on,
                issued_on=run.run_on,
                expires_at=_end_of_day(due_on),
                ref1=ref1,
                ref2=factory_no,
                fee_table=table,
                fee_table_version=f"{table.code} {table.version}",
                illustrative=table.illustrative,
                bill_run=run,
                created_at=now,
            )
            for pk, province, due_on, amount, ref1, factory_no, table in rows
        ],
        ignore_conflicts=True,
    )
    return Bill.objects.filter(
        bill_run=run, factory_id__gte=rows[0][0], factory_id__lte=rows[-1][0]
    ).count()


_INSERT_BILLS = """
INSERT INTO {bill} (kind, factory_id, province, fee_year, period, fee_satang, surcharge_satang,
    surcharge_months, amount_satang, due_on, issued_on, expires_at, state, ref1, ref2,
    fee_table_id, fee_table_version, illustrative, bill_run_id, note, created_at)
SELECT %(kind)s, u.factory_id, u.province, u.fee_year, '', u.fee, 0, 0, u.fee, u.due_on,
    %(issued_on)s, u.expires_at, %(state)s, u.ref1, u.ref2, u.table_id, u.version,
    u.illustrative, %(run)s, '', %(now)s
FROM unnest(%(factory)s::bigint[], %(province)s::text[], %(year)s::int[], %(fee)s::bigint[],
    %(due)s::date[], %(expires)s::timestamptz[], %(ref1)s::text[], %(ref2)s::text[],
    %(table)s::bigint[], %(version)s::text[], %(illustrative)s::bool[])
    AS u(factory_id, province, fee_year, fee, due_on, expires_at, ref1, ref2, table_id,
         version, illustrative)
ON CONFLICT DO NOTHING
"""


def _insert_bills_postgresql(run: BillRun, rows: list, now: dt.datetime) -> int:
    """PostgreSQL: one INSERT ... SELECT FROM unnest(arrays) ON CONFLICT DO NOTHING per chunk,
    with no model instance built (the ORM's bulk insert spends most of a chunk compiling
    2,000 rows); its row count is the number of bills added."""
    with connection.cursor() as cursor:
        cursor.execute(
            _INSERT_BILLS.format(bill=Bill._meta.db_table),
            {
                "kind": Bill.Kind.ANNUAL.value,
                "issued_on": run.run_on,
                "state": Bill.State.AWAITING_PAYMENT.value,
                "run": run.pk,
                "now": now,
                "factory": [r[0] for r in rows],
                "province": [r[1] for r in rows],
                "year": [r[2].year for r in rows],
                "fee": [r[3] for r in rows],
                "due": [r[2] for r in rows],
                "expires": [_end_of_day(r[2]) for r in rows],
                "ref1": [r[4] for r in rows],
                "ref2": [r[5] for r in rows],
                "table": [r[6].pk for r in rows],
                "version": [f"{r[6].code} {r[6].version}" for r in rows],
                "illustrative": [r[6].illustrative for r in rows],
            },
        )
        return cursor.rowcount


def _bill_run_end(run: BillRun, *, state: str, error: str = "") -> BillRun:
    with transaction.atomic():
        run = BillRun.objects.select_for_update().get(pk=run.pk)
        run.state = state
        run.error = error
        run.finished_at = run.updated_at = timezone.now()
        run.save(update_fields=["state", "error", "finished_at", "updated_at"])
        audit_record(
            action=f"bill_run.{state}",
            target=run,
            after={
                "run_on": str(run.run_on),
                "due_from": str(run.first_due_on),
                "due_until": str(run.last_due_on),
                "factories": run.total,
                "processed": run.processed,
                "bills_created": run.created,
                "error": error,
            },
            acting=system_acting(channel="task"),
        )
    return run


def bills_expire() -> int:
    """BILL-06: bills past their expiry stop being payable; returns how many expired."""
    now = timezone.now()
    return Bill.objects.filter(state=Bill.State.AWAITING_PAYMENT, expires_at__lte=now).update(
        state=Bill.State.EXPIRED, state_changed_at=now
    )


# --- surcharge (BILL-04) and officer-issued bills (BILL-05) -----------------------------------


def _refuse_out_of_scope(acting: Acting, province: str) -> None:
    refusal = officer_refusal(acting, Queue.BILLS, province=province)
    if refusal is not None:
        raise BillingError(refusal_message(refusal), code=refusal)


def bill_reissue_with_surcharge(*, bill_id: int, acting: Acting, now: dt.datetime | None = None):
    """BILL-04: a new bill for an unpaid annual fee with its surcharge (5 % of the fee per
    month late, a started month counting whole unless settings say otherwise), due the same
    day before 23:00 Bangkok time (the next day's when asked at or after 23:00). The bill it
    replaces is cancelled. Issued by an officer of the factory's province or OPS."""
    now = now or timezone.now()
    local = now.astimezone(BANGKOK)
    pay_on = local.date()
    if local.hour >= settings.BILL_SURCHARGE_PAY_BEFORE_HOUR:
        pay_on += dt.timedelta(days=1)
    with transaction.atomic():
        current = Bill.objects.select_for_update().select_related("factory").get(pk=bill_id)
        _refuse_out_of_scope(acting, current.province)
        base = current.reissue_of or current
        if base.kind != Bill.Kind.ANNUAL:
            raise BillingError(_("Only an annual fee accrues a surcharge."), code="not_annual")
        if current.state not in (Bill.State.AWAITING_PAYMENT, Bill.State.EXPIRED):
            raise BillingError(_("This bill is paid or cancelled."), code="closed")
        months = fees.late_months(base.due_on, pay_on, settings.BILL_SURCHARGE_PART_MONTH)
        if months == 0:
            raise BillingError(_("This fee is not late: pay the bill as it is."), code="not_late")
        surcharge = fees.surcharge_satang(
            base.fee_satang, months, Decimal(settings.BILL_SURCHARGE_PERCENT_PER_MONTH)
        )
        (ref1,) = _next_ref1s(base.kind, 1)
        expires_at = dt.datetime.combine(
            pay_on, dt.time(settings.BILL_SURCHARGE_PAY_BEFORE_HOUR), tzinfo=BANGKOK
        )
        reissue = Bill.objects.create(
            kind=base.kind,
            factory=base.factory,
            province=base.province,
            fee_year=base.fee_year,
            fee_satang=base.fee_satang,
            surcharge_satang=surcharge,
            surcharge_months=months,
            amount_satang=base.fee_satang + surcharge,
            due_on=pay_on,
            issued_on=local.date(),
            expires_at=expires_at,
            ref1=ref1,
            ref2=base.ref2,
            fee_table=base.fee_table,
            fee_table_version=base.fee_table_version,
            illustrative=base.illustrative,
            reissue_of=base,
            issued_by=acting.actor,
            created_at=now,
        )
        before = {"ref1": current.ref1, "state": current.state}
        current.state = Bill.State.CANCELLED
        current.state_changed_at = now
        current.note = f"superseded by {reissue.ref1}"
        current.save(update_fields=["state", "state_changed_at", "note"])
        audit_record(
            action="bill.reissue_with_surcharge",
            target=reissue,
            before=before,
            after={
                "ref1": reissue.ref1,
                "fee_satang": reissue.fee_satang,
                "surcharge_months": months,
                "surcharge_satang": surcharge,
                "amount_satang": reissue.amount_satang,
                "due_on": str(pay_on),
                "cancelled": current.ref1,
            },
            acting=acting,
        )
    return reissue


# Kinds whose amount comes from a fee table, by table code (PRM-06: the notice of restarting
# operation of PRM-03 and the machinery relocation of PRM-04 have complete tables); the others
# are typed in by the officer.
TABLE_PRICED = {"annual", "licence", "restart_notice", "machinery_relocation"}


def bill_issue(
    *,
    acting: Acting,
    factory_no: str,
    kind: str,
    due_on: dt.date,
    amount_satang: int | None = None,
    horsepower: Decimal | None = None,
    period: str = "",
    note: str = "",
) -> Bill:
    """BILL-05: an officer (the provincial industry office of the factory's province, or OPS)
    issues a bill of another kind: factory expansion, licence transfer, operation notice,
    replacement licence, a procedure's fee or another fee under the Act. Kinds with a fee table
    are priced by it (by the given horsepower, else the factory's); the others take the
    amount the officer types. Only factories a provincial office supervises (BILL-02); none
    in the exempt places for licence and annual fees (BILL-03). Audited (ADM-03)."""
    if kind not in Bill.Kind.values:
        raise BillingError(_("Choose a kind of fee."), field="kind", code="kind")
    factory = DiwFactory.objects.filter(factory_no=factory_no).first()
    if factory is None:
        raise BillingError(_("No factory has this number."), field="factory_no", code="unknown")
    _refuse_out_of_scope(acting, factory.province)
    if not acting.actor.has_perm("billing.add_bill"):
        raise BillingError(_("You may not issue bills."), code="permission")
    if factory.supervisor != PIO:
        raise BillingError(
            _("This factory pays its fees to the agency that supervises it, not here."),
            code="not_pio",
        )
    exempt = DiwFactory.objects.filter(
        _annual_exempt_q() if kind == "annual" else _exempt_area_q(), pk=factory.pk
    ).exists()
    if kind in ("annual", "licence") and exempt:
        raise BillingError(_("This factory is exempt from this fee."), code="exempt")
    table = None
    if kind in TABLE_PRICED:
        table = fee_table_in_force(kind, due_on)
        if table is None or not table.is_complete:
            raise BillingError(
                _("The fee table for this kind is missing or incomplete: it cannot be billed."),
                code="fee_table_incomplete",
            )
        amount_satang = fees.tier_amount(
            fee_table_tiers(table), horsepower if horsepower is not None else factory.horsepower
        )
    if amount_satang is None or amount_satang <= 0:
        raise BillingError(_("Enter the amount."), field="amount_satang", code="amount")
    now = timezone.now()
    today = timezone.localdate()
    if due_on < today:
        raise BillingError(_("The due date has passed."), field="due_on", code="due_on")
    try:
        with transaction.atomic():
            (ref1,) = _next_ref1s(kind, 1)
            bill = Bill.objects.create(
                kind=kind,
                factory=factory,
                province=factory.province,
                fee_year=due_on.year if kind == "annual" else None,
                period=period[:100],
                fee_satang=amount_satang,
                amount_satang=amount_satang,
                due_on=due_on,
                issued_on=today,
                expires_at=_end_of_day(due_on),
                ref1=ref1,
                ref2=factory.factory_no,
                fee_table=table,
                fee_table_version=f"{table.code} {table.version}" if table else "",
                illustrative=bool(table and table.illustrative),
                issued_by=acting.actor,
                note=note,
                created_at=now,
            )
            audit_record(
                action="bill.issue",
                target=bill,
                after={
                    "kind": kind,
                    "factory_no": factory.factory_no,
                    "amount_satang": amount_satang,
                    "due_on": str(due_on),
                    "ref1": ref1,
                    "fee_table": bill.fee_table_version,
                },
                acting=acting,
            )
    except IntegrityError:
        raise BillingError(
            _("This factory already has an annual bill for that year."), code="duplicate"
        ) from None
    return bill


def bill_issue_for_application(
    *,
    acting: Acting,
    factory_no: str,
    kind: str,
    horsepower: Decimal | None,
    due_on: dt.date,
    period: str,
) -> Bill:
    """Issue 11: the fee of a permit application (its definition's fee.bill_kind), priced by the
    kind's fee table on the application's horsepower (PRM-06), billed when the document check
    accepts it or after approval. The officer acting is the one who answers for the
    application (permits.review_services checks their agency, area and right: DIW officers
    answer for Bangkok, which billing's own queue does not cover); here only that an officer
    acts, the factory is in the DIW mirror and the table can price it. Audited (ADM-03)."""
    if acting.officer is None:
        raise BillingError(_("Only an officer may issue bills."), code="not_officer")
    if kind not in Bill.Kind.values or kind not in TABLE_PRICED:
        raise BillingError(_("Choose a kind of fee."), field="kind", code="kind")
    factory = DiwFactory.objects.filter(factory_no=factory_no).first()
    if factory is None:
        raise BillingError(
            _("The factory is not in the DIW registry mirror yet: the fee cannot be billed."),
            code="unknown",
        )
    table = fee_table_in_force(kind, due_on)
    if table is None or not table.is_complete:
        raise BillingError(
            _("The fee table for this kind is missing or incomplete: it cannot be billed."),
            code="fee_table_incomplete",
        )
    amount_satang = fees.tier_amount(fee_table_tiers(table), horsepower)
    if amount_satang is None or amount_satang <= 0:
        raise BillingError(_("The fee table has no amount for this horsepower."), code="amount")
    with transaction.atomic():
        (ref1,) = _next_ref1s(kind, 1)
        bill = Bill.objects.create(
            kind=kind,
            factory=factory,
            province=factory.province,
            period=period[:100],
            fee_satang=amount_satang,
            amount_satang=amount_satang,
            due_on=due_on,
            issued_on=timezone.localdate(),
            expires_at=_end_of_day(due_on),
            ref1=ref1,
            ref2=factory.factory_no,
            fee_table=table,
            fee_table_version=f"{table.code} {table.version}",
            illustrative=table.illustrative,
            issued_by=acting.actor,
            created_at=timezone.now(),
        )
        audit_record(
            action="bill.issue",
            target=bill,
            after={
                "kind": kind,
                "factory_no": factory.factory_no,
                "amount_satang": amount_satang,
                "due_on": str(due_on),
                "ref1": ref1,
                "fee_table": bill.fee_table_version,
                "period": bill.period,
            },
            acting=acting,
        )
    return bill


# --- payments: bank callbacks, statements and reconciliation (BILL-06, BILL-08) -------------


@dataclass(frozen=True)
class CallbackAnswer:
    """What the callback endpoint answers the bank: 200 and a small JSON ack once the callback
    is taken (recorded, a repeat, or queued for an officer: the bank may stop retrying), 4xx
    when it is refused."""

    status_code: int
    body: dict


def _payment_recorded(payment: Payment, *, created: bool) -> None:
    if created:
        audit_record(
            action=f"payment.{payment.source}",
            target=payment,
            after={
                "bank": payment.bank_code,
                "bill": payment.bill.ref1,
                "amount_satang": payment.amount_satang,
                "paid_at": payment.paid_at.isoformat(),
                "status": payment.status,
            },
            acting=system_acting(channel="system"),
        )


def _issue(kind: str, paid: BankCallback, *, bill=None, payment=None, run=None):
    """The officers' queue gets this (once per kind and bank transaction)."""
    issue, _created = ReconciliationIssue.objects.get_or_create(
        kind=kind,
        bank_code=paid.bank_code,
        bank_transaction_id=paid.transaction_id,
        defaults={
            "ref1": paid.ref1[:20],
            "ref2": paid.ref2[:20],
            "amount_satang": paid.amount_satang,
            "bill": bill,
            "payment": payment,
            "statement_run": run,
            "province": bill.province if bill is not None else "",
            "created_at": timezone.now(),
        },
    )
    return issue


def _payment_issue_tell(issue: ReconciliationIssue, bill: Bill) -> None:
    """BILL-08: tell the members who hold the bill's factory through a verified holding that
    their payment did not pay the bill (the issue open) or what the office decided (resolved),
    by their verified channels, in their language, through the outbox in the caller's
    transaction. Only the kinds the member's pages show (a payment of theirs that did not pay
    the bill); the officers' bookkeeping tells nobody. One topic per issue, event, member and
    channel: a message is queued once on it (a retry or a replay finds it), and a newer message
    on the topic, which would cancel a queued older one, never comes."""
    if issue.kind not in member_selectors.MEMBER_ISSUE_KINDS or issue.payment_id is None:
        return
    decided = issue.state == ReconciliationIssue.State.RESOLVED
    event = "decided" if decided else "recorded"
    facts = {
        "amount": Money(issue.amount_satang).format(),
        "ref1": bill.ref1,
        "url": settings.SITE_URL.rstrip("/") + reverse("billing:bill_list"),
    }
    for member in factory_verified_holders(factory_no=bill.factory.factory_no):
        if not member.is_active:
            continue
        with translation.override(member.language or "th"):
            if decided:
                subject = _("Decision on your payment for bill %(ref1)s") % facts
                body = _(
                    "Industry Portal: your payment of %(amount)s baht for bill %(ref1)s: "
                    "%(outcome)s See Bills: %(url)s"
                ) % {**facts, "outcome": member_selectors.payment_issue_outcome(issue)}
            else:
                subject = _("Your payment for bill %(ref1)s did not pay it") % facts
                body = _(
                    "Industry Portal: your payment of %(amount)s baht for bill %(ref1)s did not "
                    "pay it. %(why)s The money is recorded, not lost: the provincial industry "
                    "office will decide whether it pays the bill or is refunded, and you will "
                    "be told. See Bills: %(url)s"
                ) % {**facts, "why": member_selectors.payment_issue_why(issue.kind)}
        topic = f"bill-issue-{issue.pk}-{event}-{member.pk}"
        if member.mobile_verified and not topic_used(topic=f"{topic}-sms"):
            queue_sms(to=member.mobile, body=body, topic=f"{topic}-sms")
        if member.email_verified and not topic_used(topic=f"{topic}-email"):
            queue_email(to=member.email, subject=subject, body=body, topic=f"{topic}-email")


def payment_record(
    paid: BankCallback, *, source: str, run: StatementRun | None = None
) -> tuple[Payment | None, bool]:
    """BILL-08: record a payment the bank confirmed; returns (payment, created). Idempotent by
    the unique (bank, transaction id): a repeat returns the first one and changes nothing.
    The bill is locked first, so concurrent reports of one bill queue behind each other and the
    second finds the first's row; the unique constraint stands behind that regardless.

    A payment of the bill's amount while it awaits payment settles it (state paid, paid_at);
    one of an expired or cancelled bill (or made after it expired) is recorded as late, one of
    another amount as a mismatch, one of a bill already paid as extra: each flagged for an
    officer, the bill left as it is, and the factory's verified holders told (a message queued
    in this transaction, once). No bill with the references: (None, False) and an issue."""
    existing = Payment.objects.filter(
        bank_code=paid.bank_code, bank_transaction_id=paid.transaction_id
    ).first()
    if existing is not None:
        return existing, False
    with transaction.atomic():
        bill = Bill.objects.select_for_update().filter(ref1=paid.ref1).first()
        if bill is None or (paid.ref2 and paid.ref2 != bill.ref2):
            _issue(ReconciliationIssue.Kind.UNKNOWN_REFERENCE, paid, run=run)
            return None, False
        existing = Payment.objects.filter(
            bank_code=paid.bank_code, bank_transaction_id=paid.transaction_id
        ).first()
        if existing is not None:
            return existing, False
        now = timezone.now()
        issue_kind = None
        if bill.state == Bill.State.PAID:
            status, issue_kind = Payment.Status.EXTRA, ReconciliationIssue.Kind.EXTRA_PAYMENT
        elif bill.state != Bill.State.AWAITING_PAYMENT or paid.paid_at > bill.expires_at:
            status, issue_kind = Payment.Status.LATE, ReconciliationIssue.Kind.LATE_PAYMENT
        elif paid.amount_satang != bill.amount_satang:
            status = Payment.Status.AMOUNT_MISMATCH
            issue_kind = ReconciliationIssue.Kind.AMOUNT_MISMATCH
        else:
            status = Payment.Status.SETTLED
        try:
            with transaction.atomic():
                payment = Payment.objects.create(
                    bill=bill,
                    bank_code=paid.bank_code,
                    bank_transaction_id=paid.transaction_id,
                    amount_satang=paid.amount_satang,
                    paid_at=paid.paid_at,
                    source=source,
                    status=status,
                    late=status == Payment.Status.LATE,
                    review_state=(
                        Payment.Review.NONE if issue_kind is None else Payment.Review.PENDING
                    ),
                    recorded_at=now,
                )
        except IntegrityError:
            # Another process recorded this transaction between our look and our insert.
            return Payment.objects.get(
                bank_code=paid.bank_code, bank_transaction_id=paid.transaction_id
            ), False
        if status == Payment.Status.SETTLED:
            bill.state = Bill.State.PAID
            bill.paid_at = paid.paid_at
            bill.state_changed_at = now
            bill.save(update_fields=["state", "paid_at", "state_changed_at"])
        if issue_kind is not None:
            issue = _issue(issue_kind, paid, bill=bill, payment=payment, run=run)
            _payment_issue_tell(issue, bill)
        if source == Payment.Source.STATEMENT:
            # Said so: the officers see that this payment came only from the statement.
            _issue(
                ReconciliationIssue.Kind.FROM_STATEMENT, paid, bill=bill, payment=payment, run=run
            )
        _payment_recorded(payment, created=True)
    return payment, True


def _body_hash(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def bank_callback_receive(bank_code: str, body: bytes, headers) -> CallbackAnswer:
    """BILL-08: a bank's callback, as the endpoint received it (raw body and headers): its
    signature and time checked by the bank's adapter, then the payment recorded once. Every
    callback is logged (the body's hash, whether the signature held, the outcome)."""
    try:
        bank = bank_for(bank_code)
    except UnknownBank:
        return CallbackAnswer(404, {"ok": False, "error": "unknown_bank"})
    log = BankCallbackLog(
        bank_code=bank_code, received_at=timezone.now(), body_sha256=_body_hash(body)
    )
    try:
        paid = bank.verify_callback(body, headers)
    except BankCallbackRejected as exc:
        log.signature_valid = exc.reason in ("stale", "malformed")
        log.outcome = exc.reason
        log.save()
        logger.warning("bank %s callback refused: %s", bank_code, exc.reason)
        status = 400 if exc.reason == "malformed" else 401
        return CallbackAnswer(status, {"ok": False, "error": exc.reason})
    log.signature_valid = True
    log.bank_transaction_id = paid.transaction_id
    payment, created = payment_record(paid, source=Payment.Source.CALLBACK)
    if payment is None:
        log.outcome = BankCallbackLog.Outcome.UNKNOWN_BILL
    else:
        log.outcome = (
            BankCallbackLog.Outcome.RECORDED if created else BankCallbackLog.Outcome.DUPLICATE
        )
        log.payment = payment
    log.save()
    return CallbackAnswer(
        200, {"ok": True, "transaction_id": paid.transaction_id, "outcome": log.outcome}
    )


def statement_reconcile(bank_code: str, day: dt.date) -> StatementRun:
    """BILL-08: match the bank's statement of a Bangkok day with the payments recorded: a line
    with no payment is recorded from the statement (and said so: an issue); a line whose
    amount differs from its callback's, a callback the statement does not list, and a line
    naming no bill become issues for an officer. Running it again adds nothing new."""
    run = StatementRun.objects.create(bank_code=bank_code, day=day, started_at=timezone.now())
    try:
        statement = bank_for(bank_code).statement(day)
    except (RegistryUnavailable, UnknownBank) as exc:
        run.state = StatementRun.State.FAILED
        run.error = str(exc)[:200]
        run.finished_at = timezone.now()
        run.save(update_fields=["state", "error", "finished_at"])
        logger.warning("statement %s %s could not be read: %s", bank_code, day, exc)
        return run
    issues_before = ReconciliationIssue.objects.count()
    listed = set()
    for line in statement.lines:
        listed.add(line.transaction_id)
        run.lines += 1
        payment = Payment.objects.filter(
            bank_code=bank_code, bank_transaction_id=line.transaction_id
        ).first()
        if payment is None:
            payment, created = payment_record(line, source=Payment.Source.STATEMENT, run=run)
            run.recorded += int(created)
            continue
        if payment.amount_satang != line.amount_satang:
            _issue(
                ReconciliationIssue.Kind.STATEMENT_AMOUNT,
                line,
                bill=payment.bill,
                payment=payment,
                run=run,
            )
        else:
            run.matched += 1
    start = dt.datetime.combine(day, dt.time(), tzinfo=BANGKOK)
    unlisted = Payment.objects.filter(
        bank_code=bank_code,
        source=Payment.Source.CALLBACK,
        paid_at__gte=start,
        paid_at__lt=start + dt.timedelta(days=1),
    ).exclude(bank_transaction_id__in=listed)
    for payment in unlisted.select_related("bill"):
        _issue(
            ReconciliationIssue.Kind.NOT_IN_STATEMENT,
            _as_bank_payment(payment),
            bill=payment.bill,
            payment=payment,
            run=run,
        )
    run.issues = ReconciliationIssue.objects.count() - issues_before
    run.state = StatementRun.State.FINISHED
    run.finished_at = timezone.now()
    with transaction.atomic():
        run.save()
        audit_record(
            action="statement.reconciled",
            target=run,
            after={
                "bank": bank_code,
                "day": str(day),
                "lines": run.lines,
                "matched": run.matched,
                "recorded": run.recorded,
                "issues": run.issues,
            },
            acting=system_acting(channel="task"),
        )
    return run


def _as_bank_payment(payment: Payment) -> BankCallback:
    return BankCallback(
        bank_code=payment.bank_code,
        transaction_id=payment.bank_transaction_id,
        ref1=payment.bill.ref1,
        ref2=payment.bill.ref2,
        amount_satang=payment.amount_satang,
        paid_at=payment.paid_at,
    )


def statements_reconcile(day: dt.date | None = None) -> list[StatementRun]:
    """Every bank's statement of a day (yesterday in Bangkok unless told): the daily job."""
    day = day or (timezone.now().astimezone(BANGKOK).date() - dt.timedelta(days=1))
    return [statement_reconcile(code, day) for code in bank_codes()]


def reconciliation_issue_resolve(
    *,
    acting: Acting,
    issue_id: int,
    resolution: str,
    note: str = "",
    concerned_member_ids: Iterable[int | None] = (),
) -> ReconciliationIssue:
    """An officer (the PIO of the bill's province, or OPS) resolves an issue: "settle" counts
    its payment as settling the bill (a late payment or a wrong amount accepted; only while no
    other payment settles it), "refund" and "noted" record the decision and change no bill.
    Audited (ADM-03). `concerned_member_ids`: the members holding the bill's factory, from the
    caller (billing keeps no link from a factory to its members); such an officer may not
    decide it. The factory's verified holders are told the decision (BILL-08), in the same
    transaction."""
    if resolution not in ReconciliationIssue.Resolution.values:
        raise BillingError(_("Choose how the issue is resolved."), code="resolution")
    with transaction.atomic():
        issue = (
            ReconciliationIssue.objects.select_for_update(of=("self",))
            .select_related("payment", "bill")
            .filter(pk=issue_id)
            .first()
        )
        if issue is None:
            raise BillingError(_("No such issue."), code="unknown")
        refusal = officer_refusal(
            acting, Queue.BILLS, province=issue.province, concerned_member_ids=concerned_member_ids
        )
        if refusal is not None:
            raise BillingError(refusal_message(refusal), code=refusal)
        if issue.state == ReconciliationIssue.State.RESOLVED:
            raise BillingError(_("This issue is already resolved."), code="resolved")
        now = timezone.now()
        payment = issue.payment
        if resolution == ReconciliationIssue.Resolution.SETTLE:
            bill = Bill.objects.select_for_update().get(pk=issue.bill_id) if issue.bill_id else None
            if payment is None or bill is None or payment.status == Payment.Status.SETTLED:
                raise BillingError(_("There is no payment here to settle a bill."), code="settle")
            if bill.payments.filter(status=Payment.Status.SETTLED).exists():
                raise BillingError(_("Another payment already settled this bill."), code="paid")
            payment.status = Payment.Status.SETTLED
            payment.save(update_fields=["status"])
            bill.state, bill.paid_at, bill.state_changed_at = Bill.State.PAID, payment.paid_at, now
            bill.save(update_fields=["state", "paid_at", "state_changed_at"])
            issue.bill = bill
        issue.state = ReconciliationIssue.State.RESOLVED
        issue.resolution, issue.resolution_note = resolution, note[:2000]
        issue.resolved_by, issue.resolved_at = acting.actor, now
        issue.save(
            update_fields=["state", "resolution", "resolution_note", "resolved_by", "resolved_at"]
        )
        if (
            payment is not None
            and not payment.issues.filter(state=ReconciliationIssue.State.OPEN).exists()
        ):
            payment.review_state = Payment.Review.RESOLVED
            payment.save(update_fields=["review_state"])
        audit_record(
            action="reconciliation_issue.resolve",
            target=issue,
            before={"state": ReconciliationIssue.State.OPEN, "kind": issue.kind},
            after={
                "state": issue.state,
                "resolution": resolution,
                "bill": issue.bill.ref1 if issue.bill else "",
                "bill_state": issue.bill.state if issue.bill else "",
            },
            acting=acting,
        )
        if issue.bill is not None:
            _payment_issue_tell(issue, issue.bill)
    return issue


# --- receipts (BILL-09, BILL-10) ----------------------------------------------------------------

# The documents app's kind for a receipt (its copies become "receipt_copy" there).
RECEIPT_KIND = "receipt"
RECEIPT_COPIES = 2


def receipt_number(bill: Bill) -> str:
    """One receipt per settled bill (one payment settles a bill), so the bill's Ref1 names it."""
    return f"R{bill.ref1}"


def _receipt_content(bill: Bill, payment: Payment) -> DocumentContent:
    total = Money(payment.amount_satang)
    province = bill.province
    return DocumentContent(
        template_name="billing/pdf/receipt.html",
        context={
            "bill": bill,
            "payment": payment,
            "fee": Money(bill.fee_satang),
            "surcharge": Money(bill.surcharge_satang),
            "total": total,
            "total_words": total.words(),
            "number": receipt_number(bill),
        },
        issuer_agency_th=f"สำนักงานอุตสาหกรรมจังหวัด{province}" if province else "กรมโรงงานอุตสาหกรรม",
        issuer_agency_en=(
            f"Provincial Industry Office ({province})"
            if province
            else "Department of Industrial Works"
        ),
        reason=f"ใบเสร็จรับเงิน เลขที่ {receipt_number(bill)}",
        public_facts=(
            PublicFact(th="จำนวนเงิน (บาท)", en="Amount (baht)", value=total.format()),
            PublicFact(th="เลขอ้างอิง 1 (Ref1)", en="Ref1", value=bill.ref1),
            PublicFact(
                th="วันที่ชำระ",
                en="Paid on",
                value=timezone.localtime(payment.paid_at).date().isoformat(),
            ),
        ),
    )


def receipt_issue(*, acting: Acting, member, bill_id: int, copy: bool) -> object:
    """BILL-09: the signed receipt of a paid bill, for a member who holds its factory: the
    original exactly once, then at most two copies, each marked, the counters held by the
    documents service under concurrent clicks. A bill of someone else's factory is not found;
    an unpaid bill has no receipt yet."""
    bill = member_selectors.member_bill(member=member, bill_id=bill_id)
    if bill is None:
        raise BillingError(_("This bill was not found."), code="not_found")
    payment = Payment.objects.filter(bill=bill, status=Payment.Status.SETTLED).first()
    if payment is None:
        raise BillingError(
            _("This bill has not been paid yet: its receipt comes once the bank confirms it."),
            code="not_paid",
        )
    series = document_series_open(
        kind=RECEIPT_KIND,
        subject_app="billing",
        subject_id=str(payment.pk),
        number=receipt_number(bill),
        copy_limit=RECEIPT_COPIES,
    )
    content = _receipt_content(bill, payment)
    issue = document_issue_copy if copy else document_issue_original
    return issue(series=series, content=content, acting=acting)

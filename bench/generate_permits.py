"""bench/generate_permits: 500,000 permit applications for bench/permits.py (issue 11).

1. The bench database (BENCH_DATABASE_URL, default
   postgres://postgres@127.0.0.1:5432/bench_permits) is created when missing and migrated.
2. The few rows the applications need, from bench/generate.py at a small scale (--scale 0.04:
   40,000 members, 12,000 businesses, 6,000 factories, written with COPY), then the factories'
   provinces moved so that the areas look like the country's: 15 % of the factories in Bangkok
   (DIW answers for them), 10 % in Samut Prakan (a busy provincial office), the rest over the
   other provinces, Mae Hong Son keeping only three (a quiet office). Four officers per area
   (DIW, and PIO of each province) among the members holding nothing.
3. --applications (500,000) applications, all set-based SQL (INSERT ... SELECT over
   generate_series): the three procedures of procedures/ in turn, submitted over the last 24
   months, each for a factory (its business, its first verified holder as applicant, the
   agency and province routing of ADM-01). States by age: about 1.5 % drafts and 1 % withdrawn
   drafts; of the last 45 days' submissions most still open (submitted, deficient, in review,
   corrections), the older ones decided or returned but for 1.5 % still open (late). Then, for
   each submitted application, its three ApplicationStep rows in the states its own state
   implies, the submission's Declaration, two uploaded files (rows only: no file is read),
   the DeficiencyRecord and ClockPause rows of the deficient, corrections and returned ones and
   of one in ten of the others (completed), an Inspection for corrections, and its
   ApplicationEvent rows (draft started, submitted, accepted, assigned, deficiency, supplied,
   inspected, step finished, decided or returned, billed): about 3 steps and 5 to 7 events per
   application. Then VACUUM ANALYZE.

The dates are plausible (steps due a step's duration after their start, counted in calendar
days, some finished late), not recomputed with the working-day calendar: the pages read stored
due dates, which is what is timed.

Usage: .venv/bin/python bench/generate_permits.py [--applications 500000] [--scale 0.04]
       [--reset] [--seed 2569]
Without --reset it refuses to write over existing applications; --reset truncates the permit
tables, the officers and bench/generate.py's tables (CASCADE) first.
"""

import argparse
import os
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
os.environ.setdefault("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_permits")
os.environ.setdefault("BENCH_REDIS_URL", "redis://127.0.0.1:6379/11")

import generate  # noqa: E402  (bench/ on the path, the database default set first)
from common import bench_env  # noqa: E402

BANGKOK = "กรุงเทพมหานคร"
BUSY_PROVINCE = "สมุทรปราการ"
QUIET_PROVINCE = "แม่ฮ่องสอน"
OFFICERS_PER_AREA = 4

PERMIT_TABLES = (
    "permits_applicationevent",
    "permits_applicationfile",
    "permits_declaration",
    "permits_inspection",
    "permits_clockpause",
    "permits_deficiencyrecord",
    "permits_applicationstep",
    "permits_application",
    "permits_applicationcounter",
)

# The three procedures of procedures/: their step keys and durations (calendar days here).
# machinery-relocation's 12 and 2 working days are about 17 and 3 calendar days.
PROCEDURES_SQL = """
CREATE TEMP TABLE bench_procedure (
    n int, code text, s2 text, d2 int, d3 int, doc1 text, doc2 text, acknowledges bool
);
INSERT INTO bench_procedure VALUES
    (0, 'machinery-relocation', 'review', 17, 3, 'request_letter', 'machine_list', false),
    (1, 'restart-after-stop', 'consideration', 22, 7, 'licence', 'notice_form', true),
    (2, 'factory-licence', 'consideration', 22, 7, 'id_card', 'land_title', false);
"""


def timed(conn, label: str, sql: str, params=None) -> None:
    started = time.perf_counter()
    cur = conn.execute(sql, params or {})  # always parsed: %% is a modulo everywhere
    rows = cur.rowcount
    conn.commit()
    suffix = f"{rows:,} rows, " if rows and rows > 0 else ""
    print(f"  {label}: {suffix}{time.perf_counter() - started:.1f} s", flush=True)


def base_data(conn, *, scale: float, seed: int) -> None:
    """Members, businesses and factories (bench/generate.py, COPY), the areas and officers."""
    # Text columns added since bench/generate.py was written (operators_holding's claimed
    # names) get an empty default while it writes, so that its COPY does not stop on them.
    added = conn.execute(
        """
        SELECT table_name, column_name FROM information_schema.columns
        WHERE table_name = ANY(%s) AND is_nullable = 'NO' AND column_default IS NULL
          AND is_identity = 'NO' AND data_type IN ('character varying', 'text')
        """,
        [list(generate.TABLES)],
    ).fetchall()
    columns = {
        "accounts_member": generate.MEMBER_COLUMNS,
        "operators_business": generate.BUSINESS_COLUMNS,
        "operators_holding": generate.HOLDING_COLUMNS,
        "operators_factory": generate.FACTORY_COLUMNS,
        "operators_factoryholding": generate.FACTORY_HOLDING_COLUMNS,
    }
    added = [(t, c) for t, c in added if c not in columns[t]]
    for table, column in added:
        conn.execute(f"ALTER TABLE {table} ALTER COLUMN {column} SET DEFAULT ''")
        print(f"  {table}.{column}: not written by bench/generate.py, '' while it writes")
    conn.commit()
    generate.generate(conn, scale=scale, seed=seed)
    for table, column in added:
        conn.execute(f"ALTER TABLE {table} ALTER COLUMN {column} DROP DEFAULT")
    conn.commit()
    # Provinces as the country has them: Bangkok and Samut Prakan busy, Mae Hong Son quiet.
    timed(
        conn,
        "factories moved to Bangkok and Samut Prakan",
        """
        UPDATE operators_factory SET
            province = CASE WHEN id %% 100 < 15 THEN %(bangkok)s ELSE %(busy)s END,
            supervisor = CASE WHEN id %% 100 < 15 THEN 'DIW' ELSE 'PIO' END,
            industrial_estate = ''
        WHERE id %% 100 < 25
        """,
        {"bangkok": BANGKOK, "busy": BUSY_PROVINCE},
    )
    timed(
        conn,
        "Mae Hong Son keeps three factories",
        """
        UPDATE operators_factory SET province = 'เชียงใหม่'
        WHERE province = %(quiet)s AND id NOT IN (
            SELECT id FROM operators_factory WHERE province = %(quiet)s ORDER BY id LIMIT 3)
        """,
        {"quiet": QUIET_PROVINCE},
    )
    # Officers: members holding nothing, four per area (DIW; PIO of every other province).
    timed(
        conn,
        "officers",
        """
        WITH areas AS (
            SELECT agency, province, row_number() OVER (ORDER BY agency, province) AS an
            FROM (SELECT DISTINCT
                    CASE WHEN province = %(bangkok)s THEN 'DIW' ELSE 'PIO' END AS agency,
                    CASE WHEN province = %(bangkok)s THEN '' ELSE province END AS province
                  FROM operators_factory) a
        ),
        free AS (
            SELECT m.id, row_number() OVER (ORDER BY m.id DESC) AS rn FROM accounts_member m
            WHERE NOT EXISTS (SELECT 1 FROM operators_holding h WHERE h.member_id = m.id)
        )
        INSERT INTO backoffice_officer (agency, province, active, created_at, member_id)
        SELECT a.agency, a.province, true, now(), free.id
        FROM areas a CROSS JOIN generate_series(1, %(per_area)s) k
        JOIN free ON free.rn = (a.an - 1) * %(per_area)s + k
        """,
        {"bangkok": BANGKOK, "per_area": OFFICERS_PER_AREA},
    )


def applications(conn, *, count: int, seed: int) -> None:
    conn.execute(PROCEDURES_SQL)
    conn.execute(
        """
        CREATE TEMP TABLE bench_factory AS
        SELECT row_number() OVER (ORDER BY f.id) AS n, f.id AS factory_id, f.business_id,
            f.horsepower, h.member_id,
            CASE WHEN f.province = %(bangkok)s THEN 'DIW' ELSE 'PIO' END AS agency,
            CASE WHEN f.province = %(bangkok)s THEN '' ELSE f.province END AS province
        FROM operators_factory f
        JOIN LATERAL (
            SELECT member_id FROM operators_holding h
            WHERE h.business_id = f.business_id AND h.removed_at IS NULL
              AND h.status = 'verified'
            ORDER BY h.id LIMIT 1
        ) h ON true
        """,
        {"bangkok": BANGKOK},
    )
    conn.execute(
        """
        CREATE TEMP TABLE bench_officer AS
        SELECT agency, province, member_id,
            row_number() OVER (PARTITION BY agency, province ORDER BY member_id) - 1 AS k
        FROM backoffice_officer
        """
    )
    conn.execute("CREATE INDEX ON bench_officer (agency, province, k)")
    (factories,) = conn.execute("SELECT count(*) FROM bench_factory").fetchone()
    conn.execute("SELECT setseed(%s)", [(seed % 1000) / 1000])
    # The application's draw: factory, procedure, when, two random numbers for its state.
    timed(
        conn,
        "draws",
        """
        CREATE TEMP TABLE bench_draw AS
        SELECT g AS id, f.factory_id, f.business_id, f.member_id, f.agency, f.province,
            f.horsepower, p.*,
            date_trunc('second', now() - random() * interval '730 days') AS at,
            random() AS r, random() AS r2, random() AS r3
        FROM generate_series(1, %(count)s) g
        JOIN bench_factory f ON f.n = 1 + (g::bigint * 2654435761) %% %(factories)s
        JOIN bench_procedure p ON p.n = g %% 3
        """,
        {"count": count, "factories": factories},
    )
    # Its state, from its age, and its stage (the steps finished).
    timed(
        conn,
        "states",
        """
        CREATE TEMP TABLE bench_app AS
        SELECT d.*, s.state,
            (d.at AT TIME ZONE 'Asia/Bangkok')::date AS day,
            CASE WHEN s.state IN ('draft', 'withdrawn') THEN NULL ELSE d.at END AS submitted_at,
            CASE WHEN s.state = 'decided' THEN
                CASE WHEN d.r3 < 0.85 THEN CASE WHEN d.acknowledges AND d.r3 < 0.3
                                              THEN 'acknowledged' ELSE 'granted' END
                     ELSE 'refused' END
                 WHEN s.state = 'returned' THEN 'returned' ELSE '' END AS outcome,
            -- how long each step took, in days (some late: up to 1.3 times its duration)
            1 + (d.r3 * 2)::int AS t1,
            greatest(1, (d.d2 * (0.4 + d.r2 * 0.9))::int) AS t2,
            greatest(1, (d.d3 * (0.3 + d.r * 1.0))::int) AS t3,
            d.id %% 4 = 0 AS at_signing,
            d.id %% 10 = 7 AS had_deficiency
        FROM bench_draw d
        CROSS JOIN LATERAL (SELECT CASE
            WHEN d.r < 0.015 THEN 'draft'
            WHEN d.r < 0.025 THEN 'withdrawn'
            WHEN d.at > now() - interval '45 days' THEN CASE
                WHEN d.r2 < 0.15 THEN 'submitted'
                WHEN d.r2 < 0.25 THEN 'deficient'
                WHEN d.r2 < 0.60 THEN 'in_review'
                WHEN d.r2 < 0.70 THEN 'corrections'
                WHEN d.r2 < 0.95 THEN 'decided'
                ELSE 'returned' END
            ELSE CASE
                WHEN d.r2 < 0.010 THEN 'in_review'
                WHEN d.r2 < 0.015 THEN 'deficient'
                WHEN d.r2 < 0.93 THEN 'decided'
                ELSE 'returned' END
            END AS state) s
        """,
    )
    conn.execute("ALTER TABLE bench_app ADD PRIMARY KEY (id)")
    conn.execute("ANALYZE bench_app")
    timed(
        conn,
        "applications",
        """
        INSERT INTO permits_application (
            id, procedure_code, procedure_version, number, state, principal_key, agency,
            province, answers, self_assessment, horsepower, fee_satang, fee_table_version,
            current_step, current_due_on, clock_paused, created_at, updated_at, submitted_at,
            clock_started_on, due_on, decided_at, result_key, outcome, reasons, conditions,
            granted_from, granted_until, result_notified_at, bill_id, late_notice_last_on,
            applicant_id, assigned_to_id, business_id, decided_by_id, extends_id, factory_id,
            letter_id)
        SELECT a.id, a.code, 1,
            CASE WHEN a.submitted_at IS NOT NULL THEN 'PRM-'
                || (extract(year FROM a.day)::int + 543) || '-'
                || lpad((row_number() OVER (PARTITION BY a.submitted_at IS NOT NULL,
                         extract(year FROM a.day) ORDER BY a.at, a.id))::text, 6, '0') END,
            a.state, 'member:' || a.member_id,
            CASE WHEN a.submitted_at IS NULL THEN '' ELSE a.agency END,
            CASE WHEN a.submitted_at IS NULL THEN '' ELSE a.province END,
            jsonb_build_object('horsepower', a.horsepower::text, 'purpose',
                'ย้ายเครื่องจักรไปติดตั้ง ณ โรงงานแห่งใหม่ของบริษัทเพื่อขยายกำลังการผลิต'),
            '{}'::jsonb, a.horsepower,
            CASE WHEN a.submitted_at IS NULL THEN NULL
                 ELSE 50000 + (a.horsepower * 100)::bigint END,
            CASE WHEN a.submitted_at IS NULL THEN '' ELSE 'bench-2569' END,
            CASE WHEN a.state IN ('submitted', 'deficient') THEN 'document_check'
                 WHEN a.state IN ('in_review', 'corrections') THEN
                     CASE WHEN a.at_signing AND a.state = 'in_review' THEN 'signing' ELSE a.s2 END
                 ELSE '' END,
            CASE WHEN a.state IN ('submitted', 'deficient') THEN a.day + 1
                 WHEN a.state IN ('in_review', 'corrections') THEN
                     CASE WHEN a.at_signing AND a.state = 'in_review'
                          THEN a.day + a.t1 + a.t2 + a.d3 ELSE a.day + a.t1 + a.d2 END
                 END,
            a.state IN ('deficient', 'corrections'),
            a.at - interval '2 hours', a.at + interval '1 day', a.submitted_at,
            CASE WHEN a.state IN ('in_review', 'corrections', 'decided') THEN a.day + a.t1 END,
            CASE WHEN a.state IN ('in_review', 'corrections', 'decided')
                 THEN a.day + a.t1 + a.d2 + a.d3 END,
            CASE WHEN a.state IN ('decided', 'returned')
                 THEN a.at + (a.t1 + a.t2 + a.t3) * interval '1 day' END,
            a.outcome, a.outcome,
            CASE WHEN a.outcome IN ('refused', 'returned')
                 THEN 'เอกสารประกอบไม่ครบถ้วนตามที่กำหนด' ELSE '' END,
            '[]'::jsonb,
            CASE WHEN a.outcome = 'granted' THEN a.day + a.t1 + a.t2 + a.t3 END,
            CASE WHEN a.outcome = 'granted' AND a.code = 'machinery-relocation'
                 THEN a.day + a.t1 + a.t2 + a.t3 + 90 END,
            CASE WHEN a.state IN ('decided', 'returned')
                 THEN a.at + (a.t1 + a.t2 + a.t3 + 1) * interval '1 day' END,
            NULL, NULL,
            a.member_id,
            CASE WHEN a.state IN ('deficient', 'in_review', 'corrections', 'decided', 'returned')
                  AND a.r3 < 0.8 THEN o.member_id END,
            a.business_id,
            CASE WHEN a.state IN ('decided', 'returned') THEN o.member_id END,
            NULL, a.factory_id, NULL
        FROM bench_app a
        LEFT JOIN bench_officer o ON o.agency = a.agency AND o.province = a.province
            AND o.k = a.id %% 4
        """,
    )
    timed(
        conn,
        "application counters",
        """
        INSERT INTO permits_applicationcounter (year_be, last)
        SELECT split_part(number, '-', 2)::int, max(split_part(number, '-', 3)::int)
        FROM permits_application WHERE number IS NOT NULL GROUP BY 1
        """,
    )
    steps(conn)
    records(conn)
    events(conn)
    for table in PERMIT_TABLES[:-1]:  # the counter has no sequence
        conn.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"(SELECT coalesce(max(id), 0) + 1 FROM {table}), false)"
        )
    conn.commit()


def steps(conn) -> None:
    """Three steps per submitted application, in the states its own state implies."""
    timed(
        conn,
        "steps",
        """
        INSERT INTO permits_applicationstep (
            application_id, key, position, state, started_on, due_on, finished_at,
            finished_by_id)
        SELECT a.id, s.key, s.position, s.state,
            CASE WHEN s.state <> 'waiting' AND s.state <> 'skipped' THEN s.started END,
            CASE WHEN s.state <> 'waiting' AND s.state <> 'skipped' THEN s.due END,
            CASE WHEN s.state IN ('done', 'skipped') THEN s.finished END,
            CASE WHEN s.state = 'done' THEN o.member_id END
        FROM bench_app a
        LEFT JOIN bench_officer o ON o.agency = a.agency AND o.province = a.province
            AND o.k = a.id %% 4
        CROSS JOIN LATERAL (VALUES
            ('document_check', 0,
             CASE WHEN a.state = 'submitted' THEN 'running'
                  WHEN a.state = 'deficient' THEN 'paused' ELSE 'done' END,
             a.day, a.day + 1, a.at + a.t1 * interval '1 day'),
            (a.s2, 1,
             CASE WHEN a.state IN ('submitted', 'deficient') THEN 'waiting'
                  WHEN a.state = 'returned' THEN 'skipped'
                  WHEN a.state = 'corrections' THEN 'paused'
                  WHEN a.state = 'in_review' AND NOT a.at_signing THEN 'running'
                  ELSE 'done' END,
             a.day + a.t1, a.day + a.t1 + a.d2, a.at + (a.t1 + a.t2) * interval '1 day'),
            ('signing', 2,
             CASE WHEN a.state = 'decided' THEN 'done'
                  WHEN a.state = 'returned' THEN 'skipped'
                  WHEN a.state = 'in_review' AND a.at_signing THEN 'running'
                  ELSE 'waiting' END,
             a.day + a.t1 + a.t2, a.day + a.t1 + a.t2 + a.d3,
             a.at + (a.t1 + a.t2 + a.t3) * interval '1 day')
        ) AS s(key, position, state, started, due, finished)
        WHERE a.submitted_at IS NOT NULL
        """,
    )


def records(conn) -> None:
    """Declarations, files, deficiency records with their pauses, inspections."""
    timed(
        conn,
        "declarations",
        """
        INSERT INTO permits_declaration (application_id, kind, signer_id, principal_key,
            statement, answers_sha256, files, signed_at, client_ip)
        SELECT a.id, 'submission', a.member_id, 'member:' || a.member_id,
            'ข้าพเจ้าขอรับรองว่าข้อความและเอกสารที่ยื่นนี้เป็นความจริงทุกประการ',
            md5(a.id::text) || md5(a.member_id::text),
            jsonb_build_array(
                jsonb_build_object('document_key', a.doc1, 'name', a.doc1 || '.pdf',
                                   'sha256', md5(a.id::text || 'a') || md5(a.id::text || 'b')),
                jsonb_build_object('document_key', a.doc2, 'name', a.doc2 || '.pdf',
                                   'sha256', md5(a.id::text || 'c') || md5(a.id::text || 'd'))),
            a.at, '203.0.113.7'
        FROM bench_app a WHERE a.submitted_at IS NOT NULL
        """,
    )
    timed(
        conn,
        "files",
        """
        INSERT INTO permits_applicationfile (application_id, document_key, file, original_name,
            content_type, size, sha256, uploaded_by_id, uploaded_at, deficiency_id, replaced_at)
        SELECT a.id, d.key, 'permits/bench/' || md5(a.id::text || d.key) || '.pdf',
            d.key || '.pdf', 'application/pdf', 180000 + a.id %% 900000,
            md5(a.id::text || d.key) || md5(d.key || a.id::text), a.member_id,
            a.at - interval '1 hour', NULL, NULL
        FROM bench_app a CROSS JOIN LATERAL (VALUES (a.doc1), (a.doc2)) d(key)
        WHERE a.state <> 'withdrawn'
        """,
    )
    # Deficiency records: open for the deficient, expired for the returned, completed for one
    # in ten of the others that passed the document check.
    timed(
        conn,
        "deficiency records",
        """
        INSERT INTO permits_deficiencyrecord (application_id, items, deadline, state,
            written_by_id, written_at, completed_at)
        SELECT a.id,
            jsonb_build_array(
                jsonb_build_object('document_key', a.doc2,
                                   'text', 'สำเนาเอกสารไม่ชัดเจน โปรดส่งฉบับที่อ่านได้'),
                jsonb_build_object('document_key', '',
                                   'text', 'ไม่ได้ลงนามรับรองสำเนาถูกต้องทุกหน้า')),
            a.day + 31,
            CASE a.state WHEN 'deficient' THEN 'open' WHEN 'returned' THEN 'expired'
                 ELSE 'completed' END,
            o.member_id, a.at + interval '1 day',
            CASE WHEN a.state NOT IN ('deficient', 'returned')
                 THEN a.at + interval '4 days' END
        FROM bench_app a
        JOIN bench_officer o ON o.agency = a.agency AND o.province = a.province
            AND o.k = a.id %% 4
        WHERE a.state IN ('deficient', 'returned')
           OR (a.had_deficiency AND a.state IN ('in_review', 'corrections', 'decided'))
        """,
    )
    timed(
        conn,
        "clock pauses",
        """
        INSERT INTO permits_clockpause (application_id, step_key, reason, started_on, ended_on)
        SELECT a.id, 'document_check', 'deficiency', a.day + 1,
            CASE WHEN a.state <> 'deficient' THEN a.day + 4 END
        FROM bench_app a
        WHERE a.state IN ('deficient', 'returned')
           OR (a.had_deficiency AND a.state IN ('in_review', 'corrections', 'decided'))
        UNION ALL
        SELECT a.id, a.s2, 'corrections', a.day + a.t1 + 5, NULL
        FROM bench_app a WHERE a.state = 'corrections'
        """,
    )
    timed(
        conn,
        "inspections",
        """
        INSERT INTO permits_inspection (application_id, step_key, inspected_on, findings,
            outcome, corrections, corrections_deadline, corrections_done_at, officer_id,
            recorded_at)
        SELECT a.id, a.s2, a.day + a.t1 + 5,
            'ตรวจสอบสถานที่ตั้งโรงงานและเครื่องจักรแล้ว พบการติดตั้งไม่ตรงตามแผนผังที่ยื่น',
            'corrections', 'ติดตั้งเครื่องจักรให้ตรงตามแผนผังและติดตั้งการ์ดป้องกัน',
            a.day + a.t1 + 35, NULL, o.member_id, a.at + (a.t1 + 5) * interval '1 day'
        FROM bench_app a
        JOIN bench_officer o ON o.agency = a.agency AND o.province = a.province
            AND o.k = a.id %% 4
        WHERE a.state = 'corrections'
        """,
    )


def events(conn) -> None:
    """The people-readable timeline: a few events per application."""
    timed(
        conn,
        "events",
        """
        INSERT INTO permits_applicationevent (application_id, kind, at, actor_id, data)
        SELECT a.id, e.kind, e.at, e.actor, e.data
        FROM bench_app a
        LEFT JOIN bench_officer o ON o.agency = a.agency AND o.province = a.province
            AND o.k = a.id %% 4
        CROSS JOIN LATERAL (VALUES
            ('draft_started', a.at - interval '2 hours', a.member_id, '{}'::jsonb, true),
            ('withdrawn', a.at, a.member_id, '{}'::jsonb, a.state = 'withdrawn'),
            ('submitted', a.at, a.member_id, '{}'::jsonb, a.submitted_at IS NOT NULL),
            ('assigned', a.at + interval '3 hours', o.member_id,
             jsonb_build_object('to', o.member_id),
             a.state NOT IN ('draft', 'withdrawn', 'submitted')),
            ('deficiency', a.at + interval '1 day', o.member_id, '{}'::jsonb,
             a.state IN ('deficient', 'returned')
             OR (a.had_deficiency AND a.state IN ('in_review', 'corrections', 'decided'))),
            ('supplied', a.at + interval '4 days', a.member_id, '{}'::jsonb,
             a.had_deficiency AND a.state IN ('in_review', 'corrections', 'decided')),
            ('accepted', a.at + a.t1 * interval '1 day', o.member_id, '{}'::jsonb,
             a.state IN ('in_review', 'corrections', 'decided')),
            ('inspected', a.at + (a.t1 + 5) * interval '1 day', o.member_id, '{}'::jsonb,
             a.state = 'corrections'),
            ('step_finished', a.at + (a.t1 + a.t2) * interval '1 day', o.member_id,
             jsonb_build_object('step', a.s2),
             a.state = 'decided' OR (a.state = 'in_review' AND a.at_signing)),
            ('decided', a.at + (a.t1 + a.t2 + a.t3) * interval '1 day', o.member_id,
             jsonb_build_object('outcome', a.outcome), a.state = 'decided'),
            ('returned', a.at + 32 * interval '1 day', o.member_id, '{}'::jsonb,
             a.state = 'returned'),
            ('billed', a.at + (a.t1 + a.t2 + a.t3) * interval '1 day' + interval '1 hour',
             NULL, '{}'::jsonb, a.outcome = 'granted')
        ) AS e(kind, at, actor, data, happened)
        WHERE e.happened
        """,
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--applications", type=int, default=500_000)
    parser.add_argument("--scale", type=float, default=0.04, help="bench/generate.py's scale")
    parser.add_argument("--reset", action="store_true")
    parser.add_argument("--seed", type=int, default=2569)
    args = parser.parse_args()
    import psycopg

    url = generate.database_url()
    env = bench_env(url)
    generate.ensure_database(url)
    started = time.perf_counter()
    generate.migrate(env)
    print(f"migrated {url.rsplit('/', 1)[1]} in {time.perf_counter() - started:.0f} s")
    generate.setup_django(env)
    with psycopg.connect(generate.conninfo(url)) as conn:
        if args.reset:
            tables = (*PERMIT_TABLES, "backoffice_officer", *generate.TABLES)
            conn.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
            conn.execute("TRUNCATE django_session")
            conn.commit()
            print("truncated " + ", ".join(tables) + " (CASCADE) and django_session")
        elif conn.execute("SELECT EXISTS (SELECT 1 FROM permits_application)").fetchone()[0]:
            raise SystemExit("permits_application already holds rows: run with --reset")
        conn.execute("SET synchronous_commit = off")
        conn.execute("SET maintenance_work_mem = '512MB'")
        conn.execute("SET work_mem = '128MB'")
        conn.commit()
        if not conn.execute("SELECT EXISTS (SELECT 1 FROM operators_factory)").fetchone()[0]:
            base_data(conn, scale=args.scale, seed=args.seed)
        started = time.perf_counter()
        print(f"{args.applications:,} applications:", flush=True)
        applications(conn, count=args.applications, seed=args.seed)
        print(f"written in {time.perf_counter() - started:.0f} s", flush=True)
        started = time.perf_counter()
        conn.autocommit = True
        conn.execute(
            "VACUUM (ANALYZE) "
            + ", ".join((*PERMIT_TABLES, "backoffice_officer", "operators_factory"))
        )
        print(f"VACUUM ANALYZE {time.perf_counter() - started:.0f} s")
        for table in PERMIT_TABLES:
            (rows,) = conn.execute(f"SELECT count(*) FROM {table}").fetchone()
            print(f"  {table}: {rows:,}")
        for state, rows in conn.execute(
            "SELECT state, count(*) FROM permits_application GROUP BY 1 ORDER BY 2 DESC"
        ):
            print(f"  state {state}: {rows:,}")


if __name__ == "__main__":
    main()

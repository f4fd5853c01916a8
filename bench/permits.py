"""bench/permits: the permit pages with 500,000 applications (issue 11) against a trivial page of
the same server (DESIGN.md "Performance budgets": median < 20 ms and p99 < 100 ms of server
time, a constant number of queries per page whatever the data's size).

Needs the data of bench/generate_permits.py in BENCH_DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/bench_permits) and Redis (BENCH_REDIS_URL, default DB 11).

1. The database is migrated (--no-migrate skips it). Three officers of the generated areas are
   given the permit rights with backoffice's officer_appoint: one of DIW (Bangkok's
   applications), one of the provincial office of Samut Prakan (a busy one) and one of Mae Hong
   Son (a quiet one, for the small queue); an applicant with many applications and one with few.
   All are logged in by creating their sessions directly (SessionStore, Django's auth keys and,
   for officers, the two-factor flag core.acting.TWO_FACTOR_SESSION_KEY): no password hashing
   or one-time code near the clock.
2. The pages: the officer's queue (each officer; also filtered by procedure), an application's
   page for the officer (its timeline: the application of the area with the most events, and
   one with the fewest), the statistics page for the officer, the applicant's list and their
   application's page with its timeline, the public statistics page of each procedure. Pages
   whose URL name does not exist (a branch not merged) are left out and said so.
3. Queries: every page once through Django's test Client in this process (after a warm-up
   request), inside CaptureQueriesContext; the counts of the small and the large case of a page
   are compared. --explain prints EXPLAIN (ANALYZE, BUFFERS) of each page's slowest queries.
4. Timing: gunicorn serves bench/pages.py's WSGI wrapper (Server-Timing header), serial and
   concurrent phases per page after /healthz, exactly as bench/pages.py does.

Usage: .venv/bin/python bench/permits.py [--seconds 5] [--requests 300] [--clients 4]
       [--explain] [--no-migrate] [--only WORD]
"""

import argparse
import os
import signal
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
os.environ.setdefault("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_permits")
os.environ.setdefault("BENCH_REDIS_URL", "redis://127.0.0.1:6379/11")

import generate  # noqa: E402  (bench/ on the path, the database default set first)
import pages  # noqa: E402
from common import bench_env, collect_static, start_server  # noqa: E402

ROOT = BENCH.parent
BANGKOK = "กรุงเทพมหานคร"
BUSY_PROVINCE = "สมุทรปราการ"
QUIET_PROVINCE = "แม่ฮ่องสอน"
RIGHTS = ["permits.review_application", "permits.decide_application"]
CODES = ("machinery-relocation", "restart-after-stop", "factory-licence")


# --- who: officers and applicants ----------------------------------------------------------------


def one(sql: str, params=()) -> tuple:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchone()


def officers() -> dict[str, dict]:
    """The first officer of DIW, of Samut Prakan's office and of Mae Hong Son's, with the
    permit rights (officer_appoint is idempotent), and the size of their open queue."""
    from portal.accounts.models import Member
    from portal.backoffice.services import officer_appoint

    chosen = {}
    for label, agency, province in (
        ("DIW officer", "DIW", ""),
        ("PIO officer (busy)", "PIO", BUSY_PROVINCE),
        ("PIO officer (quiet)", "PIO", QUIET_PROVINCE),
    ):
        (member_id,) = one(
            "SELECT member_id FROM backoffice_officer WHERE agency = %s AND province = %s "
            "ORDER BY member_id LIMIT 1",
            [agency, province],
        )
        officer_appoint(
            member=Member.objects.get(pk=member_id),
            agency=agency,
            province=province,
            permissions=RIGHTS,
        )
        (open_,) = one(
            "SELECT count(*) FROM permits_application WHERE agency = %s AND province = %s "
            "AND state IN ('submitted', 'deficient', 'in_review', 'corrections')",
            [agency, province],
        )
        (total,) = one(
            "SELECT count(*) FROM permits_application WHERE agency = %s AND province = %s",
            [agency, province],
        )
        chosen[label] = {
            "member_id": member_id,
            "agency": agency,
            "province": province,
            "open": open_,
            "total": total,
        }
    return chosen


def timelines(agency: str, province: str) -> tuple[tuple[int, int], tuple[int, int]]:
    """(application, events) of the area's open application with the most events and of its
    submitted application with the fewest."""
    rich = one(
        """
        SELECT a.id, count(e.id) FROM permits_application a
        JOIN permits_applicationevent e ON e.application_id = a.id
        WHERE a.agency = %s AND a.province = %s
          AND a.state IN ('in_review', 'corrections', 'deficient')
        GROUP BY a.id ORDER BY count(e.id) DESC, a.id LIMIT 1
        """,
        [agency, province],
    )
    poor = one(
        """
        SELECT a.id, count(e.id) FROM permits_application a
        JOIN permits_applicationevent e ON e.application_id = a.id
        WHERE a.agency = %s AND a.province = %s AND a.state = 'submitted'
        GROUP BY a.id ORDER BY count(e.id), a.id LIMIT 1
        """,
        [agency, province],
    )
    return rich, poor


def applicants(application_id: int) -> dict[str, dict]:
    """The applicant of the rich application (with their number of applications), the
    principal with the most applications and the one with the fewest."""
    member_id, count = one(
        """
        SELECT a.applicant_id, (SELECT count(*) FROM permits_application b
                                WHERE b.principal_key = a.principal_key)
        FROM permits_application a WHERE a.id = %s
        """,
        [application_id],
    )
    largest = one(
        "SELECT principal_key, count(*) FROM permits_application "
        "GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1"
    )
    # The fewest, among those with an application in the rich one's state (compared below).
    smallest = one(
        "SELECT principal_key, count(*) FROM permits_application GROUP BY 1 "
        "HAVING bool_or(state = (SELECT state FROM permits_application WHERE id = %s)) "
        "ORDER BY 2, 1 LIMIT 1",
        [application_id],
    )
    # Their application in the same state as the rich one: a page may rightly read more for
    # one state than another (an open deficiency record); the comparison is of sizes.
    detail_of_small = one(
        "SELECT id FROM permits_application WHERE principal_key = %s AND state = "
        "(SELECT state FROM permits_application WHERE id = %s) ORDER BY id LIMIT 1",
        [smallest[0], application_id],
    )
    return {
        "applicant (rich timeline)": {
            "member_id": member_id,
            "applications": count,
            "detail": application_id,
        },
        "applicant (most applications)": {
            "member_id": int(largest[0].split(":")[1]),
            "applications": largest[1],
            "detail": None,
        },
        "applicant (fewest applications)": {
            "member_id": int(smallest[0].split(":")[1]),
            "applications": smallest[1],
            "detail": detail_of_small[0] if detail_of_small else None,
        },
    }


def make_session(member_id: int, *, two_factor: bool) -> str:
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from portal.accounts.models import Member
    from portal.core.acting import TWO_FACTOR_SESSION_KEY

    member = Member.objects.get(pk=member_id)
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(member.pk)
    session[BACKEND_SESSION_KEY] = pages.BACKEND
    session[HASH_SESSION_KEY] = member.get_session_auth_hash()
    if two_factor:
        session[TWO_FACTOR_SESSION_KEY] = time.time()
    session.create()
    return session.session_key


# --- what: the pages -----------------------------------------------------------------------------


def url(name: str, *args, query: str = "") -> str | None:
    """The path of a URL name, or None when the name does not exist (a branch not merged)."""
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse(name, args=args) + (f"?{query}" if query else "")
    except NoReverseMatch:
        return None


def plan(who: dict, whose: dict) -> list[dict]:
    """Rows of (group, profile, page, path, session): `group` pairs a page's small and large
    case for the query-count comparison."""
    rows = []

    def add(group, profile, page, path, session):
        rows.append(
            {"group": group, "profile": profile, "page": page, "path": path, "session": session}
        )

    for label, officer in who.items():
        session = officer["session"]
        add("queue", label, "officer queue", url("backoffice:permits_queue"), session)
        if label != "PIO officer (quiet)":
            add(
                "queue filtered",
                label,
                "officer queue, one procedure",
                url("backoffice:permits_queue", query="procedure=factory-licence"),
                session,
            )
            (rich, rich_events), (poor, poor_events) = officer["timelines"]
            add(
                "officer application",
                label,
                f"officer application ({rich_events} events)",
                url("backoffice:permit_detail", rich),
                session,
            )
            add(
                "officer application",
                label,
                f"officer application ({poor_events} events)",
                url("backoffice:permit_detail", poor),
                session,
            )
        if label == "DIW officer":
            for code in CODES:
                add(
                    "officer statistics",
                    label,
                    f"officer statistics {code}",
                    url("backoffice:permit_statistics", query=f"procedure={code}"),
                    session,
                )
    for label, applicant in whose.items():
        session = applicant["session"]
        add(
            "applicant list",
            label,
            f"applicant list ({applicant['applications']} applications)",
            url("applications:list"),
            session,
        )
        if applicant["detail"]:
            add(
                "applicant application",
                label,
                "applicant application (timeline)",
                url("applications:detail", applicant["detail"]),
                session,
            )
    for code in CODES:
        add(
            "public statistics",
            "anonymous",
            f"public statistics {code}",
            url("permit_stats:statistics", code),
            None,
        )
    return rows


def count_queries(rows: list[dict], *, explain: bool) -> None:
    """Status and number of SQL queries of each page, in process, after a warm-up request;
    with `explain`, the plans of its three slowest queries."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    for row in rows:
        if row["path"] is None:
            continue
        client = Client()
        if row["session"]:
            client.cookies[settings.SESSION_COOKIE_NAME] = row["session"]
        client.get(row["path"])
        with CaptureQueriesContext(connection) as captured:
            response = client.get(row["path"])
        row["status"] = response.status_code
        row["queries"] = len(captured)
        slowest = sorted(captured.captured_queries, key=lambda q: -float(q["time"]))[:3]
        row["slowest"] = [(float(q["time"]) * 1000, q["sql"]) for q in slowest]
        if explain:
            print(f"\n--- {row['profile']}: {row['page']} ({row['path']})")
            for ms, sql in row["slowest"]:
                print(f"  {ms:.1f} ms: {sql[:600]}")
                if not sql.lstrip().upper().startswith("SELECT"):
                    continue
                with connection.cursor() as cur:
                    cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                    for (line,) in cur.fetchall():
                        print("    " + line)


# --- main ----------------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=5, help="time limit of each phase")
    parser.add_argument("--requests", type=int, default=300, help="serial requests per page")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--explain", action="store_true", help="plans of the slowest queries")
    parser.add_argument("--no-migrate", action="store_true")
    parser.add_argument("--no-timing", action="store_true", help="query counts only")
    parser.add_argument("--only", default="", help="time only the pages whose name has this")
    args = parser.parse_args()

    url_ = generate.database_url()
    env = bench_env(url_)
    env["PYTHONPATH"] = f"{ROOT / 'src'}:{BENCH}"
    if not args.no_migrate:
        generate.migrate(env)
    collect_static(env)  # DEBUG off: the in-process client renders with the manifest too
    generate.setup_django(env)
    from django.db import connection

    sizes = one(
        "SELECT (SELECT count(*) FROM permits_application), "
        "(SELECT count(*) FROM permits_applicationstep), "
        "(SELECT count(*) FROM permits_applicationevent), "
        "(SELECT count(*) FROM permits_deficiencyrecord), "
        "(SELECT count(*) FROM permits_clockpause), "
        "(SELECT count(*) FROM permits_applicationfile), "
        "(SELECT count(*) FROM permits_application WHERE state IN "
        "('submitted', 'deficient', 'in_review', 'corrections'))"
    )
    print(
        "data: {:,} applications, {:,} steps, {:,} events, {:,} deficiency records, "
        "{:,} clock pauses, {:,} files; {:,} open".format(*sizes)
    )
    who = officers()
    for label, officer in who.items():
        officer["session"] = make_session(officer["member_id"], two_factor=True)
        officer["timelines"] = timelines(officer["agency"], officer["province"])
        print(
            f"{label}: member {officer['member_id']}, {officer['agency']} "
            f"{officer['province'] or '(Bangkok)'}: {officer['open']:,} open of "
            f"{officer['total']:,} applications"
        )
    rich_application = who["DIW officer"]["timelines"][0][0]
    whose = applicants(rich_application)
    for label, applicant in whose.items():
        applicant["session"] = make_session(applicant["member_id"], two_factor=False)
        print(f"{label}: member {applicant['member_id']}, {applicant['applications']} applications")
    rows = plan(who, whose)
    missing = sorted({row["page"].split(" (")[0] for row in rows if row["path"] is None})
    for page in missing:
        print(f"not measured: {page} (its URL name does not exist in this branch)")
    rows = [row for row in rows if row["path"] is not None]

    print("\nSQL queries per page (Django test Client, in process, same database):")
    count_queries(rows, explain=args.explain)
    groups: dict[str, set[int]] = {}
    for row in rows:
        groups.setdefault(row["group"], set()).add(row["queries"])
    for row in rows:
        verdict = "constant" if len(groups[row["group"]]) == 1 else "NOT CONSTANT"
        slowest = row["slowest"][0][0] if row["slowest"] else 0
        print(
            f"  {row['profile']:32} {row['page']:44} HTTP {row['status']}  "
            f"{row['queries']:3} queries (slowest {slowest:6.1f} ms)  -> {verdict}"
        )
    connection.close()
    if args.no_timing:
        return

    server, base = start_server(
        env, args.workers, app="pages:application", extra=("--pythonpath", str(BENCH))
    )
    print(
        f"\ngunicorn {args.workers} workers x 2 threads; serial phase 1 client "
        f"(<= {args.requests} requests or {args.seconds:.0f} s), concurrent phase "
        f"{args.clients} clients (<= {args.requests * args.clients} requests or "
        f"{args.seconds:.0f} s). Times in ms."
    )
    print(
        "  {:32} {:44} {:>8} {:>8} {:>8} {:>8} {:>7} {:>6} {:>6} {:>8} {:>5}".format(
            "profile",
            "page",
            "srv med",
            "srv p99",
            "cli med",
            "cli p99",
            "req/s",
            "x med",
            "x rps",
            "ld p99",
            "n",
        )
    )
    results = []
    try:
        baseline = pages.measure(base, "/healthz", None, args)
        print(
            "  {:32} {:44} {:8.2f} {:8.2f} {:8.2f} {:8.2f} {:7.0f} {:>6} {:>6} {:8.2f} {:5}".format(
                "-",
                "/healthz (baseline)",
                baseline["server_median"],
                baseline["server_p99"],
                baseline["client_median"],
                baseline["client_p99"],
                baseline["rps"],
                "1",
                "1",
                baseline["loaded_server_p99"],
                baseline["serial_n"],
            ),
            flush=True,
        )
        for row in rows:
            if args.only and args.only not in row["page"]:
                continue
            if row["status"] != 200:
                print(f"  {row['profile']:32} {row['page']:44} not measured: HTTP {row['status']}")
                continue
            result = pages.measure(base, row["path"], row["session"], args)
            results.append((row, result))
            over = (
                "  OVER BUDGET"
                if result["server_median"] >= 20 or result["server_p99"] >= 100
                else ""
            )
            print(
                "  {:32} {:44} {:8.2f} {:8.2f} {:8.2f} {:8.2f} {:7.0f} {:6.1f} {:6.2f} {:8.2f} "
                "{:5}{}{}".format(
                    row["profile"],
                    row["page"],
                    result["server_median"],
                    result["server_p99"],
                    result["client_median"],
                    result["client_p99"],
                    result["rps"],
                    result["server_median"] / baseline["server_median"],
                    result["rps"] / baseline["rps"],
                    result["loaded_server_p99"],
                    result["serial_n"],
                    over,
                    f"  {result['failures']} non-200" if result["failures"] else "",
                ),
                flush=True,
            )
        again = pages.measure(base, "/healthz", None, args)
        print(
            f"  /healthz again at the end: server median {again['server_median']:.2f} ms, "
            f"{again['rps']:.0f} req/s (start: {baseline['server_median']:.2f} ms, "
            f"{baseline['rps']:.0f} req/s)"
        )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(10)
    print(
        "\nsrv: server time (Server-Timing of the WSGI wrapper), serial; cli: client latency on "
        "loopback, serial; req/s: concurrent phase; x med: server median / baseline's; x rps: "
        "req/s / baseline's; ld p99: server p99 in the concurrent phase."
    )
    print("\nMarkdown (docs/benchmarks.md):\n")
    print(
        "| Profile | Page | Queries | Server median (ms) | Server p99 (ms) | x trivial "
        "(median) | req/s (x trivial) |"
    )
    print("|---|---|---:|---:|---:|---:|---:|")
    print(
        f"| - | /healthz (trivial) | 0 | {baseline['server_median']:.2f} | "
        f"{baseline['server_p99']:.2f} | 1 | {baseline['rps']:.0f} (1) |"
    )
    for row, result in results:
        print(
            f"| {row['profile']} | {row['page']} | {row['queries']} | "
            f"{result['server_median']:.1f} | {result['server_p99']:.1f} | "
            f"{result['server_median'] / baseline['server_median']:.0f} | "
            f"{result['rps']:.0f} ({result['rps'] / baseline['rps']:.2f}) |"
        )


if __name__ == "__main__":
    main()

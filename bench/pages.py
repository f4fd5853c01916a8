"""bench/pages: the member pages at national scale against a trivial page of the same server
(DESIGN.md "Performance budgets": median < 20 ms and p99 < 100 ms of server time, a constant
number of queries per page whatever the profile's size; factory search p99 < 50 ms).

Needs the data of bench/generate.py in BENCH_DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/portal_bench) and Redis (BENCH_REDIS_URL).

1. Profiles: a typical member (one business, one factory) and the largest one (the consultant
   with the most factories), logged in by creating their sessions directly (SessionStore and
   Django's auth session keys: no password hashing anywhere near the clock).
2. Queries: every page once through Django's test Client in this process, on the same
   database, inside CaptureQueriesContext, for each profile (after one warm-up request).
3. Timing: gunicorn (2 workers x 2 threads, production-like env: SANDBOX=1, DEBUG=0, Redis
   cache) serves the portal through `application` below, a WSGI wrapper that adds a
   `Server-Timing: app;dur=<ms>` header (the time from the request entering Django until
   Django starts the response); the portal's code is unchanged. For each page, `/healthz`
   first: a serial phase (one client thread: server time and client latency without queueing)
   and a concurrent phase (--clients threads: requests per second, latency under load). Each
   phase stops at a request count or a time limit, whichever comes first. Loopback only.

Bills (issue 10, with bench/generate.py's 2,000,000 bills): the member's "Bills and payments"
list for both profiles (the largest holds thousands of bills), and the officers' province bill
list (the first page and a deep page) for a provincial officer of the province with the most
bills and one of the province with the fewest: the same pages at both sizes, so their query
counts show whether they stay constant.

Usage: .venv/bin/python bench/pages.py [--seconds 5] [--requests 400] [--clients 4]
       [--only bill]
"""

import argparse
import functools
import os
import signal
import statistics
import sys
import threading
import time
from pathlib import Path

from common import (  # bench/ is on the path: scripts run as bench/<name>.py
    bench_env,
    collect_static,
    pct,
    start_server,
)

ROOT = Path(__file__).resolve().parents[1]
BENCH = Path(__file__).resolve().parent
PYTHON = sys.executable
BACKEND = "portal.accounts.backends.NationalIdBackend"


# --- the WSGI wrapper gunicorn serves: the portal plus a server-time header -----------------


@functools.cache
def _portal():
    from portal.wsgi import application as portal_application

    return portal_application


def application(environ, start_response):
    app = _portal()
    started = time.perf_counter()

    def timed_start_response(status, headers, exc_info=None):
        elapsed = (time.perf_counter() - started) * 1000
        return start_response(
            status, [*headers, ("Server-Timing", f"app;dur={elapsed:.3f}")], exc_info
        )

    return app(environ, timed_start_response)


# --- profiles and sessions -------------------------------------------------------------------


def pick_profiles() -> dict[str, dict]:
    """A typical member (one verified business with one factory) and the largest profile."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            """
            SELECT fh.member_id, count(*) FROM operators_factoryholding fh
            WHERE fh.removed_at IS NULL GROUP BY fh.member_id ORDER BY count(*) DESC LIMIT 1
            """
        )
        largest = cur.fetchone()[0]
        cur.execute(
            """
            SELECT h.member_id FROM operators_holding h
            JOIN operators_factoryholding fh ON fh.holding_id = h.id AND fh.removed_at IS NULL
            WHERE h.removed_at IS NULL AND h.status = 'verified'
              AND h.member_id > 1000 AND h.member_id % 97 = 3
              AND (SELECT count(*) FROM operators_holding o
                   WHERE o.member_id = h.member_id AND o.removed_at IS NULL) = 1
            GROUP BY h.member_id HAVING count(*) = 1 ORDER BY h.member_id LIMIT 1
            """
        )
        typical = cur.fetchone()[0]
    profiles = {}
    for label, member_id in (("typical", typical), ("largest", largest)):
        with connection.cursor() as cur:
            cur.execute(
                "SELECT count(*) FROM operators_holding "
                "WHERE member_id = %s AND removed_at IS NULL",
                [member_id],
            )
            businesses = cur.fetchone()[0]
            cur.execute(
                "SELECT count(*), min(id) FROM operators_factoryholding "
                "WHERE member_id = %s AND removed_at IS NULL",
                [member_id],
            )
            factories, factory_holding = cur.fetchone()
            cur.execute(
                "SELECT h.id FROM operators_holding h WHERE h.member_id = %s "
                "AND h.removed_at IS NULL ORDER BY (SELECT count(*) FROM operators_holding o "
                "WHERE o.business_id = h.business_id AND o.removed_at IS NULL) DESC, h.id LIMIT 1",
                [member_id],
            )
            holding = cur.fetchone()[0]
        profiles[label] = {
            "member_id": member_id,
            "businesses": businesses,
            "factories": factories,
            "holding": holding,
            "factory_holding": factory_holding,
        }
    return profiles


def search_queries() -> dict[str, str]:
    """FAC-04 search strings taken from the data: a new number, an old number, words of a
    factory's name (common and rare) and words of an operator's name."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            "SELECT factory_no, factory_no_old FROM operators_factory "
            "WHERE factory_no_old <> '' AND id >= (SELECT max(id) / 5 FROM operators_factory) "
            "ORDER BY id LIMIT 1"
        )
        new_no, old_no = cur.fetchone()
        cur.execute(
            "SELECT name_th FROM operators_factory "
            "WHERE id >= (SELECT max(id) * 2 / 3 FROM operators_factory) ORDER BY id LIMIT 1"
        )
        (factory_name,) = cur.fetchone()
        cur.execute(
            "SELECT name_th FROM operators_business WHERE name_th LIKE 'บริษัท %%' "
            "AND id >= (SELECT max(id) / 3 FROM operators_business) ORDER BY id LIMIT 1"
        )
        (business_name,) = cur.fetchone()
    operator_words = business_name.split()[1]  # บริษัท <these words> <suffix> จำกัด
    return {
        "search: new number": new_no,
        "search: old number": old_no,
        "search: name word (common)": "พลาสติก",
        "search: factory name": factory_name,
        "search: operator name": operator_words,
    }


def pick_officers() -> dict[str, dict]:
    """Two provincial officers (PIO, with the bill rights, two-factor sessions): of the
    province with the most bills and of the one with the fewest. Each is a member who holds
    nothing, appointed here (again on every run: the appointment is an upsert)."""
    from django.db import connection, transaction

    from portal.accounts.models import Member
    from portal.backoffice.services import officer_appoint

    with connection.cursor() as cur:
        cur.execute(
            "SELECT province, count(*) FROM billing_bill GROUP BY province ORDER BY count(*) DESC"
        )
        provinces = cur.fetchall()
        if not provinces:
            raise SystemExit("no bills: run bench/generate.py (or --bills-only) first")
        cur.execute(
            "SELECT m.id FROM accounts_member m WHERE m.id > 1000 AND NOT EXISTS "
            "(SELECT 1 FROM operators_holding h WHERE h.member_id = m.id) ORDER BY m.id LIMIT 2"
        )
        members = [row[0] for row in cur.fetchall()]
    officers = {}
    for (label, (province, bills)), member_id in zip(
        (("PIO most bills", provinces[0]), ("PIO fewest bills", provinces[-1])),
        members,
        strict=True,
    ):
        with transaction.atomic():
            officer_appoint(
                member=Member.objects.get(pk=member_id),
                agency="PIO",
                province=province,
                permissions=["billing.view_bill"],
            )
        officers[label] = {"member_id": member_id, "province": province, "bills": bills}
    return officers


def officer_pages(officer: dict) -> dict[str, str]:
    # A deep page: the 50th (rows 2,451 to 2,500 at 50 a page), within every province's bills.
    return {
        "officer: province bills": "/backoffice/bills/",
        "officer: province bills p.50": "/backoffice/bills/?page=50",
        "officer: awaiting payment": "/backoffice/bills/?state=awaiting_payment",
    }


def make_session(member_id: int, *, two_factor: bool = False) -> str:
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from portal.accounts.models import Member

    member = Member.objects.get(pk=member_id)
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(member.pk)
    session[BACKEND_SESSION_KEY] = BACKEND
    session[HASH_SESSION_KEY] = member.get_session_auth_hash()
    if two_factor:  # officers reach the back office only after a second factor (SSO-04)
        from portal.core.acting import TWO_FACTOR_SESSION_KEY

        session[TWO_FACTOR_SESSION_KEY] = time.time()
    session.create()
    return session.session_key


def pages_of(profile: dict, searches: dict[str, str]) -> dict[str, str]:
    from urllib.parse import urlencode

    pages = {
        "dashboard /": "/",
        "business list": "/businesses/",
        "business detail": f"/businesses/{profile['holding']}/",
        "factory list": "/factories/",
        "factory detail": f"/factories/{profile['factory_holding']}/",
        "bill list": "/bills/",
        "bill list p.2": "/bills/?page=2",
    }
    for label, query in searches.items():
        pages[label] = "/factories/search/?" + urlencode({"q": query})
    return pages


def count_queries(session_key: str, pages: dict[str, str]) -> dict[str, tuple[int, int]]:
    """(status, number of SQL queries) per page, in process, after one warm-up request."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = session_key
    counts = {}
    for label, path in pages.items():
        client.get(path)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        counts[label] = (response.status_code, len(captured))
    return counts


# --- the server and the clients ------------------------------------------------------------


def load(base, path, session_key, *, clients, max_requests, seconds):
    """Requests from `clients` threads until max_requests in all or `seconds` have passed.
    Returns (client latencies ms, server times ms, elapsed s, non-200 answers)."""
    import httpx

    lock = threading.Lock()
    latencies: list[float] = []
    server_times: list[float] = []
    failures = [0]
    issued = [0]
    stop_at = time.perf_counter() + seconds
    cookies = {"sessionid": session_key} if session_key else {}

    def loop():
        with httpx.Client(base_url=base, cookies=cookies, timeout=30) as http:
            while time.perf_counter() < stop_at:
                with lock:
                    if issued[0] >= max_requests:
                        return
                    issued[0] += 1
                started = time.perf_counter()
                response = http.get(path)
                elapsed = (time.perf_counter() - started) * 1000
                timing = response.headers.get("server-timing", "app;dur=nan")
                with lock:
                    if response.status_code != 200:
                        failures[0] += 1
                    latencies.append(elapsed)
                    server_times.append(float(timing.rsplit("=", 1)[1]))

    threads = [threading.Thread(target=loop) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, server_times, time.perf_counter() - started, failures[0]


def measure(base, path, session_key, args) -> dict:
    load(base, path, session_key, clients=2, max_requests=20, seconds=5)  # warm-up
    lat1, srv1, _, fail1 = load(
        base, path, session_key, clients=1, max_requests=args.requests, seconds=args.seconds
    )
    latn, srvn, elapsed, failn = load(
        base,
        path,
        session_key,
        clients=args.clients,
        max_requests=args.requests * args.clients,
        seconds=args.seconds,
    )
    return {
        "server_median": statistics.median(srv1),
        "server_p99": pct(srv1, 99),
        "client_median": statistics.median(lat1),
        "client_p99": pct(lat1, 99),
        "serial_n": len(lat1),
        "rps": len(latn) / elapsed,
        "loaded_server_median": statistics.median(srvn),
        "loaded_server_p99": pct(srvn, 99),
        "loaded_client_p99": pct(latn, 99),
        "loaded_n": len(latn),
        "failures": fail1 + failn,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=5, help="time limit of each phase")
    parser.add_argument("--requests", type=int, default=400, help="serial requests per page")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument(
        "--only", default="", help="time only the pages whose label contains this (e.g. bill)"
    )
    args = parser.parse_args()
    sys.path.insert(0, str(BENCH))
    import generate

    url = generate.database_url()
    env = bench_env(url)
    env["PYTHONPATH"] = f"{ROOT / 'src'}:{BENCH}"
    generate.setup_django(env)
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            "SELECT (SELECT count(*) FROM accounts_member), (SELECT count(*) FROM "
            "operators_business), (SELECT count(*) FROM operators_factory), (SELECT count(*) "
            "FROM operators_holding), (SELECT count(*) FROM operators_factoryholding)"
        )
        sizes = cur.fetchone()
    print(
        "data: {:,} members, {:,} businesses, {:,} factories, {:,} holdings, "
        "{:,} factory holdings".format(*sizes)
    )
    profiles = pick_profiles()
    searches = search_queries()
    for label, profile in profiles.items():
        profile["session"] = make_session(profile["member_id"])
        profile["pages"] = pages_of(profile, searches)
        print(
            f"profile {label}: member {profile['member_id']}, {profile['businesses']} "
            f"businesses, {profile['factories']} factories"
        )
    for label, query in searches.items():
        print(f"{label}: q={query!r}")

    officers = pick_officers()
    for label, officer in officers.items():
        officer["session"] = make_session(officer["member_id"], two_factor=True)
        officer["pages"] = officer_pages(officer)
        print(
            f"profile {label}: member {officer['member_id']}, province {officer['province']}, "
            f"{officer['bills']:,} bills"
        )
    with connection.cursor() as cur:
        cur.execute(
            "SELECT fh.member_id, count(*) FROM billing_bill b "
            "JOIN billing_diwfactory d ON d.id = b.factory_id "
            "JOIN operators_factory f ON f.factory_no = d.factory_no "
            "JOIN operators_factoryholding fh ON fh.factory_id = f.id AND fh.removed_at IS NULL "
            "WHERE fh.member_id = ANY(%s) GROUP BY fh.member_id",
            [[p["member_id"] for p in profiles.values()]],
        )
        bill_counts = dict(cur.fetchall())
    for label, profile in profiles.items():
        print(f"profile {label}: {bill_counts.get(profile['member_id'], 0):,} bills")

    # The pages render with DEBUG off here too: they need the collected static files' manifest.
    collect_static(env)
    print("\nSQL queries per page (Django test Client, in process, same database):")
    available = {}
    counts = {}
    for group in (profiles, officers):
        for label, p in group.items():
            counts[label] = count_queries(p["session"], p["pages"])
        for page in next(iter(group.values()))["pages"]:
            row = {label: counts[label][page] for label in group}
            statuses = {status for status, _ in row.values()}
            numbers = {n for _, n in row.values()}
            available[page] = statuses == {200}
            verdict = "constant" if len(numbers) == 1 else "NOT CONSTANT"
            print(
                f"  {page:28} "
                + "  ".join(f"{label}: {n} (HTTP {status})" for label, (status, n) in row.items())
                + f"  -> {verdict}"
            )
    connection.close()

    server, base = start_server(
        env, args.workers, app="pages:application", extra=("--pythonpath", str(BENCH))
    )
    print(
        f"\ngunicorn {args.workers} workers x 2 threads; serial phase 1 client "
        f"(<= {args.requests} requests or {args.seconds:.0f} s), concurrent phase "
        f"{args.clients} clients (<= {args.requests * args.clients} requests or "
        f"{args.seconds:.0f} s). Times in ms."
    )
    header = "  {:16} {:28} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8}".format(
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
    try:
        baseline = measure(base, "/healthz", None, args)
        print(header)
        print(
            "  {:16} {:28} {:8.2f} {:8.2f} {:8.2f} {:8.2f} {:8.0f} {:>8} {:>8} {:8.2f} {:8}".format(
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
        for label, profile in {**profiles, **officers}.items():
            for page, path in profile["pages"].items():
                if args.only not in page:
                    continue
                if not available[page]:
                    print(f"  {label:16} {page:28} not measured: HTTP {counts[label][page][0]}")
                    continue
                result = measure(base, path, profile["session"], args)
                budget = 50 if page.startswith("search") else 100
                over = (
                    "  OVER BUDGET"
                    if result["server_median"] >= 20 or result["server_p99"] >= budget
                    else ""
                )
                print(
                    "  {:16} {:28} {:8.2f} {:8.2f} {:8.2f} {:8.2f} {:8.0f} {:8.1f} {:8.2f} "
                    "{:8.2f} {:8}{}{}".format(
                        label,
                        page,
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
        again = measure(base, "/healthz", None, args)
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


if __name__ == "__main__":
    main()

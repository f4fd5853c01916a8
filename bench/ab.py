"""bench/ab: the same pages served by two trees of the portal, requests alternated, so that
both are measured in the same moments of a machine whose speed changes by half from one
minute to the next (docs/benchmarks.md, session of 2026-12-04).

Two gunicorn servers (one worker, one thread each) serve bench/pages.py's WSGI wrapper
(Server-Timing header) on the same bench database and Redis: the tree checked out now (`src/`)
and a base tree given by --base (the `src` folder of another checkout, e.g. `git worktree add
/tmp/base <commit>`); both must read the same database schema and cache entries. Every answer
must be 200. For each page, 20 warm-up pairs, then --pairs pairs of requests, the
order inside a pair swapped every time. Printed: each server's median and p99 of server time
and their ratio.

The pages are those of bench/pages.py (--kind pages, bench/generate.py's data) or
bench/permits.py (--kind permits, bench/generate_permits.py's data); --only keeps the pages
whose profile, name or path contains the text.

Usage: .venv/bin/python bench/ab.py --base /tmp/base/src [--kind pages|permits] [--only WORD]
       [--pairs 100]
"""

import argparse
import os
import signal
import statistics
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

DATABASES = {
    "pages": ("postgres://postgres@127.0.0.1:5432/portal_bench", "redis://127.0.0.1:6379/14"),
    "permits": ("postgres://postgres@127.0.0.1:5432/bench_permits", "redis://127.0.0.1:6379/11"),
}


def pages_to_time(kind: str) -> list[tuple[str, str, str, str | None]]:
    """(profile, page, path, session key) of bench/pages.py's or bench/permits.py's pages."""
    rows = []
    if kind == "pages":
        import pages

        profiles = pages.pick_profiles()
        searches = pages.search_queries()
        for label, profile in profiles.items():
            session = pages.make_session(profile["member_id"])
            for page, path in pages.pages_of(profile, searches).items():
                rows.append((label, page, path, session))
        for label, officer in pages.pick_officers().items():
            session = pages.make_session(officer["member_id"], two_factor=True)
            for page, path in pages.officer_pages(officer).items():
                rows.append((label, page, path, session))
        return rows
    import permits

    who = permits.officers()
    for officer in who.values():
        officer["session"] = permits.make_session(officer["member_id"], two_factor=True)
        officer["timelines"] = permits.timelines(officer["agency"], officer["province"])
    whose = permits.applicants(who["DIW officer"]["timelines"][0][0])
    for applicant in whose.values():
        applicant["session"] = permits.make_session(applicant["member_id"], two_factor=False)
    for row in permits.plan(who, whose):
        if row["path"]:
            rows.append((row["profile"], row["page"], row["path"], row["session"]))
    return rows


def start(env: dict, src: str):
    from common import free_port

    port = free_port()
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "pages:application",
            "--pythonpath",
            str(BENCH),
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--threads",
            "1",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env={**env, "PYTHONPATH": f"{src}:{BENCH}"},
        start_new_session=True,
    )
    return server, f"http://127.0.0.1:{port}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", required=True, help="the base tree's src folder")
    parser.add_argument("--kind", choices=sorted(DATABASES), default="pages")
    parser.add_argument("--only", default="")
    parser.add_argument("--pairs", type=int, default=100)
    args = parser.parse_args()
    # A wrong folder would not fail: the portal installed in the virtual environment (this
    # tree) would be imported in its place, and the two servers compared would be the same.
    if not Path(args.base, "portal", "__init__.py").is_file():
        raise SystemExit(f"--base {args.base}: no portal package there (give a tree's src)")
    database, redis = DATABASES[args.kind]
    os.environ.setdefault("BENCH_DATABASE_URL", database)
    os.environ.setdefault("BENCH_REDIS_URL", redis)
    import generate
    import httpx
    from common import bench_env, collect_static, pct, wait_for_health

    env = bench_env(generate.database_url())
    collect_static(env)
    generate.setup_django(env)
    rows = [row for row in pages_to_time(args.kind) if args.only in " ".join(row[:3])]
    servers = {"base": start(env, args.base), "this": start(env, str(ROOT / "src"))}
    try:
        for name, (_server, base_url) in servers.items():
            if not wait_for_health(base_url):
                raise SystemExit(f"the {name} server did not answer /healthz")
        print(f"{'profile':24} {'page':40} {'base':>8} {'this':>8}  ratio  p99 base / this (ms)")
        for label, page, path, session in rows:
            cookies = {"sessionid": session} if session else {}
            clients = {name: httpx.Client(cookies=cookies) for name in servers}
            times = {name: [] for name in servers}
            order = list(servers.items())
            for i in range(args.pairs + 20):
                for name, (_server, base_url) in order if i % 2 else order[::-1]:
                    response = clients[name].get(base_url + path)
                    if response.status_code != 200:  # an error page is not the page
                        raise SystemExit(f"{name}: {path} answered {response.status_code}")
                    if i >= 20:
                        timing = response.headers["server-timing"]
                        times[name].append(float(timing.rsplit("=", 1)[1]))
            base, this = (statistics.median(times[name]) for name in ("base", "this"))
            print(
                f"{label:24} {page:40} {base:8.2f} {this:8.2f}  {this / base:5.2f}  "
                f"{pct(times['base'], 99):.1f} / {pct(times['this'], 99):.1f}",
                flush=True,
            )
    finally:
        for server, _url in servers.values():
            os.killpg(server.pid, signal.SIGTERM)


if __name__ == "__main__":
    main()

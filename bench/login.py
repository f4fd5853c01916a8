"""bench/login: password logins per second through the real login view, against the bare
Argon2id hash on the same machine in the same run (DESIGN.md: the hash is the floor).

For each Argon2id setting (the project's, and Keycloak's defaults for comparison):
  1. baseline: PasswordHasher.verify() in as many processes as the server has workers;
  2. portal: gunicorn serving the portal on PostgreSQL, clients posting the login form
     (national ID, password, a solved robot challenge, CSRF) and counting successful logins.
The figure that matters is the ratio portal / baseline (goal: at least 0.90).
On a shared machine the two phases (run one after the other) may meet different loads: the
CPU ratio (the hash's CPU per verification / the portal's and PostgreSQL's CPU per login) does
not depend on that.

Usage: .venv/bin/python bench/login.py [--seconds 20] [--workers 2] [--clients 4]
Needs PostgreSQL (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/portal_bench).
"""

import argparse
import json
import multiprocessing
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from common import (  # bench/ is on the path: scripts run as bench/<name>.py
    bench_env,
    collect_static,
    free_port,
    wait_for_health,
)

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
PASSWORD = "iindustrY@2024"
VARIANTS = {
    "project (Argon2id t=2, m=19 MiB, p=1)": {"time": 2, "memory": 19456, "parallelism": 1},
    "Keycloak default (Argon2id t=5, m=7 MiB, p=1)": {"time": 5, "memory": 7168, "parallelism": 1},
}


def _hash_worker(args):
    time_cost, memory, parallelism, seconds = args
    from argon2 import PasswordHasher, Type

    hasher = PasswordHasher(
        time_cost=time_cost, memory_cost=memory, parallelism=parallelism, type=Type.ID
    )
    encoded = hasher.hash(PASSWORD)
    count, deadline = 0, time.perf_counter() + seconds
    cpu = time.process_time()
    while time.perf_counter() < deadline:
        hasher.verify(encoded, PASSWORD)
        count += 1
    return count, time.process_time() - cpu


def bare_hash_rate(variant: dict, *, processes: int, seconds: float) -> tuple[float, float]:
    """Verifications per second, and the CPU ms one verification costs (the latter does not
    depend on what else runs on a shared machine, the former does)."""
    with multiprocessing.Pool(processes) as pool:
        results = pool.map(
            _hash_worker,
            [(variant["time"], variant["memory"], variant["parallelism"], seconds)] * processes,
        )
    count = sum(c for c, _cpu in results)
    return count / seconds, 1000 * sum(cpu for _c, cpu in results) / max(count, 1)


def _env(variant: dict, database_url: str) -> dict:
    return bench_env(
        database_url,
        ARGON2_TIME_COST=str(variant["time"]),
        ARGON2_MEMORY_COST_KIB=str(variant["memory"]),
        ARGON2_PARALLELISM=str(variant["parallelism"]),
    )


def _prepare(env: dict, members: int) -> list[str]:
    """Migrate and create members whose hashes use this variant's parameters."""
    subprocess.run(
        [PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    script = f"""
import django, json
django.setup()
from django.db import transaction
from portal.accounts.models import Member
from portal.core.thaiid import encrypt_text, pid_hash
from tests.factories import make_pid
import random
rng = random.Random(2569)
pids = [make_pid(rng) for _ in range({members})]
Member.objects.filter(first_name="bench").delete()
template = Member()
template.set_password({PASSWORD!r})
with transaction.atomic():
    Member.objects.bulk_create(
        Member(pid_hash=pid_hash(p), pid_encrypted=encrypt_text(p), first_name="bench",
               last_name=str(i), password=template.password)
        for i, p in enumerate(pids)
    )
print(json.dumps(pids))
"""
    out = subprocess.run(
        [PYTHON, "-c", script],
        cwd=ROOT,
        env={**env, "PYTHONPATH": f"{ROOT / 'src'}:{ROOT}"},
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _solve(challenge_json: str) -> str:
    from altcha.v2 import Challenge, Payload, solve_challenge

    challenge = Challenge.from_dict(json.loads(challenge_json))
    return Payload(challenge, solve_challenge(challenge)).to_base64()


def _login_clients(base: str, pids: list[str], payloads: list[str], clients: int, seconds: float):
    import httpx

    lock = threading.Lock()
    stats = {"ok": 0, "fail": 0}
    payload_iter = iter(payloads)
    stop_at = time.perf_counter() + seconds

    def client_loop(index: int):
        with httpx.Client(base_url=base, timeout=30) as http:
            http.get("/accounts/login/")
            i = index
            while time.perf_counter() < stop_at:
                with lock:
                    payload = next(payload_iter, None)
                if payload is None:
                    return
                http.cookies.delete("sessionid")
                token = http.cookies.get("csrftoken")
                response = http.post(
                    "/accounts/login/",
                    data={
                        "csrfmiddlewaretoken": token,
                        "national_id": pids[i % len(pids)],
                        "password": PASSWORD,
                        "robot": payload,
                    },
                    headers={"Referer": base + "/accounts/login/"},
                )
                with lock:
                    stats["ok" if response.status_code == 302 else "fail"] += 1
                i += clients

    threads = [threading.Thread(target=client_loop, args=(n,)) for n in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return stats, time.perf_counter() - started


def _cpu_seconds(pids: list[int]) -> float:
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks  # utime + stime
    return total


def _process_tree(root: int) -> list[int]:
    children = subprocess.run(
        ["pgrep", "-P", str(root)], capture_output=True, text=True
    ).stdout.split()
    return [root, *map(int, children)]


def _postgres_pids() -> list[int]:
    return [
        int(p)
        for p in subprocess.run(
            ["pgrep", "postgres"], capture_output=True, text=True
        ).stdout.split()
    ]


def portal_login_rate(variant: dict, *, workers: int, clients: int, seconds: float, db: str):
    import httpx

    env = _env(variant, db)
    pids = _prepare(env, members=200)
    collect_static(env)
    port = free_port()
    server = subprocess.Popen(
        [
            str(Path(PYTHON).parent / "gunicorn"),
            "portal.wsgi:application",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--threads",
            "2",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_health(base)
        # Challenges are solved before the clock starts, as a person's browser would have.
        expected = int(seconds * 60) + 20  # more than the ~25 logins/s per core measured here
        challenges = [httpx.get(base + "/altcha/challenge/").text for _ in range(expected)]
        with multiprocessing.Pool(workers) as pool:
            payloads = pool.map(_solve, challenges)
        # Warm up the workers (imports, connections) outside the measurement.
        _login_clients(base, pids, payloads[:10], clients, 5)
        server_pids, db_pids = _process_tree(server.pid), _postgres_pids()
        cpu_before = (_cpu_seconds(server_pids), _cpu_seconds(db_pids), time.process_time())
        stats, elapsed = _login_clients(base, pids, payloads[10:], clients, seconds)
        cpu_after = (_cpu_seconds(server_pids), _cpu_seconds(db_pids), time.process_time())
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(10)
    if stats["fail"]:
        raise SystemExit(f"{stats['fail']} logins failed; the figures would be wrong")
    per_login_ms = [
        1000 * (after - before) / max(stats["ok"], 1)
        for before, after in zip(cpu_before, cpu_after, strict=True)
    ]
    return stats["ok"] / elapsed, stats["ok"], per_login_ms


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--clients", type=int, default=4)
    args = parser.parse_args()
    db = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_bench")
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-c", "CREATE DATABASE portal_bench"],
        capture_output=True,
    )
    print(f"cores={os.cpu_count()} workers={args.workers} clients={args.clients}")
    for name, variant in VARIANTS.items():
        baseline, hash_cpu_ms = bare_hash_rate(
            variant, processes=args.workers, seconds=args.seconds / 2
        )
        rate, count, cpu_ms = portal_login_rate(
            variant, workers=args.workers, clients=args.clients, seconds=args.seconds, db=db
        )
        per_vcpu = rate / args.workers
        print(
            f"{name}: bare hash {baseline:.1f}/s, portal login {rate:.1f}/s ({count} logins), "
            f"ratio {rate / baseline:.2f}, {per_vcpu:.1f} logins/s per vCPU; CPU ms per login: "
            f"portal {cpu_ms[0]:.1f}, PostgreSQL {cpu_ms[1]:.1f}, bench client {cpu_ms[2]:.1f}, "
            f"bare hash {1000 * args.workers / baseline:.1f} wall, {hash_cpu_ms:.1f} CPU; "
            f"CPU ratio (hash CPU / portal + PostgreSQL CPU per login) "
            f"{hash_cpu_ms / (cpu_ms[0] + cpu_ms[1]):.2f}",
            flush=True,
        )


if __name__ == "__main__":
    main()

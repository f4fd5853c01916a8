"""bench/sso: the OpenID Connect provider's token endpoint (refresh-token grant) and userinfo
endpoint, against a trivial page (/healthz) of the same server measured in the same run.

1. Setup (own database, BENCH_DATABASE_URL, default
   postgres://postgres@127.0.0.1:5432/portal_bench_sso, created when missing; migrated): one
   member with a verified business of their own (operators.services.business_add_myself), one
   connected system with a confidential client (known id and secret, scopes "openid profile
   email business factories", needs_business). Tokens, sign-ins and the member's consent to
   the system left by an earlier run are deleted first, so every run starts the same way.
2. Before the clock starts, gunicorn (production-like env: SANDBOX=1, DEBUG=0, Redis cache,
   TASKS_BACKEND=immediate) serves the portal on PostgreSQL and each load thread runs the real
   code flow over HTTP: the member's session is created directly in the database (as
   bench/pages.py does), GET /oidc/authorize/ with PKCE S256, the consent page (first
   authorization only) posted with allow=on, the business and the hidden fields and CSRF
   token, 302 with the code, POST /oidc/token/ with client_secret_basic. Each thread then holds
   its own refresh token and access token.
3. Three phases of --seconds each in all, --clients threads, after a short warm-up of each.
   Each phase runs in --rounds interleaved slices (healthz, refresh, userinfo, healthz, ...),
   so that other work on a shared machine weighs on the baseline and the endpoints alike:
   a. baseline: GET /healthz;
   b. refresh: POST /oidc/token/ grant_type=refresh_token, client_secret_basic. Refresh tokens
      rotate and reuse protection is on, so each thread always sends the newest one; any
      answer but 200 aborts the benchmark;
   c. userinfo: GET /oidc/userinfo/ with the thread's bearer token (refreshed, outside the
      count, if it would expire).
   The CPU time of the gunicorn processes, of PostgreSQL, of Redis and of this client is
   read from /proc around each slice, and the machine's total (/proc/stat): what is left is
   other work on a shared machine, reported as "others". After the load, the SQL statements
   of one refresh and one userinfo request are counted in process (Django test Client,
   CaptureQueriesContext).

Figures: requests/s, requests/s per vCPU (os.cpu_count()), ratio to /healthz, client latency
median and p99, CPU ms per request; the refresh rate per vCPU beside Keycloak's published
sizing (120 refresh-token or client-credentials requests per second per vCPU).

Usage: .venv/bin/python bench/sso.py [--seconds 20] [--clients 8] [--workers N] [--rounds 4]
                                      [--profile 200]
--profile N: after the load, run N refresh requests in process under cProfile (Django test
Client, same database) and print where the time goes.
Needs PostgreSQL and Redis (BENCH_REDIS_URL, default redis://127.0.0.1:6379/14).
"""

import argparse
import base64
import hashlib
import html
import os
import re
import secrets
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

from common import (  # bench/ is on the path: scripts run as bench/<name>.py
    bench_env,
    pct,
    start_server,
)

ROOT = Path(__file__).resolve().parents[1]
BENCH = Path(__file__).resolve().parent
PYTHON = sys.executable
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/portal_bench_sso"
SYSTEM_SLUG = "bench-sso"
CLIENT_ID = "bench-sso-client"
CLIENT_SECRET = "bench-sso-secret-0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOP"
REDIRECT_URI = "http://127.0.0.1/bench/callback"
SCOPES = "openid profile email business factories"
MEMBER_INDEX = 987_654_321  # generate.national_id(i): a valid, fixed national ID
KEYCLOAK_PER_VCPU = 120  # Keycloak sizing guide: refresh-token / client-credentials grants


# --- setup (in this process, Django set up on the bench database) ----------------------------


def prepare() -> dict:
    """The member, their business, the connected system and its client; a clean slate of
    tokens, sign-ins and consent. Returns ids for the flow."""
    import generate
    from django.utils import timezone
    from oauth2_provider.models import AccessToken, Grant, IDToken, RefreshToken

    from portal.accounts.models import ConsentDocument, ConsentRecord, Member
    from portal.core.thaiid import encrypt_text, pid_hash
    from portal.identity.models import ConnectedSystem, SignIn
    from portal.identity.services import connected_system_register_client
    from portal.operators.models import Holding
    from portal.operators.services import business_add_myself
    from portal.services.models import SystemConsent

    pid = generate.national_id(MEMBER_INDEX)
    member, created = Member.objects.get_or_create(
        pid_hash=pid_hash(pid),
        defaults={
            "pid_encrypted": encrypt_text(pid),
            "title_th": "นาย",
            "first_name": "สมชาย",
            "last_name": "ทดสอบระบบ",
            "first_name_en": "Somchai",
            "last_name_en": "Bench",
            "email": "bench-sso@example.test",
            "email_verified_at": timezone.now(),
        },
    )
    if created:
        ConsentRecord.objects.bulk_create(
            ConsentRecord(member=member, document=d, granted=True, channel="registration")
            for d in ConsentDocument.objects.all()
        )
    holding = Holding.objects.filter(
        member=member, removed_at__isnull=True, status=Holding.Status.VERIFIED
    ).first() or business_add_myself(member=member)
    system, _ = ConnectedSystem.objects.update_or_create(
        slug=SYSTEM_SLUG,
        defaults={
            "name_th": "ระบบทดสอบสมรรถนะ",
            "name_en": "Benchmark system",
            "agency": "DIW",
            "category": ConnectedSystem.Category.LICENSE,
            "scopes": SCOPES,
            "needs_business": True,
            "needs_factory": False,
            "business_kinds": [],
        },
    )
    client, _secret = connected_system_register_client(
        system=system,
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        redirect_uris=[REDIRECT_URI],
        initiate_login_uri="http://127.0.0.1/bench/login",
    )
    # Earlier runs' rows: without this, the token tables grow by every run's requests.
    RefreshToken.objects.filter(application=client).delete()
    AccessToken.objects.filter(application=client).delete()
    IDToken.objects.filter(application=client).delete()
    Grant.objects.filter(application=client).delete()
    SignIn.objects.filter(system=system).delete()
    SystemConsent.objects.filter(member=member, system=system).delete()
    return {"member": member.pk, "holding": holding.pk}


def code_challenge(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def hidden_inputs(page: str) -> dict:
    found = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page)
    return {name: html.unescape(value) for name, value in found}


def code_flow(base: str, session_key: str, holding_id: int) -> tuple[dict, bool]:
    """One authorization code flow with PKCE over HTTP, as a connected system and the
    member's browser run it. Returns (token answer, whether the consent page was shown)."""
    import httpx

    verifier = secrets.token_urlsafe(64)
    state = secrets.token_urlsafe(16)
    params = {
        "response_type": "code",
        "client_id": CLIENT_ID,
        "redirect_uri": REDIRECT_URI,
        "scope": SCOPES,
        "state": state,
        "nonce": secrets.token_urlsafe(16),
        "code_challenge": code_challenge(verifier),
        "code_challenge_method": "S256",
    }
    with httpx.Client(base_url=base, cookies={"sessionid": session_key}, timeout=30) as http:
        response = http.get("/oidc/authorize/?" + urlencode(params))
        consent_page = response.status_code == 200
        if consent_page:
            fields = hidden_inputs(response.text)
            if "csrfmiddlewaretoken" not in fields or "code_challenge" not in fields:
                raise SystemExit("the authorization page has no form to post")
            fields.update({"allow": "on", "holding": str(holding_id)})
            response = http.post("/oidc/authorize/", data=fields)
        location = response.headers.get("location", "")
        query = parse_qs(urlsplit(location).query)
        if (
            response.status_code != 302
            or not location.startswith(REDIRECT_URI)
            or query.get("state") != [state]
            or "code" not in query
        ):
            raise SystemExit(
                f"authorization failed: HTTP {response.status_code} {location or response.text}"
            )
        token = http.post(
            "/oidc/token/",
            data={
                "grant_type": "authorization_code",
                "code": query["code"][0],
                "redirect_uri": REDIRECT_URI,
                "code_verifier": verifier,
            },
            auth=(CLIENT_ID, CLIENT_SECRET),
        )
    if token.status_code != 200:
        raise SystemExit(f"code exchange failed: HTTP {token.status_code} {token.text}")
    return token.json(), consent_page


# --- the server ------------------------------------------------------------------------------


# --- CPU time from /proc ---------------------------------------------------------------------


def _stat_fields(pid: int) -> list[str] | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return None


def _pgrep(*args: str) -> list[int]:
    out = subprocess.run(["pgrep", *args], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def server_cpu(root: int) -> float:
    """utime + stime of gunicorn's master and workers (threads included)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in [root, *_pgrep("-P", str(root))]:
        fields = _stat_fields(pid)
        if fields:
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def redis_cpu() -> float:
    """utime + stime of the Redis server (the cache: rate limits of client authentication)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in _pgrep("-x", "redis-server"):
        fields = _stat_fields(pid)
        if fields:
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def postgres_cpu() -> float:
    """utime + stime of every postgres process alive now, plus the children the postmaster
    has reaped (cutime + cstime), so that a backend that ends during a phase still counts."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    pids = set(_pgrep("postgres"))
    for pid in pids:
        fields = _stat_fields(pid)
        if not fields:
            continue
        total += int(fields[11]) + int(fields[12])
        if int(fields[1]) not in pids:  # the postmaster: its parent is not postgres
            total += int(fields[13]) + int(fields[14])
    return total / ticks


# --- the load --------------------------------------------------------------------------------


class Slot:
    """One load thread's HTTP client (kept across phases: making one costs milliseconds of
    the client's CPU) and its tokens, always the newest pair (refresh tokens rotate)."""

    def __init__(self, answer: dict, http):
        self.http = http
        self.untimed_refreshes = 0
        self.update(answer)

    def update(self, answer: dict):
        self.refresh_token = answer["refresh_token"]
        self.access_token = answer["access_token"]
        self.expires_at = time.monotonic() + int(answer.get("expires_in", 900))


class Aborted(Exception):
    pass


def refresh(http, slot: Slot):
    response = http.post(
        "/oidc/token/",
        data={"grant_type": "refresh_token", "refresh_token": slot.refresh_token},
        auth=(CLIENT_ID, CLIENT_SECRET),
    )
    if response.status_code != 200:
        raise Aborted(f"refresh: HTTP {response.status_code} {response.text[:300]}")
    slot.update(response.json())
    return response


def request_healthz(http, slot):
    response = http.get("/healthz")
    if response.status_code != 200:
        raise Aborted(f"/healthz: HTTP {response.status_code}")


def request_refresh(http, slot):
    refresh(http, slot)


def fresh_access_token(http, slot):
    """Before a timed userinfo request, outside the clock: a new access token if this one
    would expire within 30 s (900 s by default: not within a normal run)."""
    if time.monotonic() > slot.expires_at - 30:
        refresh(http, slot)
        slot.untimed_refreshes += 1


def request_userinfo(http, slot):
    response = http.get("/oidc/userinfo/", headers={"Authorization": f"Bearer {slot.access_token}"})
    if response.status_code != 200:
        raise Aborted(f"userinfo: HTTP {response.status_code} {response.text[:300]}")
    if "business" not in response.json():
        raise Aborted(f"userinfo without the business claim: {response.text[:300]}")


request_userinfo.prepare = fresh_access_token


def run_phase(slots: list[Slot], request, seconds: float):
    """One thread per slot, `request` in a loop for `seconds`. Returns (latencies ms of
    successful requests, elapsed s)."""
    lock = threading.Lock()
    latencies: list[float] = []
    errors: list[str] = []
    stop = threading.Event()
    stop_at = time.perf_counter() + seconds

    def loop(slot: Slot):
        mine: list[float] = []
        prepare = getattr(request, "prepare", None)
        try:
            while time.perf_counter() < stop_at and not stop.is_set():
                if prepare is not None:
                    prepare(slot.http, slot)
                started = time.perf_counter()
                request(slot.http, slot)
                mine.append((time.perf_counter() - started) * 1000)
        except Exception as error:  # any failure aborts the whole run
            with lock:
                errors.append(f"{type(error).__name__}: {error}")
            stop.set()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=loop, args=(slot,)) for slot in slots]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if errors:
        raise SystemExit("aborted, the figures would be wrong: " + "; ".join(errors[:3]))
    return latencies, elapsed


def machine_busy() -> float:
    """CPU seconds the whole machine has spent busy (all cores), from /proc/stat."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def snapshot(server_pid: int) -> tuple[float, ...]:
    """CPU seconds so far: server, PostgreSQL, Redis, this client, the whole machine."""
    return (
        server_cpu(server_pid),
        postgres_cpu(),
        redis_cpu(),
        time.process_time(),
        machine_busy(),
    )


PHASES = (
    ("GET /healthz", request_healthz),
    ("POST /oidc/token/ (refresh)", request_refresh),
    ("GET /oidc/userinfo/", request_userinfo),
)


def measure(server_pid: int, slots: list[Slot], seconds: float, rounds: int):
    """Each phase for `seconds` in all, in `rounds` interleaved slices (healthz, refresh,
    userinfo, healthz, ...), so that a change in what else runs on the machine touches the
    baseline and the endpoints alike."""
    for _label, request in PHASES:  # warm-up, not counted
        run_phase(slots, request, min(3.0, seconds / 4))
    totals = {
        label: {"latencies": [], "elapsed": 0.0, "cpu": [0.0, 0.0, 0.0, 0.0], "other": 0.0}
        for label, _ in PHASES
    }
    for _ in range(rounds):
        for label, request in PHASES:
            before = snapshot(server_pid)
            latencies, elapsed = run_phase(slots, request, seconds / rounds)
            after = snapshot(server_pid)
            delta = [a - b for b, a in zip(before, after, strict=True)]
            total = totals[label]
            total["latencies"].extend(latencies)
            total["elapsed"] += elapsed
            for i in range(4):
                total["cpu"][i] += delta[i]
            total["other"] += max(0.0, delta[4] - sum(delta[:4]))
    vcpus = os.cpu_count() or 1
    results = {}
    for label, total in totals.items():
        count = len(total["latencies"])
        results[label] = {
            "count": count,
            "rps": count / total["elapsed"],
            "median": statistics.median(total["latencies"]),
            "p99": pct(total["latencies"], 99),
            "cpu_ms": [1000 * c / max(count, 1) for c in total["cpu"]],
            # Share of the machine's CPU that went to processes other than the server,
            # PostgreSQL, Redis and this client while the phase ran (other work on a shared
            # host).
            "other_share": total["other"] / (total["elapsed"] * vcpus),
        }
    return results


# --- in process: queries per request, and a profile ------------------------------------------


def _basic() -> str:
    return "Basic " + base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()


def count_queries(slot: Slot) -> dict[str, int]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    counts = {}
    with CaptureQueriesContext(connection) as captured:
        response = client.post(
            "/oidc/token/",
            {"grant_type": "refresh_token", "refresh_token": slot.refresh_token},
            HTTP_AUTHORIZATION=_basic(),
        )
    if response.status_code != 200:
        raise SystemExit(f"in process: HTTP {response.status_code} {response.content[:300]}")
    slot.update(response.json())
    counts[PHASES[1][0]] = len(captured)
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/oidc/userinfo/", HTTP_AUTHORIZATION=f"Bearer {slot.access_token}")
    if response.status_code != 200:
        raise SystemExit(f"in process: HTTP {response.status_code} {response.content[:300]}")
    counts[PHASES[2][0]] = len(captured)
    return counts


def profile_refresh(slot: Slot, requests: int) -> None:
    import cProfile
    import pstats

    from django.test import Client

    client = Client()

    def one():
        response = client.post(
            "/oidc/token/",
            {"grant_type": "refresh_token", "refresh_token": slot.refresh_token},
            HTTP_AUTHORIZATION=_basic(),
        )
        if response.status_code != 200:
            raise SystemExit(f"in process: HTTP {response.status_code} {response.content[:300]}")
        slot.update(response.json())

    for _ in range(20):
        one()  # warm-up
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(requests):
        one()
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    # CPU time, not wall time: waits on PostgreSQL (commits) would otherwise hide the code.
    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    for _ in range(requests):
        one()
    profiler.disable()
    print(
        f"\ncProfile: refresh requests in process (Django test Client, same database): "
        f"{1000 * cpu / requests:.2f} ms of CPU and {1000 * wall / requests:.2f} ms of wall "
        f"time each without the profiler; {requests} more under the profiler, by CPU time:"
    )
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(60)
    stats.sort_stats("tottime").print_stats(25)


# --- main ------------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=20, help="length of each phase")
    parser.add_argument("--clients", type=int, default=8, help="load threads")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--rounds", type=int, default=4, help="interleaved slices of each phase")
    parser.add_argument("--profile", type=int, default=0, help="profile N refresh requests")
    args = parser.parse_args()
    vcpus = os.cpu_count() or 1
    sys.path.insert(0, str(BENCH))
    import generate
    import pages

    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB)
    generate.ensure_database(url)
    env = bench_env(url)
    generate.migrate(env)
    generate.setup_django(env)
    from django.db import connection

    ids = prepare()
    session_key = pages.make_session(ids["member"])
    connection.close()

    print(
        f"vCPUs={vcpus} gunicorn workers={args.workers} x 2 threads, clients={args.clients}, "
        f"{args.seconds:.0f} s per phase; database {urlsplit(url).path.lstrip('/')}"
    )
    import httpx

    server, base = start_server(env, args.workers)
    slots, consent_pages = [], 0
    try:
        for _ in range(args.clients):
            answer, consent_page = code_flow(base, session_key, ids["holding"])
            consent_pages += consent_page
            if "id_token" not in answer or "refresh_token" not in answer:
                raise SystemExit(f"token answer without id_token or refresh_token: {answer}")
            slots.append(Slot(answer, httpx.Client(base_url=base, timeout=30)))
        print(
            f"code flow: {args.clients} authorizations, {consent_pages} through the consent "
            f"page, the others straight to the code; access token lifetime "
            f"{int(slots[0].expires_at - time.monotonic())} s"
        )
        results = measure(server.pid, slots, args.seconds, args.rounds)
    finally:
        for slot in slots:
            slot.http.close()
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(10)

    queries = count_queries(slots[0])
    queries[PHASES[0][0]] = 0
    baseline = results["GET /healthz"]["rps"]
    print(
        f"\n  {'endpoint':28} {'requests':>8} {'req/s':>7} {'/vCPU':>6} {'x base':>7} "
        f"{'med ms':>7} {'p99 ms':>7} {'SQL':>4}  {'CPU ms/req: server':>18} {'PG':>5} "
        f"{'Redis':>5} {'client':>6}  {'others':>6}"
    )
    for label, r in results.items():
        server_ms, db_ms, redis_ms, client_ms = r["cpu_ms"]
        print(
            f"  {label:28} {r['count']:>8} {r['rps']:>7.1f} {r['rps'] / vcpus:>6.1f} "
            f"{r['rps'] / baseline:>7.3f} {r['median']:>7.2f} {r['p99']:>7.2f} "
            f"{queries[label]:>4}  {server_ms:>18.2f} {db_ms:>5.2f} {redis_ms:>5.2f} "
            f"{client_ms:>6.2f}  {r['other_share']:>6.0%}"
        )
    print(
        "  (SQL: statements per request, Django test Client in process; CPU ms per request "
        "from /proc; others: share of the machine's CPU used by other processes meanwhile)"
    )
    untimed = sum(slot.untimed_refreshes for slot in slots)
    if untimed:
        print(
            f"  ({untimed} access tokens refreshed before userinfo requests, outside the clock "
            f"but inside the userinfo phase's CPU figures)"
        )
    refresh, userinfo = results[PHASES[1][0]], results[PHASES[2][0]]
    per_vcpu = refresh["rps"] / vcpus
    print(
        f"\nKeycloak's published sizing: {KEYCLOAK_PER_VCPU} refresh-token (or client-credentials) "
        f"requests per second per vCPU of Keycloak, the database apart (0.35-0.7 vCPU per 100 "
        f"requests/s, i.e. 3.5-7 ms of database CPU per request).\n"
        f"Portal, this run: {per_vcpu:.1f} refresh requests/s per vCPU of the whole machine "
        f"(server, PostgreSQL, Redis and the load client share the {vcpus} vCPUs), "
        f"{per_vcpu / KEYCLOAK_PER_VCPU:.2f} x Keycloak's figure; by the portal's own CPU "
        f"({refresh['cpu_ms'][0]:.1f} ms per request) {1000 / refresh['cpu_ms'][0]:.0f} per "
        f"vCPU ({1000 / refresh['cpu_ms'][0] / KEYCLOAK_PER_VCPU:.2f} x), with "
        f"{refresh['cpu_ms'][1]:.1f} ms of PostgreSQL CPU per request. Userinfo: "
        f"{userinfo['rps'] / vcpus:.1f} requests/s per vCPU of the machine, "
        f"{1000 / userinfo['cpu_ms'][0]:.0f} by the portal's own CPU."
    )
    if args.profile:
        profile_refresh(slots[0], args.profile)


if __name__ == "__main__":
    main()

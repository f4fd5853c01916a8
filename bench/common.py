"""What the benchmarks share: a free port, gunicorn serving the portal, percentiles."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable


def bench_env(database_url: str, **overrides: str) -> dict:
    """The environment every benchmarked server runs with: the bench database, the sandbox,
    no debug, Redis as cache (production-like: robot-check replay guard, rate limits),
    lockout out of the way of thousands of logins."""
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": database_url,
            "SANDBOX": "1",
            "DEBUG": "0",
            "TASKS_BACKEND": "immediate",
            "AXES_FAILURE_LIMIT": "1000000",
            "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14"),
            "LOG_LEVEL": "WARNING",
            "SANDBOX_WORLD": str(ROOT / "var" / "bench-world"),
            # DEBUG off serves collectstatic's hashed files (collect_static), apart from
            # `make run`'s var/static.
            "STATIC_ROOT": str(ROOT / "var" / "bench-static"),
            "PYTHONPATH": str(ROOT / "src"),
            "DJANGO_SETTINGS_MODULE": "portal.settings",
            **overrides,
        }
    )
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def collect_static(env: dict) -> None:
    """The hashed static files and their manifest, which pages need with DEBUG off."""
    subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )


def start_server(env: dict, workers: int, *, app: str = "portal.wsgi:application", extra=()):
    """gunicorn on a free loopback port (workers x 2 threads), once it answers /healthz.
    Returns (process, base URL); the process leads its own group (os.killpg ends it)."""
    collect_static(env)
    port = free_port()
    server = subprocess.Popen(
        [
            str(Path(PYTHON).parent / "gunicorn"),
            app,
            *extra,
            "--workers",
            str(workers),
            "--threads",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    if wait_for_health(base):
        return server, base
    os.killpg(server.pid, signal.SIGTERM)
    raise SystemExit("gunicorn did not answer /healthz within 20 s")


def wait_for_health(base: str, seconds: float = 20) -> bool:
    """Whether the server at `base` answers /healthz within `seconds` (it is starting)."""
    import httpx

    for _ in range(int(seconds / 0.2)):
        try:
            httpx.get(base + "/healthz", timeout=1)
            return True
        except httpx.HTTPError:
            time.sleep(0.2)
    return False


def pct(values: list[float], q: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))]

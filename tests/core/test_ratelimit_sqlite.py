"""The limiter on the default `make run` setup: a SQLite file shared by separate connections
(the web process and the task worker). The suite's own database is PostgreSQL, so this runs
the limiter in a child process on a SQLite file of its own."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

GUESSES = """
import threading
import django
django.setup()
from django.db import connection
from portal.core.ratelimit import rate_limit_count, rate_limit_try

barrier = threading.Barrier(20)
results = []

def guess():
    try:
        barrier.wait()
        results.append(rate_limit_try(scope="dob", key="k", limit=5, window_seconds=3600))
    finally:
        connection.close()

threads = [threading.Thread(target=guess) for _ in range(20)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(results.count(True), results.count(False), rate_limit_count(scope="dob", key="k"))
"""


def test_twenty_parallel_guesses_on_sqlite_evaluate_exactly_five(tmp_path):
    """Issue 8 on SQLite: 20 guesses at once, each on its own connection to the file,
    against a limit of 5: exactly 5 are evaluated and the counter ends at 5."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "TESTING", "DJANGO_SETTINGS_MODULE", "REDIS_URL")
    }
    env.update(SANDBOX="1", DATABASE_URL=f"sqlite:///{tmp_path / 'portal.sqlite3'}")
    env["PYTHONPATH"] = str(ROOT / "src")
    env["DJANGO_SETTINGS_MODULE"] = "portal.settings"

    def run(args):
        return subprocess.run(
            [sys.executable, *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=240,
            check=True,
        ).stdout

    run(["manage.py", "migrate", "--noinput"])
    assert run(["-c", GUESSES]).split() == ["5", "15", "5"]

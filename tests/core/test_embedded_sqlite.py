"""`make run` on a fresh machine: SQLite, any world in the sandbox format, demo accounts."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHARED_SAMPLE = ROOT.parent / "shared" / "sandbox-world" / "sample"


def run(args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=True,
    )


def test_portal_starts_on_sqlite_with_a_world_it_did_not_make(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "TESTING", "DJANGO_SETTINGS_MODULE", "REDIS_URL")
    }
    world = tmp_path / "world"
    env.update(
        SANDBOX="1",
        DEBUG="1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'portal.sqlite3'}",
        TASKS_BACKEND="db",
        PRIVATE_MEDIA_ROOT=str(tmp_path / "private"),
        DOCUMENT_SANDBOX_KEYS_DIR=str(tmp_path / "document-signing"),
    )
    if SHARED_SAMPLE.is_dir():
        env["SANDBOX_WORLD"] = str(SHARED_SAMPLE)
    else:  # a fresh machine has no ../shared: a world made by the project's own generator
        run(["build_world", "--citizens", "200", "--out", str(world)], env)
        env["SANDBOX_WORLD"] = str(world)
    run(["migrate", "--noinput"], env)
    first = run(["sandbox_setup"], env).stdout
    assert "officer" in first and "member" in first
    # The sandbox's document-signing CA and keys are made at set-up (issue 10).
    assert "Signed documents: PAdES-B-T" in first
    assert sorted(p.name for p in (tmp_path / "document-signing").iterdir()) == [
        "ca.pem",
        "signer.p12",
        "tsa.p12",
    ]
    # Running it again (the next `make run`) changes nothing and still prints the logins.
    second = run(["sandbox_setup"], env).stdout
    assert second.count("\n") == first.count("\n")
    # Billing on SQLite: the DIW factory mirror synced from the world and the day's bill run
    # (the references' counter, the constraint and the upserts are not PostgreSQL's alone).
    assert "finished" in run(["diw_factories_sync"], env).stdout
    assert "finished" in run(["bill_run", "--date", "2026-10-31"], env).stdout
    # The embedded task worker drains the queue on SQLite.
    run(["db_worker", "--batch", "--no-reload", "--no-startup-delay"], env)

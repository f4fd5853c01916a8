"""Production starts only with every key it needs, and `check --deploy` finds nothing (issue 8).
Each case runs manage.py in a process of its own with a production environment: DEBUG=0,
SANDBOX=0, HTTPS on, no development default."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from portal.identity.signing_keys import new_private_key_pem

ROOT = Path(__file__).resolve().parents[2]
REQUIRED_KEYS = [
    "SECRET_KEY",
    "PID_HASH_KEY",
    "FIELD_ENCRYPTION_KEYS",
    "ALTCHA_HMAC_SECRET",
    "OIDC_SUBJECT_KEY",
    "BILL_PAYMENT_BILLER_ID",
]


@pytest.fixture(scope="module")
def production_env(tmp_path_factory) -> dict[str, str]:
    key_dir = tmp_path_factory.mktemp("oidc-keys")
    (key_dir / "active.pem").write_bytes(new_private_key_pem())
    return {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path_factory.mktemp("home")),
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DEBUG": "0",
        "SANDBOX": "0",
        "TESTING": "0",
        "HTTPS": "1",
        "BEHIND_TLS_PROXY": "1",
        "ALLOWED_HOSTS": "portal.example.go.th",
        "OIDC_ISSUER": "https://portal.example.go.th",
        "OIDC_KEY_DIR": str(key_dir),
        "DATABASE_URL": os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1/portal"),
        "SECRET_KEY": secrets.token_urlsafe(50),
        "PID_HASH_KEY": secrets.token_hex(32),
        "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "ALTCHA_HMAC_SECRET": secrets.token_hex(32),
        "OIDC_SUBJECT_KEY": secrets.token_hex(32),
        "BILL_PAYMENT_BILLER_ID": "099400016325500",
    }


def _manage(env: dict[str, str], *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_check_deploy_is_clean_in_production(production_env):
    done = _manage(production_env, "check", "--deploy", "--fail-level", "WARNING")
    out, err = done.communicate(timeout=120)
    assert re.findall(r"^\?: \(([\w.]+)\)", err, re.MULTILINE) == [], err
    assert done.returncode == 0, err
    assert out.strip() == "System check identified no issues (0 silenced)."


def test_production_refuses_to_start_without_each_key(production_env):
    runs = {}
    for key in REQUIRED_KEYS:
        env = {name: value for name, value in production_env.items() if name != key}
        runs[key] = _manage(env, "check")
    for key, run in runs.items():
        _, err = run.communicate(timeout=120)
        assert run.returncode == 1, (key, err)
        assert (
            f"django.core.exceptions.ImproperlyConfigured: {key} must be set in production "
            "(DEBUG=0, SANDBOX=0); see .env.example"
        ) in err, (key, err)


def test_the_sandbox_starts_without_keys_over_plain_http(production_env):
    """`make run`: DEBUG off, the sandbox on, plain HTTP on 127.0.0.1: development keys are
    made up, and neither HTTPS redirect nor HSTS is sent."""
    env = {name: value for name, value in production_env.items() if name not in REQUIRED_KEYS}
    env.update(SANDBOX="1", ALLOWED_HOSTS="127.0.0.1")
    del env["HTTPS"], env["OIDC_ISSUER"], env["BEHIND_TLS_PROXY"]
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DEBUG, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**env, "PYTHONPATH": str(ROOT / "src")},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False False 0 False"

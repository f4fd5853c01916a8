"""Test settings: the same settings, with the test environment's defaults filled in."""

import os

os.environ.setdefault("SANDBOX", "1")
os.environ.setdefault("TESTING", "1")
os.environ.setdefault("TASKS_BACKEND", "immediate")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal")
# Real Argon2id, at a low cost so that hundreds of test members hash quickly.
os.environ.setdefault("ARGON2_TIME_COST", "1")
os.environ.setdefault("ARGON2_MEMORY_COST_KIB", "1024")

from portal.settings import *  # noqa: F403
from portal.settings import BASE_DIR

ALTCHA_CHALLENGE = {"cost": 20}  # real challenges, solved quickly by tests and browsers
STORAGES["default"]["OPTIONS"]["location"] = str(BASE_DIR / "var" / "test-private")  # noqa: F405
REGISTRATION_MAX_PER_IP_HOUR = 10_000  # tests register many members from 127.0.0.1
# The browser tests' live server answers each request in a thread of its own: a connection kept
# for reuse would outlive the thread and hold the test database open at teardown.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405

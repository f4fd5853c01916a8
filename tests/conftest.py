import os
import re
import socket
import uuid

import pytest
import redis
from altcha.v2 import Challenge, Payload, solve_challenge
from hypothesis import settings as hypothesis_settings

from tests.factories import MemberFactory, World

_real_connect = socket.socket.connect


def _loopback_only(self, address):
    # The suite never reaches the network (STYLE.md, Zulip): only this machine's services.
    if self.family in (socket.AF_INET, socket.AF_INET6):
        host = address[0]
        if not (host in ("localhost", "::1") or str(host).startswith("127.")):
            raise OSError(f"tests may not connect to {host}")
    return _real_connect(self, address)


socket.socket.connect = _loopback_only

# Property tests check correctness, not speed: on a busy 2-core machine running the suite in
# parallel one example may take longer than Hypothesis's 200 ms default without any bug.
hypothesis_settings.register_profile("portal", deadline=None)
hypothesis_settings.load_profile("portal")


@pytest.fixture(autouse=True)
def _email_goes_to_the_sandbox_outbox(settings):
    # Django's test set-up swaps in its locmem backend; the portal's tests read the same
    # sandbox outbox a person reads, so put the outbox backend back.
    settings.MAILERS = {"default": {"BACKEND": "portal.sandbox.mail.OutboxEmailBackend"}}


@pytest.fixture(autouse=True)
def _each_test_starts_in_the_default_language():
    """A request in English, or a translation.activate() in a test, leaves the thread's
    language set for the next test of the same worker: each test starts in the portal's
    default (Thai), as a new request does, and ends by putting it back."""
    from django.utils import translation

    translation.activate("th")
    yield
    translation.activate("th")


@pytest.fixture(autouse=True)
def _commit_hooks_run_after_each_request(monkeypatch):
    """Tests run inside one transaction that never commits, so on_commit hooks (SMS, email)
    would never fire. Each test-client request runs its hooks when it ends instead, as a
    commit would; hooks of rolled-back work are dropped just as in production."""
    from django.test import Client, TestCase

    original = Client.request

    def request(self, **kwargs):
        with TestCase.captureOnCommitCallbacks(execute=True):
            return original(self, **kwargs)

    monkeypatch.setattr(Client, "request", request)


@pytest.fixture
def world(tmp_path, settings):
    """An empty sandbox world of this test's own; add citizens with world.add_citizen()."""
    settings.SANDBOX_WORLD = str(tmp_path)
    return World(tmp_path)


@pytest.fixture
def robot(client):
    """Solve the real altcha proof of work, as the browser does, for Django-client tests."""

    def solve(c=None) -> str:
        response = (c or client).get("/altcha/challenge/")
        challenge = Challenge.from_dict(response.json())
        solution = solve_challenge(challenge)
        return Payload(challenge, solution).to_base64()

    return solve


@pytest.fixture
def outbox():
    from portal.sandbox.models import OutboxMessage

    class Outbox:
        def messages(self, to=None):
            rows = OutboxMessage.objects.order_by("-created_at", "-id")
            return list(rows.filter(to=to) if to else rows)

        def last_code(self, to) -> str:
            for message in self.messages(to=to):
                match = re.search(r"\b(\d{6})\b", message.body)
                if match:
                    return match.group(1)
            raise AssertionError(f"no code sent to {to}")

    return Outbox()


@pytest.fixture
def member_factory(db):
    return MemberFactory


@pytest.fixture
def officer_factory(db):
    from portal.backoffice.services import officer_appoint

    def make(*, agency="OPS", permissions=("accounts.review_member_request",), **member_kwargs):
        from django.db import transaction

        member = MemberFactory(**member_kwargs)
        with transaction.atomic():
            officer_appoint(member=member, agency=agency, permissions=list(permissions))
        return member

    return make


TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def redis_cache(settings):
    """The default cache on the real Redis, under a prefix of this test's own. Production runs
    on Redis: what it keeps there is tested on the real thing, failing rather than skipping
    when Redis cannot be reached."""
    client = redis.Redis.from_url(TEST_REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as exc:
        pytest.fail(f"Redis at {TEST_REDIS_URL} is unreachable ({exc})")
    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": TEST_REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    yield client
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)

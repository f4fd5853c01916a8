"""Real workers run the messaging tasks: the embedded database backend and the Redis one.

Both need committed rows (the worker reads the task, then writes the outbox), hence transaction
tests. The Redis tests fail, rather than skip, when TEST_REDIS_URL cannot be reached: the
Redis worker is part of the product. The kill tests start real worker processes against the
test database (PostgreSQL, as `make test` runs it), kill -9 one in the middle of a send and see
another one finish it, once.
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
import redis
from django.core.management import call_command
from django.db import connection, transaction
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from portal.registries.failures import failure_set
from portal.registries.models import OutboundMessage
from portal.registries.tasks import deliver_message, queue_sms
from portal.sandbox.models import OutboxMessage

MOBILE = "0812345678"
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def keep_signal_handlers():
    # db_worker installs its own SIGINT/SIGTERM handlers and leaves them behind when it exits.
    names = ("SIGINT", "SIGTERM", "SIGQUIT")
    saved = {n: signal.getsignal(getattr(signal, n)) for n in names if hasattr(signal, n)}
    yield
    for name, handler in saved.items():
        signal.signal(getattr(signal, name), handler)


@pytest.fixture
def db_tasks(settings, keep_signal_handlers):
    # Changing TASKS resets django.tasks.task_backends (setting_changed), here and on the way out.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}


def run_db_worker():
    call_command(
        "db_worker", "--batch", "--no-reload", "--no-startup-delay", "--interval", "0", verbosity=0
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("db_tasks")
def test_db_worker_sends_the_sms_queued_by_a_committed_change():
    with transaction.atomic():
        queue_sms(to=MOBILE, body="รหัส OTP 123456")
    [queued] = DBTaskResult.objects.all()
    assert queued.status == TaskResultStatus.READY
    assert OutboxMessage.objects.count() == 0  # queued, not sent: the worker sends

    run_db_worker()

    message = OutboxMessage.objects.get()
    assert (message.channel, message.to, message.sender, message.body) == (
        "sms",
        MOBILE,
        "iIDS",
        "รหัส OTP 123456",
    )
    queued.refresh_from_db()
    assert queued.status == TaskResultStatus.SUCCESSFUL
    assert queued.return_value == "sent"
    assert OutboundMessage.objects.get().gateway_message_id == f"outbox-{message.pk}"


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("db_tasks")
def test_db_worker_gets_nothing_from_a_rolled_back_change():
    with pytest.raises(RuntimeError), transaction.atomic():
        queue_sms(to=MOBILE, body="never")
        raise RuntimeError("use case failed")

    run_db_worker()

    assert DBTaskResult.objects.count() == 0
    assert OutboxMessage.objects.count() == 0


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("db_tasks")
def test_db_worker_running_the_same_task_twice_sends_once():
    with transaction.atomic():
        message = queue_sms(to=MOBILE, body="once")
    [result] = DBTaskResult.objects.all()
    run_db_worker()
    first = deliver_message.get_result(str(result.id))
    assert (first.status, first.return_value) == (TaskResultStatus.SUCCESSFUL, "sent")

    # At-least-once delivery: the same task result comes round again, and another task for
    # the same message too.
    DBTaskResult.objects.filter(id=result.id).update(status=TaskResultStatus.READY)
    deliver_message.enqueue(message.pk)
    run_db_worker()

    assert sorted(DBTaskResult.objects.values_list("status", "return_value")) == [
        (TaskResultStatus.SUCCESSFUL, "skipped"),
        (TaskResultStatus.SUCCESSFUL, "skipped"),
    ]
    assert OutboxMessage.objects.count() == 1


@pytest.fixture
def redis_prefix():
    prefix = f"test_portal_tasks_{uuid.uuid4().hex}"
    yield prefix
    try:
        client = redis.Redis.from_url(TEST_REDIS_URL, socket_connect_timeout=2)
        keys = list(client.scan_iter(match=f"{prefix}*", count=500))
        if keys:
            client.delete(*keys)
        client.close()
    except redis.RedisError:
        pass  # unreachable: the test itself has already failed and said why


@pytest.fixture
def redis_tasks(settings, redis_prefix):
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks_redis.RedisTaskBackend",
            "QUEUES": [],
            "OPTIONS": {
                "REDIS_URL": TEST_REDIS_URL,
                "REDIS_KEY_PREFIX": redis_prefix,
                "REDIS_SOCKET_CONNECT_TIMEOUT": 2,
            },
        }
    }


def assert_redis_reachable():
    client = redis.Redis.from_url(TEST_REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as exc:
        pytest.fail(f"Redis at {TEST_REDIS_URL} is unreachable ({exc}); the Redis worker needs it")
    finally:
        client.close()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("redis_tasks")
def test_redis_worker_sends_the_sms_queued_by_a_committed_change():
    assert_redis_reachable()
    with transaction.atomic():
        queue_sms(to=MOBILE, body="รหัส OTP 777888", sender="i-ind")
    assert OutboxMessage.objects.count() == 0

    # Without --continuous the worker drains the queue and exits (burst mode).
    call_command("run_redis_tasks", "--failed-exit-code", "3", verbosity=0)

    message = OutboxMessage.objects.get()
    assert (message.channel, message.to, message.sender, message.body) == (
        "sms",
        MOBILE,
        "i-ind",
        "รหัส OTP 777888",
    )
    record = OutboundMessage.objects.get()
    assert message.reference == f"outbound-{record.pk}"
    assert (record.status, record.attempts, record.gateway_message_id) == (
        "sent",
        1,
        f"outbox-{message.pk}",
    )


# kill -9 of a worker in the middle of a send: another worker finishes it, once.

MANAGE = str(Path(__file__).resolve().parents[2] / "manage.py")
CLAIM_TIMEOUT = 3


def worker_environment(**extra: str) -> dict[str, str]:
    """The environment of a worker process on this test's database."""
    assert connection.vendor == "postgresql", "the kill tests run worker processes on PostgreSQL"
    db = connection.settings_dict
    environment = {
        **os.environ,
        "SANDBOX": "1",
        "TESTING": "1",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        # Long enough that the worker is surely inside the gateway call when killed.
        "SANDBOX_SLOW_SECONDS": "120",
        "TASKS_CLAIM_TIMEOUT_SECONDS": str(CLAIM_TIMEOUT),
        "TASKS_SCHEDULE_SECONDS": "0.5",
        "LOG_LEVEL": "WARNING",
    }
    environment.update(extra)
    return environment


def start_worker(arguments: list[str], environment: dict, log: Path) -> subprocess.Popen:
    with log.open("ab") as output:
        return subprocess.Popen(
            [sys.executable, MANAGE, *arguments],
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
        )


def wait_for(condition, *, seconds: float, what: str, log: Path) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    pytest.fail(f"waited {seconds} s for {what}; worker log:\n{log.read_text()}")


def kill_nine(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL


def message_status() -> str:
    return OutboundMessage.objects.get().status


@pytest.fixture
def sms_switch_reset():
    yield
    failure_set("sms", "none")


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("db_tasks", "sms_switch_reset")
def test_db_worker_killed_mid_send_leaves_a_claim_that_expires_and_another_worker_sends_once(
    tmp_path,
):
    failure_set("sms", "slow")
    with transaction.atomic():
        queue_sms(to=MOBILE, body="รหัส OTP 135790")
    log = tmp_path / "workers.log"
    environment = worker_environment(TASKS_BACKEND="db")
    worker_arguments = ["db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.2"]

    first = start_worker(worker_arguments, environment, log)
    try:
        wait_for(lambda: message_status() == "sending", seconds=90, what="the first send", log=log)
    finally:
        kill_nine(first)

    # What the bug report saw: the task stays RUNNING with nobody running it.
    [task_row] = DBTaskResult.objects.all()
    assert task_row.status == TaskResultStatus.RUNNING
    assert len(task_row.worker_ids) == 1
    assert OutboxMessage.objects.count() == 0

    failure_set("sms", "none")
    second = start_worker(worker_arguments, environment, log)
    try:
        wait_for(lambda: message_status() == "sent", seconds=90, what="the resend", log=log)
    finally:
        second.terminate()
        second.wait(timeout=30)

    task_row.refresh_from_db()
    assert (task_row.status, task_row.return_value) == (TaskResultStatus.SUCCESSFUL, "sent")
    assert len(task_row.worker_ids) == 2
    # The second worker took it only after the claim expired.
    assert task_row.started_at - task_row.enqueued_at >= timedelta(seconds=CLAIM_TIMEOUT)
    outbox = OutboxMessage.objects.get()
    assert outbox.body == "รหัส OTP 135790"
    record = OutboundMessage.objects.get()
    assert (record.attempts, record.gateway_message_id) == (2, f"outbox-{outbox.pk}")


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("redis_tasks", "sms_switch_reset")
def test_redis_worker_killed_mid_send_its_message_is_claimed_again_and_sent_once(
    tmp_path, redis_prefix
):
    assert_redis_reachable()
    failure_set("sms", "slow")
    with transaction.atomic():
        queue_sms(to=MOBILE, body="รหัส OTP 246801")
    log = tmp_path / "workers.log"
    environment = worker_environment(
        TASKS_BACKEND="redis", TASKS_REDIS_URL=TEST_REDIS_URL, TASKS_REDIS_PREFIX=redis_prefix
    )
    worker_arguments = ["run_redis_tasks", "--continuous", "--claim-interval", "0.5"]

    first = start_worker(worker_arguments, environment, log)
    try:
        wait_for(lambda: message_status() == "sending", seconds=90, what="the first send", log=log)
    finally:
        kill_nine(first)
    assert OutboxMessage.objects.count() == 0

    failure_set("sms", "none")
    second = start_worker(worker_arguments, environment, log)
    try:
        wait_for(lambda: message_status() == "sent", seconds=90, what="the resend", log=log)
    finally:
        second.terminate()
        second.wait(timeout=30)

    outbox = OutboxMessage.objects.get()
    assert outbox.body == "รหัส OTP 246801"
    record = OutboundMessage.objects.get()
    assert (record.attempts, record.gateway_message_id) == (2, f"outbox-{outbox.pk}")

"""Real workers run the messaging tasks: the embedded database backend and the Redis one.

Both need committed rows (the worker reads the task, then writes the outbox), hence transaction
tests. The Redis test fails, rather than skips, when TEST_REDIS_URL cannot be reached: the
Redis worker is part of the product.
"""

import os
import signal
import uuid

import pytest
import redis
from django.core.management import call_command
from django.db import transaction
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from portal.registries.tasks import queue_sms, send_sms_task
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
    assert queued.return_value == f"outbox-{message.pk}"


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
    result = send_sms_task.enqueue(MOBILE, "iIDS", "once")
    run_db_worker()
    first = send_sms_task.get_result(result.id)
    assert first.status == TaskResultStatus.SUCCESSFUL

    # At-least-once delivery: the same task result comes round again.
    DBTaskResult.objects.filter(id=result.id).update(status=TaskResultStatus.READY)
    run_db_worker()

    again = send_sms_task.get_result(result.id)
    assert again.status == TaskResultStatus.SUCCESSFUL
    assert again.return_value == first.return_value
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
    task_id = message.reference.removeprefix("task-")
    result = send_sms_task.get_result(task_id)
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == f"outbox-{message.pk}"

"""The schedule the task workers run: expired claims recovered, finished task rows purged,
finished messages' text erased, periodic jobs run once per period across workers."""

import logging
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.management import get_commands
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from portal.registries.models import OutboundMessage
from portal.registries.schedule import (
    outbound_sweep,
    run_schedule,
    task_claims_expire,
    task_results_purge,
)
from portal.registries.tasks import deliver_message, queue_sms

pytestmark = pytest.mark.django_db

JOB_RUNS: list[str] = []


def job_counted() -> None:
    JOB_RUNS.append("counted")


def job_broken() -> None:
    raise RuntimeError("broken job")


@pytest.fixture
def db_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}
    settings.TASKS_CLAIM_TIMEOUT_SECONDS = 300


def task_row(*, status: str, started_ago=None, finished_ago=None, workers: int = 1) -> DBTaskResult:
    result = deliver_message.enqueue(0)
    now = timezone.now()
    DBTaskResult.objects.filter(pk=result.id).update(
        status=status,
        started_at=now - started_ago if started_ago is not None else None,
        finished_at=now - finished_ago if finished_ago is not None else None,
        worker_ids=[f"worker-{n}" for n in range(workers)],
    )
    return DBTaskResult.objects.get(pk=result.id)


def test_the_portal_workers_answer_to_the_library_command_names():
    commands = get_commands()
    assert commands["db_worker"] == "portal.registries"
    assert commands["run_redis_tasks"] == "portal.registries"


@pytest.mark.usefixtures("db_tasks")
def test_a_running_task_whose_claim_expired_is_made_ready_again():
    abandoned = task_row(status=TaskResultStatus.RUNNING, started_ago=timedelta(seconds=301))
    alive = task_row(status=TaskResultStatus.RUNNING, started_ago=timedelta(seconds=60))
    finished = task_row(
        status=TaskResultStatus.SUCCESSFUL,
        started_ago=timedelta(hours=1),
        finished_ago=timedelta(hours=1),
    )
    hopeless = task_row(
        status=TaskResultStatus.RUNNING, started_ago=timedelta(seconds=301), workers=5
    )

    assert task_claims_expire() == 1

    statuses = dict(DBTaskResult.objects.values_list("pk", "status"))
    assert statuses == {
        abandoned.pk: TaskResultStatus.READY,
        alive.pk: TaskResultStatus.RUNNING,
        finished.pk: TaskResultStatus.SUCCESSFUL,
        hopeless.pk: TaskResultStatus.FAILED,
    }
    abandoned.refresh_from_db()
    assert abandoned.started_at is None
    hopeless.refresh_from_db()
    assert hopeless.traceback == "started 5 times, never finished"


def test_claims_are_left_to_the_redis_backend_when_it_is_the_one(settings):
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks_redis.RedisTaskBackend",
            "QUEUES": [],
            "OPTIONS": {"REDIS_URL": "redis://127.0.0.1:6379/3"},
        }
    }
    assert task_claims_expire() == 0


@pytest.mark.usefixtures("db_tasks")
def test_finished_task_rows_are_purged_failed_ones_kept_longer(settings):
    settings.TASKS_KEEP_SUCCESSFUL_HOURS = 24
    settings.TASKS_KEEP_FAILED_DAYS = 14
    task_row(status=TaskResultStatus.SUCCESSFUL, finished_ago=timedelta(hours=25))
    new_success = task_row(status=TaskResultStatus.SUCCESSFUL, finished_ago=timedelta(hours=23))
    recent_failure = task_row(status=TaskResultStatus.FAILED, finished_ago=timedelta(days=13))
    task_row(status=TaskResultStatus.FAILED, finished_ago=timedelta(days=15))
    waiting = task_row(status=TaskResultStatus.READY)

    assert task_results_purge() == 2

    assert set(DBTaskResult.objects.values_list("pk", flat=True)) == {
        new_success.pk,
        recent_failure.pk,
        waiting.pk,
    }


@pytest.mark.usefixtures("db_tasks")
def test_the_sweep_erases_the_text_of_finished_messages_and_keeps_the_record():
    sent = queue_sms(to="0812345678", body="OTP 111111")
    waiting = queue_sms(to="0812345678", body="OTP 222222")
    OutboundMessage.objects.filter(pk=sent.pk).update(status="sent")

    outbound_sweep()

    sent.refresh_from_db()
    waiting.refresh_from_db()
    assert (sent.body_encrypted, sent.recipient) == ("", "0812345678")
    assert waiting.body == "OTP 222222"


def test_each_periodic_job_runs_once_per_period_and_a_broken_one_stops_nothing(settings, caplog):
    settings.PERIODIC_JOBS = {
        "broken": ("tests.registries.test_schedule.job_broken", 60),
        "counted": ("tests.registries.test_schedule.job_counted", 60),
        "sign-ins-sweep": ("manage:sign_ins_sweep", 60),
    }
    JOB_RUNS.clear()
    cache.delete_many(["schedule:broken", "schedule:counted", "schedule:sign-ins-sweep"])

    with caplog.at_level(logging.ERROR):
        assert run_schedule() == ["counted", "sign-ins-sweep"]
    assert "scheduled job broken failed" in caplog.text

    # Another worker, or the next pass, within the period: nothing runs again.
    assert run_schedule() == []
    assert JOB_RUNS == ["counted"]

    cache.delete("schedule:counted")  # the period is over
    assert run_schedule() == ["counted"]
    assert JOB_RUNS == ["counted", "counted"]


def test_the_default_schedule_purges_sweeps_and_ends_timed_out_sign_ins(settings, tmp_path):
    settings.SANDBOX_WORLD = str(tmp_path)  # an empty world for the DIW factory sync
    assert settings.PERIODIC_JOBS == {
        "outbound-sweep": ("portal.registries.schedule.outbound_sweep", 60),
        "task-results-purge": ("portal.registries.schedule.task_results_purge", 3600),
        "sign-ins-sweep": ("manage:sign_ins_sweep", 300),
        "rate-counters-purge": ("portal.core.ratelimit.ratelimit_purge_expired", 3600),
        "diw-factories-sync": ("manage:diw_factories_sync", 3600),
        "bill-run": ("manage:bill_run", 86400),
        "bills-expire": ("portal.billing.services.bills_expire", 900),
        "permit-deficiencies-expire": ("portal.permits.tasks.deficiencies_expire_job", 3600),
        "permit-late-notices": ("portal.permits.tasks.late_notices_job", 3600),
        "permit-morning-notice": ("portal.permits.tasks.morning_notice_job", 3600),
        "permit-statistics": ("portal.permits.tasks.statistics_job", 3600),
        "bank-reconciliation": ("manage:payments_reconcile", 86400),
        "sandbox-bank-callbacks": ("portal.sandbox.bank.held_callbacks_send", 60),
    }
    cache.delete_many([f"schedule:{name}" for name in settings.PERIODIC_JOBS])
    assert run_schedule() == [
        "outbound-sweep",
        "task-results-purge",
        "sign-ins-sweep",
        "rate-counters-purge",
        "diw-factories-sync",
        "bill-run",
        "bills-expire",
        "permit-deficiencies-expire",
        "permit-late-notices",
        "permit-morning-notice",
        "permit-statistics",
        "bank-reconciliation",
        "sandbox-bank-callbacks",
    ]


def test_the_schedule_purges_ended_rate_limit_windows_and_keeps_running_ones(settings):
    """ACC-11: the database limiter's ended windows go hourly (the table stayed forever);
    a window still running, such as an hour-long block on reset guesses, is kept whole."""
    from portal.core import ratelimit
    from portal.core.models import RateCounter

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "portal_cache",
        }
    }
    now = ratelimit.now_ms()
    RateCounter.objects.create(bucket="rl:reset-dob:ended", count=5, window_ends_ms=now - 1)
    RateCounter.objects.create(
        bucket="rl:reset-dob:running", count=5, window_ends_ms=now + 3_300_000
    )
    cache.delete("schedule:rate-counters-purge")
    assert "rate-counters-purge" in run_schedule()
    assert list(RateCounter.objects.values_list("bucket", "count", "window_ends_ms")) == [
        ("rl:reset-dob:running", 5, now + 3_300_000)
    ]

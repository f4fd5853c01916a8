"""The schedule the task workers run: expired claims, outbound sweep, purges, colleagues' jobs.

Every task worker the portal starts (`manage.py db_worker`, `manage.py run_redis_tasks`: the
portal's versions of the libraries' commands, in registries/management/commands) runs
`run_schedule()` once when it starts and then every TASKS_SCHEDULE_SECONDS in a thread of its
own, so scheduled work needs no process beyond the workers (docs/decisions.md). Each run:

1. `task_claims_expire()`, every time in every worker: a database-backend task left RUNNING for
   longer than TASKS_CLAIM_TIMEOUT_SECONDS belongs to a worker that died (kill -9, power, OOM)
   and is made READY again, so that a live worker takes it; after TASKS_MAX_DELIVERIES starts
   it is marked FAILED instead (a task that kills its worker every time). django-tasks-db 0.13,
   the newest release, has no such recovery; the Redis backend has its own (REDIS_CLAIM_TIMEOUT,
   claimed by run_redis_tasks every --claim-interval seconds) and is left to it.
2. Each job of PERIODIC_JOBS ("name": (dotted path or "manage:<command>", period in seconds))
   that no worker ran within its period: a cache entry added with the period as its lifetime
   is the guard, so with several workers each job runs once per period. A job that fails is
   logged by name and tried again next period; it stops nothing else.
"""

import io
import logging
import threading
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import close_old_connections, connections, transaction
from django.db.models import Q
from django.tasks import TaskResultStatus, task_backends
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult
from django_tasks_redis.backends import RedisTaskBackend
from django_tasks_redis.executor import purge_completed_tasks

from portal.registries.models import OutboundMessage
from portal.registries.tasks import message_enqueue, outbound_claim_seconds

__all__ = [
    "ScheduleThread",
    "outbound_sweep",
    "run_schedule",
    "schedule_interval_argument",
    "schedule_running",
    "task_claims_expire",
    "task_results_purge",
]

logger = logging.getLogger(__name__)

TASKS_MAX_DELIVERIES = 5
# A queued message whose next attempt is this much overdue has lost its task.
_SWEEP_GRACE = timedelta(seconds=60)


def _database_backend_aliases() -> list[str]:
    return [alias for alias in settings.TASKS if isinstance(task_backends[alias], DatabaseBackend)]


def task_claims_expire() -> int:
    """Make READY again the database tasks whose worker died; returns how many."""
    aliases = _database_backend_aliases()
    if not aliases:
        return 0
    cutoff = timezone.now() - timedelta(seconds=settings.TASKS_CLAIM_TIMEOUT_SECONDS)
    requeued = 0
    with transaction.atomic():
        abandoned = DBTaskResult.objects.select_for_update(skip_locked=True).filter(
            backend_name__in=aliases, status=TaskResultStatus.RUNNING, started_at__lt=cutoff
        )
        for result in abandoned:
            if len(result.worker_ids) >= TASKS_MAX_DELIVERIES:
                result.status = TaskResultStatus.FAILED
                result.finished_at = timezone.now()
                result.exception_class_path = "portal.registries.schedule.ClaimExpired"
                result.traceback = f"started {len(result.worker_ids)} times, never finished"
                result.save(
                    update_fields=["status", "finished_at", "exception_class_path", "traceback"]
                )
                logger.error(
                    "task %s given up: its workers died %s times", result.pk, len(result.worker_ids)
                )
                continue
            result.status = TaskResultStatus.READY
            result.started_at = None
            result.save(update_fields=["status", "started_at"])
            requeued += 1
    if requeued:
        logger.warning("%s task(s) left running by a dead worker made ready again", requeued)
    return requeued


def outbound_sweep() -> int:
    """Enqueue again the messages whose task was lost; erase finished messages' text.

    A message is never lost: one still queued well after its next attempt was due (its task
    could not be enqueued, or the queue lost it) or left sending by a dead worker is enqueued
    again. Returns how many were enqueued.
    """
    now = timezone.now()
    Status = OutboundMessage.Status
    OutboundMessage.objects.filter(
        status__in=[Status.SENT, Status.FAILED, Status.CANCELLED]
    ).exclude(subject_encrypted="", body_encrypted="").update(
        subject_encrypted="", body_encrypted=""
    )
    claim_cutoff = now - timedelta(seconds=outbound_claim_seconds())
    lost = list(
        OutboundMessage.objects.filter(
            Q(status=Status.QUEUED, next_attempt_at__lte=now - _SWEEP_GRACE)
            | Q(status=Status.SENDING, sending_since__lte=claim_cutoff)
        ).order_by("pk")[:500]
    )
    for message in lost:
        message_enqueue(message=message)
    return len(lost)


def task_results_purge() -> int:
    """Delete finished task results: successful ones after TASKS_KEEP_SUCCESSFUL_HOURS, failed
    ones after TASKS_KEEP_FAILED_DAYS (kept longer, for whoever looks into the failure)."""
    now = timezone.now()
    keep_successful = timedelta(hours=settings.TASKS_KEEP_SUCCESSFUL_HOURS)
    keep_failed = timedelta(days=settings.TASKS_KEEP_FAILED_DAYS)
    deleted = 0
    aliases = _database_backend_aliases()
    if aliases:
        results = DBTaskResult.objects.filter(backend_name__in=aliases)
        deleted += results.filter(
            status=TaskResultStatus.SUCCESSFUL, finished_at__lt=now - keep_successful
        ).delete()[0]
        deleted += results.filter(
            status=TaskResultStatus.FAILED, finished_at__lt=now - keep_failed
        ).delete()[0]

    for alias in settings.TASKS:
        if isinstance(task_backends[alias], RedisTaskBackend):
            deleted += purge_completed_tasks(
                alias,
                days=keep_successful / timedelta(days=1),
                statuses=[TaskResultStatus.SUCCESSFUL],
            )
            deleted += purge_completed_tasks(
                alias, days=settings.TASKS_KEEP_FAILED_DAYS, statuses=[TaskResultStatus.FAILED]
            )
    return deleted


def _run_job(target: str) -> None:
    if target.startswith("manage:"):
        # A command's report is for a person at a terminal, not for the worker's log.
        call_command(target.removeprefix("manage:"), verbosity=0, stdout=io.StringIO())
    else:
        import_string(target)()


def run_schedule() -> list[str]:
    """One pass of the schedule; returns the names of the periodic jobs this pass ran."""
    try:
        task_claims_expire()
    except Exception:
        logger.exception("expiring task claims failed")
    ran = []
    for name, (target, period) in settings.PERIODIC_JOBS.items():
        try:
            if not cache.add(f"schedule:{name}", "running", timeout=period):
                continue  # another worker (or this one) ran it within its period
            _run_job(target)
            ran.append(name)
        except Exception:
            logger.exception("scheduled job %s failed", name)
    return ran


class ScheduleThread(threading.Thread):
    """Runs run_schedule() every `interval` seconds inside a worker process until stopped."""

    def __init__(self, interval: float):
        super().__init__(name="portal-schedule", daemon=True)
        self.interval = interval
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(self.interval):
            close_old_connections()
            run_schedule()
            # This thread's own connections: the worker's are not touched.
            connections.close_all()

    def stop(self) -> None:
        self.stopped.set()
        self.join(timeout=self.interval + 30)


def schedule_interval_argument(parser) -> None:
    """The worker commands' --schedule-interval option."""
    parser.add_argument(
        "--schedule-interval",
        type=float,
        default=settings.TASKS_SCHEDULE_SECONDS,
        help="Seconds between two runs of the portal's schedule (default: %(default)r)",
    )


@contextmanager
def schedule_running(interval: float):
    """The schedule while a worker runs: once at once (a restarted worker first recovers what
    its dead predecessor left), then every `interval` seconds in a thread, stopped on exit."""
    run_schedule()
    thread = ScheduleThread(interval)
    thread.start()
    try:
        yield
    finally:
        thread.stop()

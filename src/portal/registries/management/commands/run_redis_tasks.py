"""django-tasks-redis's run_redis_tasks, with the portal's schedule (portal.registries.schedule).

Same options and behaviour as the library's command (a task held by a dead worker is claimed
again after REDIS_CLAIM_TIMEOUT, swept every --claim-interval seconds), plus the portal's
schedule: once at the start and then every --schedule-interval seconds in a thread.
"""

from django.conf import settings
from django_tasks_redis.management.commands import run_redis_tasks

from portal.registries.schedule import ScheduleThread, run_schedule


class Command(run_redis_tasks.Command):
    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--schedule-interval",
            type=float,
            default=settings.TASKS_SCHEDULE_SECONDS,
            help="Seconds between two runs of the portal's schedule (default: %(default)r)",
        )

    def handle(self, *args, schedule_interval: float, **options) -> None:
        run_schedule()
        thread = ScheduleThread(schedule_interval)
        thread.start()
        try:
            return super().handle(*args, **options)
        finally:
            thread.stop()

"""django-tasks-redis's run_redis_tasks, with the portal's schedule (portal.registries.schedule).

Same options and behaviour as the library's command (a task held by a dead worker is claimed
again after REDIS_CLAIM_TIMEOUT, swept every --claim-interval seconds), plus the portal's
schedule: once at the start and then every --schedule-interval seconds in a thread.
"""

from django_tasks_redis.management.commands import run_redis_tasks

from portal.registries.schedule import schedule_interval_argument, schedule_running


class Command(run_redis_tasks.Command):
    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        schedule_interval_argument(parser)

    def handle(self, *args, schedule_interval: float, **options) -> None:
        with schedule_running(schedule_interval):
            return super().handle(*args, **options)

"""django-tasks-db's db_worker, with the portal's schedule (portal.registries.schedule).

Same options and behaviour as the library's command (INSTALLED_APPS lists portal.registries
first, so this one answers to `manage.py db_worker`), plus: the schedule runs once before the
first task is taken (a restarted worker first recovers the tasks its dead predecessor left
RUNNING) and then every --schedule-interval seconds in a thread of the worker's process.
"""

import os

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands import db_worker

from portal.registries.schedule import schedule_interval_argument, schedule_running


class Command(db_worker.Command):
    help = "Run a database background worker and the portal's schedule"

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        schedule_interval_argument(parser)

    def handle(self, *args, schedule_interval: float, **options) -> None:
        # With --reload the parent process only watches files; the child runs the worker.
        reloading_parent = (
            options["reload"]
            and not options["batch"]
            and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true"
        )
        if reloading_parent:
            return super().handle(*args, **options)
        with schedule_running(schedule_interval):
            return super().handle(*args, **options)

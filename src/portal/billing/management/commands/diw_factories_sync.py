"""Bring the DIW factory mirror up to date: `manage.py diw_factories_sync`.

Incremental by last change, resumable; also run hourly by the task workers' schedule
(settings.PERIODIC_JOBS "diw-factories-sync")."""

from django.core.management.base import BaseCommand, CommandError

from portal.billing.services import factories_sync


class Command(BaseCommand):
    help = "Synchronise the mirror of the DIW factory registry."

    def add_arguments(self, parser):
        parser.add_argument("--page-size", type=int, default=1000)
        parser.add_argument("--max-pages", type=int, default=None)

    def handle(self, *args, page_size, max_pages, **options):
        run = factories_sync(page_size=page_size, max_pages=max_pages)
        if run is None:
            self.stdout.write("another process is synchronising the mirror")
            return
        self.stdout.write(
            f"sync #{run.pk} {run.state}: {run.received} received, {run.created} new, "
            f"{run.updated} updated, {run.pages} pages"
        )
        if run.state == run.State.FAILED:
            raise CommandError(f"sync #{run.pk} failed: {run.error}")

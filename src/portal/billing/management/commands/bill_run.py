"""The annual bill run (BILL-02): `manage.py bill_run [--date YYYY-MM-DD] [--pause S]`.

Bills every factory a provincial industry office supervises, not exempt (BILL-03), whose due
date falls within BILL_ISSUE_DAYS_BEFORE_DUE days of the date (default: today). The day's run
left unfinished (a process killed in the middle) is resumed from its cursor; a run of a day
already billed adds nothing. Also run daily by the task workers' schedule."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from portal.billing.services import bill_run_execute, bill_run_start
from portal.core.errors import PortalError


class Command(BaseCommand):
    help = "Issue the annual fee bills falling due within the horizon."

    def add_arguments(self, parser):
        parser.add_argument("--date", type=dt.date.fromisoformat, default=None)
        parser.add_argument("--chunk-size", type=int, default=None)
        parser.add_argument(
            "--pause",
            type=float,
            default=0.0,
            help="Seconds to wait between chunks, to spare a busy database (default: 0)",
        )

    def handle(self, *args, date, chunk_size, pause, **options):
        run = bill_run_start(run_on=date)
        try:
            run = bill_run_execute(run.pk, pause_seconds=pause, chunk_size=chunk_size)
        except PortalError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(
            f"bill run #{run.pk} of {run.run_on} ({run.first_due_on} to {run.last_due_on}): "
            f"{run.state}, {run.processed} of {run.total} factories, {run.created} bills created"
        )

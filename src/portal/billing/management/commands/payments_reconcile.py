"""Reconciliation of the banks' daily statements (BILL-08):
`manage.py payments_reconcile [--date YYYY-MM-DD] [--bank CODE]`.

Reads each bank's statement of the day (yesterday in Bangkok by default) and matches it with
the recorded payments: a payment whose callback never came is recorded from the statement,
every mismatch goes to the officers' queue. Also run daily by the task workers' schedule."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from portal.billing.services import BANGKOK, statement_reconcile, statements_reconcile
from portal.registries.bank import bank_codes


class Command(BaseCommand):
    help = "Reconcile the banks' daily statements with the recorded payments."

    def add_arguments(self, parser):
        parser.add_argument("--date", type=dt.date.fromisoformat, default=None)
        parser.add_argument("--bank", default=None, help="One bank's code (default: every bank)")

    def handle(self, *args, date, bank, **options):
        if bank is not None:
            if bank not in bank_codes():
                raise CommandError(f"no bank {bank!r}; banks: {', '.join(bank_codes())}")
            runs = [statement_reconcile(bank, date or _yesterday())]
        else:
            runs = statements_reconcile(date)
        for run in runs:
            self.stdout.write(
                f"statement {run.bank_code} {run.day}: {run.state}, {run.lines} lines, "
                f"{run.matched} matched, {run.recorded} recorded from the statement, "
                f"{run.issues} new issues{f' ({run.error})' if run.error else ''}"
            )
        if any(run.error for run in runs):
            raise CommandError("a statement could not be read")


def _yesterday() -> dt.date:
    return dt.datetime.now(BANGKOK).date() - dt.timedelta(days=1)

"""Load fee table files (BILL-01): `manage.py fee_tables_load [FILE ...]`.

Without files, the tables shipped in billing/fee_tables (the illustrative ones only when
SANDBOX=1). A file that cannot be loaded stops the load, nothing stored, with its name and
field."""

from django.core.management.base import BaseCommand, CommandError

from portal.billing.services import fee_tables_load
from portal.core.errors import PortalError


class Command(BaseCommand):
    help = "Load fee table files (default: the ones shipped with the portal)."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", help="JSON fee table files")

    def handle(self, *args, files, **options):
        try:
            loaded = fee_tables_load(files or None)
        except PortalError as exc:
            raise CommandError(exc.message) from None
        for table, new in loaded:
            state = "loaded" if new else "already loaded"
            marks = [] if table.is_complete else ["incomplete: never billed from"]
            if table.illustrative:
                marks.append("illustrative")
            suffix = f" ({', '.join(marks)})" if marks else ""
            self.stdout.write(f"{table.code} {table.version}: {state}{suffix}")

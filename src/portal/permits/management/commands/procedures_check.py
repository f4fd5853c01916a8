"""Check every procedure file (PRM-01): `manage.py procedures_check [--dir FOLDER]`.

Every file is read (not only up to the first broken one); each problem is printed as
"file: field: problem". Exit status 1 when there is any, 0 when all load."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from portal.permits.checks import reference_problems
from portal.permits.definitions import check_procedure_files


class Command(BaseCommand):
    help = "Check the procedure definitions (procedures/*.yaml): schema and fee tables."

    def add_arguments(self, parser):
        parser.add_argument("--dir", help="the folder to check (default: PROCEDURES_DIR)")

    def handle(self, *args, dir=None, **options):
        folder = Path(dir or settings.PROCEDURES_DIR)
        if not folder.is_dir():
            self.stderr.write(f"{folder}: (folder): does not exist")
            raise SystemExit(1)
        loaded, problems = check_procedure_files(folder)
        errors, warnings = reference_problems(loaded, folder)
        problems = [*problems, *errors]
        for warning in warnings:
            self.stdout.write(f"warning: {warning}")
        for problem in problems:
            self.stderr.write(str(problem.message))
        if problems:
            self.stderr.write(f"{len(problems)} problem(s) in {folder}")
            raise SystemExit(1)
        for code, procedure in sorted(loaded.items()):
            self.stdout.write(
                f"{code}: {len(procedure.documents)} documents, {len(procedure.steps)} steps, "
                f"{procedure.total} {procedure.unit.replace('_', ' ')}"
            )
        self.stdout.write(f"{len(loaded)} procedure(s) checked in {folder}: all load")

import sys

from django.apps import AppConfig


class PermitsConfig(AppConfig):
    """E-permits from citizen manuals (PRM-01 to PRM-12): procedures as data, applications."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "portal.permits"
    verbose_name = "Permits"

    def ready(self):
        # PRM-01: every procedure file is checked at start-up; a broken one stops the portal with
        # the ProcedureFileError's message (file, field, problem) rather than failing later in a
        # member's request. `procedures_check` itself starts without it, to list every problem.
        if sys.argv[1:2] == ["procedures_check"]:
            return
        from portal.permits.definitions import procedures

        procedures()

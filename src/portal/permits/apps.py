from django.apps import AppConfig


class PermitsConfig(AppConfig):
    """E-permits from citizen manuals (PRM-01 to PRM-12): procedures as data, applications."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "portal.permits"
    verbose_name = "Permits"

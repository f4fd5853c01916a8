from django.apps import AppConfig


class WorkdaysConfig(AppConfig):
    """Working days (PRM-07): Thai public holidays, substitute days, officers' extra days."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "portal.workdays"
    verbose_name = "Working days"

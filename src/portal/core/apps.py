from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "portal.core"
    label = "core"
    verbose_name = "Core"

    def ready(self):
        from portal.core import lookups  # noqa: F401  (registers field__any)

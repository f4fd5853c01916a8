from django.apps import AppConfig


class OperatorsConfig(AppConfig):
    name = "portal.operators"
    label = "operators"
    verbose_name = "Businesses and factories"

    def ready(self):
        # The member's dashboard (core's home page) lists the member's businesses and the
        # registry changes to confirm, which this app owns; core imports no app, so this app
        # hands it the query. Imported here: selectors need the models, ready() is the first
        # moment they are loaded.
        from portal.core.views import dashboard_context_register
        from portal.operators.selectors import dashboard_context

        dashboard_context_register(dashboard_context)

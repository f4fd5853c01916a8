from django.apps import AppConfig


class OperatorsConfig(AppConfig):
    name = "portal.operators"
    label = "operators"
    verbose_name = "Businesses and factories"

    def ready(self):
        # The member's dashboard (core's home page) lists the member's businesses, which this
        # app owns; core imports no app, so this app hands it the query.
        from portal.core.views import dashboard_rows_register
        from portal.operators.selectors import member_holdings

        dashboard_rows_register(member_holdings)

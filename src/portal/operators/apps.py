from django.apps import AppConfig


class OperatorsConfig(AppConfig):
    name = "portal.operators"
    label = "operators"
    verbose_name = "Businesses and factories"

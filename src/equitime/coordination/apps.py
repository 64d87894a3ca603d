from django.apps import AppConfig


class CoordinationConfig(AppConfig):
    name = "equitime.coordination"
    label = "coordination"
    verbose_name = "Coordination"

from django.apps import AppConfig


class ImpactConfig(AppConfig):
    name = "equitime.impact"
    label = "impact"
    verbose_name = "Impact"

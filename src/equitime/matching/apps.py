from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "equitime.matching"
    label = "matching"
    verbose_name = "Who can help"

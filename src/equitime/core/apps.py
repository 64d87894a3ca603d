from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "equitime.core"
    label = "core"
    verbose_name = "Equitime"

from django.apps import AppConfig


class ExportsConfig(AppConfig):
    name = "equitime.exports"
    label = "exports"
    verbose_name = "Exports"

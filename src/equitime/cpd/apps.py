from django.apps import AppConfig


class CpdConfig(AppConfig):
    name = "equitime.cpd"
    label = "cpd"
    verbose_name = "CPD record"

from django.apps import AppConfig


class DigestConfig(AppConfig):
    name = "equitime.digest"
    label = "digest"
    verbose_name = "Weekly digest"

from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "equitime.jobs"
    label = "jobs"
    verbose_name = "Background jobs"

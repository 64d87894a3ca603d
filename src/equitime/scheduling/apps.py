from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "equitime.scheduling"
    label = "scheduling"
    verbose_name = "Scheduling"

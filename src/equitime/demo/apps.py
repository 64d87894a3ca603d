from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "equitime.demo"
    label = "demo"
    verbose_name = "Demo community"

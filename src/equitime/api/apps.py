from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "equitime.api"
    label = "api"
    verbose_name = "JSON API"

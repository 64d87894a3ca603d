from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "equitime.community"
    label = "community"
    verbose_name = "Community"

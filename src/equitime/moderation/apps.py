from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "equitime.moderation"
    label = "moderation"
    verbose_name = "Moderation"

from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "equitime.members"
    label = "members"
    verbose_name = "Members and organisations"

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class MembersConfig(AppConfig):
    name = "equitime.members"
    label = "members"
    verbose_name = "Members and organisations"

    def ready(self) -> None:
        from equitime.members.roles import roles_sync

        # After every app has migrated, so the exchanges permission exists too.
        post_migrate.connect(roles_sync, dispatch_uid="equitime.members.roles_sync")

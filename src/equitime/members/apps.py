from django.apps import AppConfig
from django.db.models.signals import post_migrate, post_save


class MembersConfig(AppConfig):
    name = "equitime.members"
    label = "members"
    verbose_name = "Members and organisations"

    def ready(self) -> None:
        from equitime.members.middleware import member_zone_forget
        from equitime.members.models import Profile
        from equitime.members.roles import roles_sync

        # After every app has migrated, so the exchanges permission exists too.
        post_migrate.connect(roles_sync, dispatch_uid="equitime.members.roles_sync")
        # A changed time zone shows on the member's next page.
        post_save.connect(
            member_zone_forget, sender=Profile, dispatch_uid="equitime.members.zone_forget"
        )

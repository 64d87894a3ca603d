from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "equitime.core"
    label = "core"
    verbose_name = "Equitime"

    def ready(self):
        from equitime.core import (
            checks,  # noqa: F401 - registers the system checks
            pagecache,
        )
        from equitime.core.checks import cache_table_after_migrate
        from equitime.core.database import statistics_after_migrate

        pagecache.install()
        post_migrate.connect(statistics_after_migrate, dispatch_uid="equitime-statistics")
        post_migrate.connect(cache_table_after_migrate, dispatch_uid="equitime-cache-table")

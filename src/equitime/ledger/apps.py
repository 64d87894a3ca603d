from django.apps import AppConfig
from django.db.backends.signals import connection_created


class LedgerConfig(AppConfig):
    name = "equitime.ledger"
    label = "ledger"
    verbose_name = "Ledger"

    def ready(self) -> None:
        from equitime.ledger.reset import register_sqlite_marker

        connection_created.connect(register_sqlite_marker, dispatch_uid="ledger-reset-marker")

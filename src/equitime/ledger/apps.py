from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "equitime.ledger"
    label = "ledger"
    verbose_name = "Ledger"

from django.apps import AppConfig


class ExchangesConfig(AppConfig):
    name = "equitime.exchanges"
    label = "exchanges"
    verbose_name = "Exchanges"

    def ready(self):
        from equitime.exchanges.verify import check_completed_exchanges_paid_once
        from equitime.ledger.verify import CHECKS

        if check_completed_exchanges_paid_once not in CHECKS:
            CHECKS.append(check_completed_exchanges_paid_once)

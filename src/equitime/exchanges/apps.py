from django.apps import AppConfig


class ExchangesConfig(AppConfig):
    name = "equitime.exchanges"
    label = "exchanges"
    verbose_name = "Exchanges"

    def ready(self) -> None:
        from equitime.exchanges.verify import (
            check_completed_exchanges_paid_once,
            check_status_agrees_with_transfers,
        )
        from equitime.ledger.verify import CHECKS

        for check in (check_completed_exchanges_paid_once, check_status_agrees_with_transfers):
            if check not in CHECKS:
                CHECKS.append(check)

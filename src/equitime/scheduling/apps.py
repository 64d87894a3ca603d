from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "equitime.scheduling"
    label = "scheduling"
    verbose_name = "Scheduling"

    def ready(self) -> None:
        # One-to-one sessions: an exchange that closes cancels its session.
        from equitime.exchanges.signals import exchange_closed
        from equitime.scheduling import receivers

        exchange_closed.connect(
            receivers.exchange_closed, dispatch_uid="scheduling.session_cancel_with_exchange"
        )

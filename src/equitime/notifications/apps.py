from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "equitime.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        # Apps below this one notify through the port in core (see models.py).
        from equitime.core import notices
        from equitime.notifications.services import notifications_mark_seen, notify

        notices.notify_with(notify)
        notices.seen_with(notifications_mark_seen)

        # The ledger announces donations (ledger.signals); their recipients are told.
        from equitime.ledger.signals import donation_made
        from equitime.notifications.receivers import donation_received

        donation_made.connect(donation_received, dispatch_uid="notifications.donation_received")

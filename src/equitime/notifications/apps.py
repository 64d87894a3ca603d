from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "equitime.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        # Apps below this one notify through the port in core (see models.py).
        from equitime.core import notices
        from equitime.notifications.services import notify

        notices.notify_with(notify)

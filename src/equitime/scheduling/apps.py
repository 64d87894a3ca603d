from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "equitime.scheduling"
    label = "scheduling"
    verbose_name = "Scheduling"

    def ready(self) -> None:
        # Calendars: every change of a session is e-mailed as an invitation.
        from equitime.scheduling.invitations import session_changed_received
        from equitime.scheduling.signals import session_changed

        session_changed.connect(
            session_changed_received, dispatch_uid="scheduling.calendar_invitations"
        )

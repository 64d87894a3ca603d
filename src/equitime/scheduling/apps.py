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
        # One-to-one sessions: an exchange that closes cancels its session.
        from equitime.exchanges.signals import exchange_closed
        from equitime.scheduling import receivers

        exchange_closed.connect(
            receivers.exchange_closed, dispatch_uid="scheduling.session_cancel_with_exchange"
        )
        self._group_session_checks()

    @staticmethod
    def _group_session_checks() -> None:
        """Group sessions' books join ``verify_ledger`` (``scheduling.verify``)."""
        from equitime.ledger.verify import CHECKS
        from equitime.scheduling.verify import (
            check_group_seats_agree_with_their_holds,
            check_group_sessions_paid_as_their_policy_says,
        )

        for check in (
            check_group_sessions_paid_as_their_policy_says,
            check_group_seats_agree_with_their_holds,
        ):
            if check not in CHECKS:
                CHECKS.append(check)

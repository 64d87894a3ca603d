from django.apps import AppConfig


class DashboardConfig(AppConfig):
    """Pages that combine several apps, above them all but moderation (whose
    suspend form is drawn again on the profile page): the member's dashboard
    and a member's profile page."""

    name = "equitime.dashboard"
    label = "dashboard"
    verbose_name = "Dashboard"

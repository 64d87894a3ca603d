from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    """A member's rights over their data (UK GDPR): the privacy notice, a copy
    of their data, and erasure, which ends what they have in flight in every
    app (exchanges, listings, reports, notifications) before it erases them.
    Dormant accounts are closed by the same erasure."""

    name = "equitime.privacy"
    label = "privacy"
    verbose_name = "Privacy"

from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "equitime.moderation"
    label = "moderation"
    verbose_name = "Moderation"

    def ready(self) -> None:
        # Listings ask for an automatic report through the port in core.
        from equitime.core import reports
        from equitime.moderation.services import listing_flag_automatic

        reports.report_with(listing_flag_automatic)

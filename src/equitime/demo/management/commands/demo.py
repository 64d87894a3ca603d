from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from equitime.core.site import site_link
from equitime.demo import content
from equitime.demo.builder import demo_build
from equitime.exchanges.models import Status
from equitime.impact.tasks import impact_figures


class Command(BaseCommand):
    help = (
        "Create a demo community: organisations, members with their welcome gifts and skills, "
        "donations, offers and requests, and exchanges in every state. Safe to run again: it "
        "only adds what is missing."
    )

    def handle(self, *args, **options):
        if getattr(settings, "PRODUCTION", False):
            # Every demo account, the administrator included, has a published password.
            raise CommandError(
                "The demo data has a published password; it never runs in production."
            )
        result = demo_build()
        for label, step in (
            ("Organisations", result.organisations),
            ("Members", result.members),
            ("Donations", result.donations),
            ("Listings", result.listings),
            ("Exchanges", result.exchanges),
        ):
            self.stdout.write(f"{label}: {step.total} ({step.new} new)")
        by_status = ", ".join(
            f"{Status(status).label.lower()} {count}"
            for status, count in result.exchange_statuses.items()
        )
        self.stdout.write(f"  by status: {by_status}")
        for reason in result.skipped:
            self.stdout.write(self.style.WARNING(f"  skipped {reason}"))
        # The impact pages read figures the worker rebuilds daily: the demo's
        # history shows at once rather than after the first night.
        self.stdout.write(f"Impact: {impact_figures(timezone.now())}")
        sign_in = site_link(content.LOGIN_URL)
        self.stdout.write(self.style.SUCCESS(f"\nDemo ready. Sign in at {sign_in}"))
        self.stdout.write(
            f"  member:    {content.SIGN_IN_EMAIL}  password: {content.DEMO_PASSWORD}"
            "  (a proposal to accept, hours to confirm)"
        )
        self.stdout.write(
            f"  moderator: {content.MODERATOR_EMAIL}  password: {content.DEMO_PASSWORD}"
            "  (a dispute to resolve)"
        )
        self.stdout.write(f"  admin:     {content.ADMIN_EMAIL}  password: {content.DEMO_PASSWORD}")

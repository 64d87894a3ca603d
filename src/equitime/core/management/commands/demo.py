from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from equitime.core import demo


class Command(BaseCommand):
    help = (
        "Create a demo community: organisations, members with their welcome gifts, "
        "and a few donations. Safe to run again: it only adds what is missing."
    )

    def handle(self, *args, **options):
        if getattr(settings, "PRODUCTION", False):
            # Every demo account, the administrator included, has a published password.
            raise CommandError(
                "The demo data has a published password; it never runs in production."
            )
        result = demo.demo_build()
        for label, step in (
            ("Organisations", result.organisations),
            ("Members", result.members),
            ("Donations", result.donations),
        ):
            self.stdout.write(f"{label}: {step.total} ({step.new} new)")
        for reason in result.skipped_donations:
            self.stdout.write(self.style.WARNING(f"  skipped {reason}"))
        self.stdout.write(self.style.SUCCESS(f"\nDemo ready. Sign in at {demo.LOGIN_URL}"))
        self.stdout.write(f"  member: {demo.SIGN_IN_EMAIL}  password: {demo.DEMO_PASSWORD}")
        self.stdout.write(f"  admin:  {demo.ADMIN_EMAIL}  password: {demo.DEMO_PASSWORD}")

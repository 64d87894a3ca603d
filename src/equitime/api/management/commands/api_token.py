"""Make a personal access token for a member from the command line.

Members make their own tokens on /account/api-tokens/; this is for operators
and for scripted set-ups (the README's API walkthrough). Prints only the
secret, so a shell can capture it:  TOKEN=$(equitime api_token --email ...)
"""

from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from equitime.api.services import api_token_create
from equitime.core.errors import DomainError


class Command(BaseCommand):
    help = "Make a personal access token for a member and print its secret once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", required=True, help="The member's e-mail address.")
        parser.add_argument("--name", default="Command line", help="What the token is for.")
        parser.add_argument("--read-only", action="store_true", help="A token that can only read.")
        parser.add_argument(
            "--days", type=int, default=90, help="Days until it expires (0: never). Default 90."
        )

    def handle(
        self, *args: Any, email: str, name: str, read_only: bool, days: int, **options: Any
    ) -> None:
        members = get_user_model().objects
        member = members.filter(email__iexact=email.strip(), is_active=True).first()
        if member is None:
            raise CommandError(f"No active member with the address {email}.")
        if days < 0:
            raise CommandError("--days must be 0 (never) or more.")
        expires_at = timezone.now() + timedelta(days=days) if days else None
        try:
            _token, secret = api_token_create(
                member=member, name=name, read_only=read_only, expires_at=expires_at
            )
        except DomainError as error:
            raise CommandError(error.message) from error
        self.stdout.write(secret)

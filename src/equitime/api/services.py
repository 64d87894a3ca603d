"""Personal access tokens: made, found and revoked only here."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from equitime.api.models import ApiToken
from equitime.core.errors import DomainError, ErrorKind
from equitime.core.rules import check_shared_text

if TYPE_CHECKING:
    # A token's owner: django-stubs reads this alias as settings.AUTH_USER_MODEL,
    # so the API's infrastructure names no members app (members build on it).
    from django.contrib.auth.models import _User as Member

TOKEN_PREFIX = "eqt_"  # noqa: S105 (a public marker, not a secret)
MAX_TOKENS = 20
LAST_USED_PRECISION = timedelta(minutes=1)


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def api_token_create(
    *, member: Member, name: str, read_only: bool = False, expires_at: datetime | None = None
) -> tuple[ApiToken, str]:
    """Make a token. Returns it and its secret, which is never stored or shown again."""
    name = " ".join(name.split())[:100]
    if not name:
        raise DomainError(
            _("Give the token a name, so you know later what uses it."),
            code="name",
            kind=ErrorKind.INVALID,
            field="name",
        )
    check_shared_text(name=name)
    now = timezone.now()
    if expires_at is not None and expires_at <= now:
        raise DomainError(
            _("Choose an expiry date in the future."), code="expiry", kind=ErrorKind.INVALID
        )
    with transaction.atomic():
        active = ApiToken.objects.filter(member=member, revoked_at__isnull=True).count()
        if active >= MAX_TOKENS:
            raise DomainError(
                _("You have %(n)s tokens; revoke one you no longer use first.") % {"n": active},
                code="too_many",
                kind=ErrorKind.CONFLICT,
            )
        secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
        token = ApiToken.objects.create(
            member=member,
            name=name,
            prefix=secret[: len(TOKEN_PREFIX) + 6],
            token_hash=token_hash(secret),
            read_only=read_only,
            created_at=now,
            expires_at=expires_at,
        )
    return token, secret


def api_token_revoke(*, token: ApiToken, member: Member) -> ApiToken:
    if token.member_id != member.pk:
        raise DomainError(_("This is not your token."), code="forbidden", kind=ErrorKind.FORBIDDEN)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def api_tokens_revoke_all(*, member: Member) -> int:
    """Revoke every token of the member's that still works, for good: on a
    password change (if they ask) and on suspension, so that a reinstated
    member's old scripts stay locked out. Returns how many were revoked."""
    return ApiToken.objects.filter(member=member, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def api_token_authenticate(secret: str) -> ApiToken | None:
    """The usable token for a secret (its member active), or None. Notes when
    it was last used, at most once a minute, so reads stay cheap."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 100:
        return None
    token = (
        # The member's profile too: its time zone is the answer's (api.auth).
        ApiToken.objects.select_related("member__profile")
        .filter(token_hash=token_hash(secret))
        .first()
    )
    now = timezone.now()
    if token is None or not token.is_usable(now) or not token.member.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token

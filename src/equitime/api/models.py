"""The JSON API's own records: personal access tokens and idempotent requests.

    members.Member 1 ──< ApiToken          (a secret a member makes for a script or app)
                   1 ──< IdempotentRequest (one POST remembered by its Idempotency-Key)

An ``ApiToken`` is shown once when made; only its SHA-256 is stored (a token
is 256 random bits, so a slow hash adds nothing). It may expire, may be limited
to reading, and is revoked, never deleted, so its use stays explainable.

An ``IdempotentRequest`` remembers, per member and key, what was asked (a hash
of method, path and body) and the status and body that were answered, with
the URL of the resource it was about, so that a retry gets the same answer and
moves nothing twice, and a client that lost the answer can look it up. It is
written in the same transaction as the request's own writes (api.idempotency),
so it is never committed without its answer.
"""

from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("member"),
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("starts with"), max_length=12)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    read_only = models.BooleanField(_("read only"), default=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__isnull=True)
                | models.Q(expires_at__gt=models.F("created_at")),
                name="api_token_expires_after_creation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_usable(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


class IdempotentRequest(models.Model):
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)
    path = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    # Empty only inside the transaction that runs the request (and in rows an
    # older version committed before running it: those are taken over).
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.JSONField(null=True, blank=True)
    # What the answer is about (an exchange, a transfer), when it has an address.
    resource_url = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "key"], name="idempotent_request_once"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id}:{self.key}"

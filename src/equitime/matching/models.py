"""Who can help: invitations to help with a request, and who may be suggested.

    Listing (a request) 1 ──< HelpInvitation >── helper (Member, asked to help)
                                   │      └──── asked_by (Member: the poster or a coordinator)
                                   └── 0..1 Exchange (proposed when the helper accepts)

    Member 1 ── 0..1 SuggestionSettings      (no row: the member may be suggested)

The ranking itself (``ranking``) stores nothing: it reads profiles, skills,
exchanges and thanks each time a request's page asks. What is stored is the
poster's "Ask them": one ``HelpInvitation`` per helper and request, ever
(asking twice is spam), at most ``MAX_OPEN_INVITATIONS`` waiting at once.

Lifecycle (``TRANSITIONS``):

    asked ──accept──> accepted     (an exchange is proposed, the helper providing)
      ├───decline──> declined      (an optional reason goes to the poster)
      └──withdraw──> withdrawn     (the poster no longer needs this helper)

``SuggestionSettings.suggestable`` is the member's own choice: off, they are
never ranked for anyone's request.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from equitime.exchanges.models import Exchange
from equitime.listings.models import Listing

# How many invitations may wait for an answer on one request: enough to find
# help, few enough that nobody is spammed.
MAX_OPEN_INVITATIONS = 3
NOTE_MAX_LENGTH = 300


class HelpInvitation(models.Model):
    class Status(models.TextChoices):
        ASKED = "asked", _("Asked")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    listing = models.ForeignKey(
        Listing,
        on_delete=models.CASCADE,
        related_name="help_invitations",
        verbose_name=_("request"),
    )
    helper = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="help_invitations",
        verbose_name=_("helper"),
    )
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("asked by"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ASKED
    )
    note = models.CharField(_("note"), max_length=NOTE_MAX_LENGTH, blank=True)
    decline_reason = models.CharField(
        _("reason for declining"), max_length=NOTE_MAX_LENGTH, blank=True
    )
    exchange = models.OneToOneField(
        Exchange,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="help_invitation",
        verbose_name=_("exchange"),
    )
    created_at = models.DateTimeField(_("asked"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation to help")
        verbose_name_plural = _("invitations to help")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["listing", "status"], name="help_invitation_open"),
            models.Index(fields=["helper", "-created_at"], name="help_invitation_helper"),
        ]
        constraints = [
            # Never twice the same helper for one request.
            models.UniqueConstraint(fields=["listing", "helper"], name="help_invitation_once"),
            # Waiting: no decision yet. Decided: when. Accepted: the exchange it made.
            models.CheckConstraint(
                condition=Q(status="asked", decided_at__isnull=True)
                | (~Q(status="asked") & Q(decided_at__isnull=False)),
                name="help_invitation_decided_shape",
            ),
            models.CheckConstraint(
                condition=~Q(status="accepted") | Q(exchange__isnull=False),
                name="help_invitation_accepted_has_exchange",
            ),
            models.CheckConstraint(
                condition=~Q(helper=models.F("asked_by")), name="help_invitation_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.helper} asked to help with {self.listing}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.ASKED


Status = HelpInvitation.Status

# What may follow what; each move is one service in ``services``.
TRANSITIONS: dict[str, set[str]] = {
    Status.ASKED: {Status.ACCEPTED, Status.DECLINED, Status.WITHDRAWN},
    Status.ACCEPTED: set(),
    Status.DECLINED: set(),
    Status.WITHDRAWN: set(),
}


class SuggestionSettings(models.Model):
    """A member's choice about being suggested as a helper (no row: they may be)."""

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="suggestion_settings",
        verbose_name=_("member"),
    )
    suggestable = models.BooleanField(_("suggest me to colleagues who need help"), default=True)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("suggestion settings")
        verbose_name_plural = _("suggestion settings")

    def __str__(self) -> str:
        return f"Suggestion settings of {self.member}"

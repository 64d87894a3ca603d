"""What members report, and what moderators decide: listing flags.

    Listing 1 ──< ListingFlag >── flagged_by (Member: a colleague who reports it,
                      │                        or none: ``automatic``, the money check)
                      └── decided_by (Member: the moderator who upheld or dismissed it)

A ``ListingFlag`` is a member's report that a listing breaks the rules (not for
health and care improvement, asks for money, holds patient information ...).
A member has at most one open flag per listing. The money check makes an
*automatic* report (no reporter) when a listing's words may be payment but
need a person to read them (``core.rules.money_unclear``). Moderators work the open
flags from the moderation queue, one listing at a time: *upholding* closes the
listing and marks every open flag on it upheld; *dismissing* leaves the
listing alone and marks them dismissed. Either way each flag is stamped
``decided_at``/``decided_by`` with the moderator's note (the database refuses a
half-decided row), the owner and the reporters are notified, and the decision
is written to the audit log. Only ``services`` create or decide flags.

Moderation is a high layer: it reads and changes listings, exchanges, members
and the audit log, and tells people through ``notifications``; nothing below
it imports it. Suspending members and giving roles are members' services: the
moderation pages and API only call them.

The rows live in the table the ``community`` app made (``community_listingflag``):
moving the model here changed no row, index or constraint (``migrations/0001``).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class FlagReason(models.TextChoices):
    NOT_HEALTH_CARE_IMPROVEMENT = (
        "not_health_care_improvement",
        _("It is not for health and care improvement"),
    )
    ASKS_FOR_MONEY = "asks_for_money", _("It asks for or offers money")
    PATIENT_INFORMATION = (
        "patient_information",
        _("It contains information that could identify a patient"),
    )
    INAPPROPRIATE = "inappropriate", _("It is offensive or inappropriate")
    OTHER = "other", _("Something else")


class FlagStatus(models.TextChoices):
    OPEN = "open", _("Waiting for a moderator")
    UPHELD = "upheld", _("Upheld: listing closed")
    DISMISSED = "dismissed", _("Dismissed")


class ListingFlag(models.Model):
    """A member's report that a listing breaks the rules, and its decision."""

    Reason = FlagReason
    Status = FlagStatus

    listing = models.ForeignKey(
        "listings.Listing",
        on_delete=models.CASCADE,
        related_name="flags",
        verbose_name=_("listing"),
    )
    # None for an automatic report: the money check found words that may be
    # payment and a moderator should read them (``automatic`` says so).
    flagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="listing_flags",
        verbose_name=_("reported by"),
    )
    automatic = models.BooleanField(_("reported automatically"), default=False)
    reason = models.CharField(_("reason"), max_length=30, choices=Reason.choices)
    note = models.CharField(_("note"), max_length=1000, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    created_at = models.DateTimeField(_("reported"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decision_note = models.CharField(_("moderator's note"), max_length=1000, blank=True)

    class Meta:
        # The community app's table, kept: see the module docstring.
        db_table = "community_listingflag"
        verbose_name = _("listing flag")
        verbose_name_plural = _("listing flags")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["status", "created_at"])]
        constraints = [
            # A member reports a listing once; after a decision they may report it again.
            models.UniqueConstraint(
                fields=["listing", "flagged_by"],
                condition=Q(status="open"),
                name="listing_flag_one_open_per_member",
            ),
            # The check reports a listing once while a report of it is open.
            models.UniqueConstraint(
                fields=["listing"],
                condition=Q(status="open", automatic=True),
                name="listing_flag_one_open_automatic",
            ),
            # A report is a member's or the check's, never both nor neither.
            models.CheckConstraint(
                condition=Q(automatic=True, flagged_by__isnull=True)
                | Q(automatic=False, flagged_by__isnull=False),
                name="listing_flag_reporter_or_automatic",
            ),
            models.CheckConstraint(
                condition=Q(reason__in=FlagReason.values), name="listing_flag_reason_known"
            ),
            # Open: nothing decided. Decided: when, by whom, and why, all three.
            models.CheckConstraint(
                condition=Q(
                    status="open",
                    decided_at__isnull=True,
                    decided_by__isnull=True,
                    decision_note="",
                )
                | (
                    Q(
                        status__in=["upheld", "dismissed"],
                        decided_at__isnull=False,
                        decided_by__isnull=False,
                    )
                    & ~Q(decision_note="")
                ),
                name="listing_flag_decision_shape",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()}: {self.listing_id}"

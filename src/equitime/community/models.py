"""What members are told, and what they report: notifications and listing flags.

    Member 1 ──< Notification ──> 0..1 Exchange | 0..1 Listing

    Listing 1 ──< ListingFlag >── flagged_by (Member: a colleague who reports it)
                      └── decided_by (Member: the moderator who upheld or dismissed it)

A notification is written in the same transaction as the change it reports;
its e-mail is queued only after that transaction commits (``services``) and
sent by a task (``tasks``), which stamps ``emailed_at`` or counts the failed
attempts and keeps the last error; the notification itself never depends on it.
Unread notifications have no ``read_at``.

A ``ListingFlag`` is a member's report that a listing breaks the rules (not for
health and care improvement, asks for money, holds patient information ...).
A member has at most one open flag per listing. Moderators work the open
flags from the moderation queue, one listing at a time: *upholding* closes the
listing and marks every open flag on it upheld; *dismissing* leaves the
listing alone and marks them dismissed. Either way each flag is stamped
``decided_at``/``decided_by`` with the moderator's note (the database refuses a
half-decided row), the owner and the reporters are notified, and the decision
is written to the audit log. Only ``services`` create or decide flags.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    class Kind(models.TextChoices):
        EXCHANGE_PROPOSED = "exchange_proposed", _("Exchange proposed")
        EXCHANGE_ACCEPTED = "exchange_accepted", _("Exchange accepted")
        EXCHANGE_DECLINED = "exchange_declined", _("Exchange declined")
        EXCHANGE_DELIVERED = "exchange_delivered", _("Hours logged")
        EXCHANGE_COMPLETED = "exchange_completed", _("Exchange confirmed")
        EXCHANGE_DISPUTED = "exchange_disputed", _("Exchange disputed")
        EXCHANGE_CANCELLED = "exchange_cancelled", _("Exchange cancelled")
        EXCHANGE_RESOLVED = "exchange_resolved", _("Dispute resolved")
        EXCHANGE_MESSAGE = "exchange_message", _("New message")
        THANKS = "thanks", _("Thanks received")
        LISTING_EXPIRING = "listing_expiring", _("Listing about to expire")
        LISTING_MODERATED = "listing_moderated", _("Listing closed by a moderator")
        REPORT_DECIDED = "report_decided", _("Report reviewed")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    message = models.CharField(_("message"), max_length=300)
    url = models.CharField(_("link"), max_length=300, blank=True)
    exchange = models.ForeignKey(
        "exchanges.Exchange", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    listing = models.ForeignKey(
        "listings.Listing", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # The e-mail copy, sent by a task (community.tasks): the row above is the
    # notification, and stays whatever happens to the e-mail.
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    email_attempts = models.PositiveSmallIntegerField(_("e-mail attempts"), default=0)
    email_error = models.CharField(_("last e-mail error"), max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.message


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
    flagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="listing_flags",
        verbose_name=_("reported by"),
    )
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

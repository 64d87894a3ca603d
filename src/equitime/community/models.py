"""What members are told: in-app notifications (and e-mails sent with them).

    Member 1 ──< Notification ──> 0..1 Exchange | 0..1 Listing

A notification is written in the same transaction as the change it reports;
its e-mail leaves only after that transaction commits (``services``).
Unread notifications have no ``read_at``.
"""

from django.conf import settings
from django.db import models
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

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.message

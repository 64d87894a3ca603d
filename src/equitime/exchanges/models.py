"""Exchanges: time given by a provider to a receiver, paid in hour-credits.

    Listing 0..1 ──< Exchange >── provider (Member, gives time, earns credits)
                        │     └── receiver (Member, receives time, spends credits)
                        ├── recorded_by (Member, 0..1: a coordinator who acted for a party)
                        ├── hold     (ledger.Transfer, pending: placed on accept)
                        ├── payment  (ledger.Transfer, posted: the hold's resolution)
                        ├──< ExchangeEvent    one row per transition: the timeline
                        ├──< ExchangeMessage  the thread between the two parties
                        ├──< Thanks           public thanks and impact, after completion
                        └──< Reflection       private CPD notes, one per party

Lifecycle (``TRANSITIONS`` is the single table of what may follow what):

    proposed ──accept──> accepted ──deliver──> delivered ──confirm──> completed
        │                   │                      │
        ├─decline─> declined└─cancel─> cancelled   └─dispute─> disputed ─resolve─> completed
        └─cancel──> cancelled                                         └─resolve─> voided

    completed ──reverse──> reversed     (a moderator's correction, with a reason)

A coordinator may make a party's moves for them, with their consent
(``equitime.coordination``): the move is the party's own (``actor``), and the
event's ``recorded_by`` names the coordinator who keyed it in; the exchange's
``recorded_by`` is the first coordinator who did.

Accepting places a hold of the proposed minutes on the receiver's account;
confirming posts the logged minutes and releases the hold; cancelling or a
dispute resolved without credits voids it; a moderator reversing a completed
exchange posts the ledger reversal of its payment (the payment stays, the
reversal points at it). Each transition is one service in
``services`` that locks the row, checks ``TRANSITIONS``, stamps ``<verb>_at`` and
``<verb>_by`` and writes an event.
"""

from typing import TYPE_CHECKING, cast

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Mod
from django.db.models.lookups import Exact
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from equitime.core.units import STEP_MINUTES
from equitime.ledger.models import Transfer
from equitime.listings.models import Format, Listing
from equitime.skills.models import ImprovementArea

if TYPE_CHECKING:
    from equitime.members.models import Member


class Status(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    DELIVERED = "delivered", _("Hours logged")
    COMPLETED = "completed", _("Completed")
    DISPUTED = "disputed", _("Disputed")
    CANCELLED = "cancelled", _("Cancelled")
    VOIDED = "voided", _("Closed without credits")
    REVERSED = "reversed", _("Reversed by a moderator")


OPEN_STATUSES = (Status.PROPOSED, Status.ACCEPTED, Status.DELIVERED, Status.DISPUTED)


def _quarter_hours(field: str) -> Q:
    # Q & a conditional expression is a Q; django-stubs says only Combinable.
    return cast(Q, Q(**{f"{field}__gt": 0}) & Exact(Mod(field, STEP_MINUTES), 0))


class Exchange(models.Model):
    Status = Status

    listing = models.ForeignKey(
        Listing,
        on_delete=models.PROTECT,
        related_name="exchanges",
        null=True,
        blank=True,
        verbose_name=_("listing"),
    )
    provider = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="exchanges_given",
        verbose_name=_("provider"),
    )
    receiver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="exchanges_received",
        verbose_name=_("receiver"),
    )
    # Who proposed it: the other party accepts or declines.
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    # The first coordinator who made a move for a party (see the events' recorded_by).
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("recorded by"),
    )
    # Set by the proposing form, so a double-clicked or replayed proposal
    # finds the exchange it already made instead of making another.
    request_key = models.CharField(max_length=64, unique=True, null=True, blank=True)
    title = models.CharField(_("what"), max_length=120)
    improvement_area = models.ForeignKey(
        ImprovementArea,
        on_delete=models.PROTECT,
        related_name="exchanges",
        verbose_name=_("improvement area"),
    )
    benefit = models.CharField(_("benefit to health and care"), max_length=250)
    format = models.CharField(
        _("format"), max_length=10, choices=Format.choices, default=Format.EITHER
    )
    proposed_minutes = models.PositiveIntegerField(_("proposed time (minutes)"))
    logged_minutes = models.PositiveIntegerField(_("time given (minutes)"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED
    )
    hold = models.OneToOneField(
        Transfer,
        on_delete=models.PROTECT,
        related_name="exchange_held",
        null=True,
        blank=True,
        verbose_name=_("hold"),
    )
    payment = models.OneToOneField(
        Transfer,
        on_delete=models.PROTECT,
        related_name="exchange_paid",
        null=True,
        blank=True,
        verbose_name=_("payment"),
    )

    created_at = models.DateTimeField(_("proposed"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)
    declined_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.CharField(_("reason for declining"), max_length=500, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    # NULL with completed_at set: confirmed automatically after the waiting period.
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    disputed_at = models.DateTimeField(null=True, blank=True)
    dispute_reason = models.CharField(_("reason for dispute"), max_length=1000, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    resolution_note = models.CharField(_("moderator's note"), max_length=1000, blank=True)
    reversed_at = models.DateTimeField(null=True, blank=True)
    reversed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    reversal_reason = models.CharField(_("reason for reversing"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("exchange")
        verbose_name_plural = _("exchanges")
        ordering = ["-created_at", "-id"]
        permissions = [("resolve_dispute", "Can resolve disputed exchanges")]
        indexes = [
            models.Index(fields=["status", "delivered_at"]),
            # Who has helped before (matching.ranking): completed exchanges by
            # improvement area, and by listing, each answered from the index alone.
            models.Index(
                fields=["status", "improvement_area", "provider", "receiver", "listing"],
                name="exchange_help_by_area",
            ),
            models.Index(
                fields=["listing", "status", "provider", "receiver"],
                name="exchange_help_by_listing",
            ),
            # When each member last took part (matching.ranking: recent activity).
            models.Index(fields=["provider", "updated_at"], name="exchange_provider_last"),
            models.Index(fields=["receiver", "updated_at"], name="exchange_receiver_last"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(provider=F("receiver")), name="exchange_between_two_members"
            ),
            models.CheckConstraint(
                condition=_quarter_hours("proposed_minutes"),
                name="exchange_proposed_in_quarter_hours",
            ),
            models.CheckConstraint(
                condition=Q(logged_minutes__isnull=True) | _quarter_hours("logged_minutes"),
                name="exchange_logged_in_quarter_hours",
            ),
            # Credits move exactly when the lifecycle says they do.
            models.CheckConstraint(
                condition=Q(status__in=["proposed", "declined"], hold__isnull=True)
                | ~Q(status__in=["proposed", "declined"]),
                name="exchange_no_hold_before_accept",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["completed", "reversed"], payment__isnull=False)
                | (~Q(status__in=["completed", "reversed"]) & Q(payment__isnull=True)),
                name="exchange_paid_once_completed",
            ),
            models.CheckConstraint(
                condition=Q(status="reversed", reversed_at__isnull=False)
                | (~Q(status="reversed") & Q(reversed_at__isnull=True)),
                name="exchange_reversed_when_stamped",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def party_role(self, member: "Member") -> str | None:
        if member.pk == self.provider_id:
            return "provider"
        if member.pk == self.receiver_id:
            return "receiver"
        return None

    def other_party(self, member: "Member") -> "Member":
        return self.receiver if member.pk == self.provider_id else self.provider

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class ExchangeEvent(models.Model):
    """One row per transition: the exchange's timeline."""

    class Verb(models.TextChoices):
        PROPOSE = "propose", _("proposed the exchange")
        ACCEPT = "accept", _("accepted; the credits are held")
        DECLINE = "decline", _("declined")
        DELIVER = "deliver", _("logged the time given")
        CONFIRM = "confirm", _("confirmed; the credits moved")
        AUTO_CONFIRM = "auto_confirm", _("confirmed automatically after the waiting period")
        DISPUTE = "dispute", _("disputed the time logged")
        CANCEL = "cancel", _("cancelled; any hold is released")
        RESOLVE_POST = "resolve_post", _("resolved the dispute; the credits moved")
        RESOLVE_VOID = "resolve_void", _("resolved the dispute; no credits moved")
        REVERSE = "reverse", _("reversed the exchange; the credits went back")

    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="events")
    verb = models.CharField(max_length=20, choices=Verb.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    # The coordinator who made the move for ``actor``, with the actor's consent.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    from_status = models.CharField(max_length=10, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=Status.choices)
    minutes = models.PositiveIntegerField(null=True, blank=True)
    note = models.CharField(max_length=1000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.exchange_id}: {self.verb}"


# The single table of allowed moves: verb -> (statuses it may start from, status it leads to).
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    ExchangeEvent.Verb.ACCEPT: (frozenset({Status.PROPOSED}), Status.ACCEPTED),
    ExchangeEvent.Verb.DECLINE: (frozenset({Status.PROPOSED}), Status.DECLINED),
    ExchangeEvent.Verb.CANCEL: (frozenset({Status.PROPOSED, Status.ACCEPTED}), Status.CANCELLED),
    ExchangeEvent.Verb.DELIVER: (frozenset({Status.ACCEPTED}), Status.DELIVERED),
    ExchangeEvent.Verb.CONFIRM: (frozenset({Status.DELIVERED}), Status.COMPLETED),
    ExchangeEvent.Verb.AUTO_CONFIRM: (frozenset({Status.DELIVERED}), Status.COMPLETED),
    ExchangeEvent.Verb.DISPUTE: (frozenset({Status.DELIVERED}), Status.DISPUTED),
    ExchangeEvent.Verb.RESOLVE_POST: (frozenset({Status.DISPUTED}), Status.COMPLETED),
    ExchangeEvent.Verb.RESOLVE_VOID: (frozenset({Status.DISPUTED}), Status.VOIDED),
    ExchangeEvent.Verb.REVERSE: (frozenset({Status.COMPLETED}), Status.REVERSED),
}


class ExchangeMessage(models.Model):
    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("message"), max_length=4000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Message {self.pk} on exchange {self.exchange_id}"


class Thanks(models.Model):
    """Thanks and an impact note from one party, after completion."""

    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="thanks")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="thanks_received"
    )
    message = models.CharField(_("thanks"), max_length=1000)
    impact = models.CharField(_("impact on health and care"), max_length=1000, blank=True)
    show_on_profile = models.BooleanField(_("show on their profile"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = _("thanks")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["exchange", "author"], name="thanks_once_per_party")
        ]

    def __str__(self) -> str:
        return f"Thanks on exchange {self.exchange_id}"


class Reflection(models.Model):
    """A private reflective account for the author's CPD and appraisal record."""

    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="reflections")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # A reflective account as NHS appraisal and GMC/NMC revalidation ask for it:
    # what happened, what I learned, how it changed my practice, which standards.
    text = models.TextField(_("what happened"), max_length=4000)
    learned = models.TextField(_("what I learned"), max_length=4000, blank=True)
    practice_change = models.TextField(_("how it changed my practice"), max_length=4000, blank=True)
    standards = models.CharField(_("standards it relates to"), max_length=500, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["exchange", "author"], name="reflection_once_per_party")
        ]

    def __str__(self) -> str:
        return f"Reflection on exchange {self.exchange_id}"

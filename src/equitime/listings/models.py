"""Offers and requests.

    Member 1 ──< Listing >── ImprovementArea        (rule 1: what it improves, and how)
                   │  └──> recorded_by (Member, 0..1: a coordinator who posted it for the owner)
                   └──< Skill (many)

An *offer* says "I can help with this"; a *request* says "I need help with
this". Both name the improvement area they serve and a one-sentence benefit
to health and care. There is no price field anywhere (rule 2) and hours are
estimated in quarter-hours, the same for everyone (rule 3).

Status: open → paused ⇄ open → closed; open or paused → expired when
``expires_at`` passes (a scheduled command), and renewing reopens it for
another ``EQUITIME_LISTING_EXPIRY_DAYS``. Only ``services`` change a listing.
"""

from typing import cast

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Mod
from django.db.models.lookups import Exact
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from equitime.core.units import STEP_MINUTES
from equitime.skills.models import ImprovementArea, Skill


class Format(models.TextChoices):
    REMOTE = "remote", _("Remote")
    IN_PERSON = "in_person", _("In person")
    EITHER = "either", _("Remote or in person")


class Listing(models.Model):
    class Kind(models.TextChoices):
        OFFER = "offer", _("Offer")
        REQUEST = "request", _("Request")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        PAUSED = "paused", _("Paused")
        CLOSED = "closed", _("Closed")
        EXPIRED = "expired", _("Expired")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="listings",
        verbose_name=_("owner"),
    )
    # A coordinator who posted it for the owner, with the owner's consent
    # (coordination.services.coordinated_listing_create); NULL when the owner posted it.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("posted by"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), max_length=4000)
    skills = models.ManyToManyField(Skill, related_name="listings", verbose_name=_("skills"))
    improvement_area = models.ForeignKey(
        ImprovementArea,
        on_delete=models.PROTECT,
        related_name="listings",
        verbose_name=_("improvement area"),
    )
    benefit = models.CharField(_("benefit to health and care"), max_length=250)
    estimated_minutes = models.PositiveIntegerField(_("estimated time (minutes)"))
    format = models.CharField(_("format"), max_length=10, choices=Format.choices)
    place = models.CharField(_("place"), max_length=120, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    expires_at = models.DateTimeField(_("expires"))
    expiry_warned_at = models.DateTimeField(_("expiry warning sent"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("listing")
        verbose_name_plural = _("listings")
        ordering = ["-created_at", "-id"]
        # Each serves a browse order over open listings, ending in the key that
        # keyset pages carry (core.paging), so a page never sorts or skips rows.
        indexes = [
            models.Index(fields=["status", "kind", "-created_at"]),
            models.Index(fields=["status", "-created_at", "-id"], name="listing_status_newest"),
            models.Index(
                fields=["status", "estimated_minutes", "-created_at", "-id"],
                name="listing_status_shortest",
            ),
            models.Index(fields=["owner", "status", "-created_at"], name="listing_owner_status"),
        ]
        constraints = [
            models.CheckConstraint(
                # Q & a conditional expression is a Q; django-stubs says only Combinable.
                condition=cast(
                    Q, Q(estimated_minutes__gt=0) & Exact(Mod("estimated_minutes", STEP_MINUTES), 0)
                ),
                name="listing_estimate_in_quarter_hours",
            ),
            models.CheckConstraint(condition=~Q(benefit=""), name="listing_states_its_benefit"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN and self.expires_at > timezone.now()

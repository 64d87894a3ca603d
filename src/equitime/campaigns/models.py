"""Campaigns: themed drives the community's administrators run, and the
ambassadors who welcome new members.

    Campaign ──< CampaignListing >── listings.Listing   (joined by its owner;
       │                                                  ``featured`` by an
       │                                                  ambassador or admin)
       └──< CampaignSession >── scheduling.Session      (a group session,
                                                          joined by its organiser)

    Member (new) 1 ──0..1 Welcome >── ambassador (Member)

A campaign's progress is the minutes of the COMPLETED exchanges on its
listings, completed between its first and last day (UTC): a reversed,
voided, disputed or cancelled exchange never counts, and each exchange
counts once whatever else it is linked to. Group sessions join a campaign to
be seen on its page but add nothing to its progress: their credits come from
the pool or are shared between places, so the hours they stand for are not an
exchange's confirmed minutes (``selectors.campaign_progress_minutes``).

The join tables live here, so listings and scheduling below know nothing of
campaigns. The permissions that the roles carry (``members.roles``) are
declared on ``Campaign``: administrators add and change campaigns; ambassadors
feature listings and welcome new members. A member is welcomed at most once
(``Welcome.member`` is unique).

A campaign may carry one image, with the words that describe it
(``image_alt``): the administrator's upload, decoded, checked and re-encoded by
``campaigns.images`` (metadata stripped, at most ``images.MAX_WIDTH`` wide)
and stored under a random name in MEDIA_ROOT; ``views.campaign_image`` serves
it to members. Replacing or removing it deletes the old file once the change
is committed.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from equitime.listings.models import Listing
from equitime.scheduling.models import Session
from equitime.skills.models import ImprovementArea

# Fits in a notification (300 characters) with the ambassador's name.
WELCOME_MAX_LENGTH = 200
# A sentence or two: what someone who cannot see the image needs to know.
IMAGE_ALT_MAX_LENGTH = 200


class Campaign(models.Model):
    title = models.CharField(_("title"), max_length=120)
    slug = models.SlugField(_("address"), max_length=80, unique=True)
    description = models.TextField(_("description"), max_length=4000)
    improvement_area = models.ForeignKey(
        ImprovementArea,
        on_delete=models.PROTECT,
        related_name="campaigns",
        verbose_name=_("improvement area"),
    )
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    # Whole hours, kept in minutes like every other amount of time.
    target_minutes = models.PositiveIntegerField(_("target (minutes)"))
    # The re-encoded image (a random name under campaigns/), its size in
    # pixels for the page's width and height attributes, and its description.
    image = models.FileField(_("image"), upload_to="campaigns/", max_length=120, blank=True)
    image_width = models.PositiveIntegerField(null=True, blank=True)
    image_height = models.PositiveIntegerField(null=True, blank=True)
    image_alt = models.CharField(
        _("image description"), max_length=IMAGE_ALT_MAX_LENGTH, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    # Read, not stored: set by ``selectors.with_progress``.
    progress_minutes: int
    progress_percent: int
    progress_hours: str
    target_hours: str

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-starts_on", "-id"]
        permissions = [
            ("feature_listing", "Can feature listings in campaigns"),
            ("welcome_members", "Can welcome new members"),
        ]
        indexes = [models.Index(fields=["starts_on", "ends_on"], name="campaign_dates")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="campaign_ends_after_it_starts"
            ),
            models.CheckConstraint(condition=Q(target_minutes__gt=0), name="campaign_has_a_target"),
            models.CheckConstraint(
                condition=Q(image="") | ~Q(image_alt=""), name="campaign_image_has_alt"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def is_active_on(self, day) -> bool:
        return self.starts_on <= day <= self.ends_on


class CampaignListing(models.Model):
    """An offer or request that joined a campaign."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="listing_links")
    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="campaign_links")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)
    featured = models.BooleanField(_("featured"), default=False)
    featured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "listing"], name="campaign_listing_once")
        ]

    def __str__(self) -> str:
        return f"Listing {self.listing_id} in campaign {self.campaign_id}"


class CampaignSession(models.Model):
    """A group session that joined a campaign."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="session_links")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="campaign_links")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "session"], name="campaign_session_once")
        ]

    def __str__(self) -> str:
        return f"Session {self.session_id} in campaign {self.campaign_id}"


class Welcome(models.Model):
    """An ambassador's welcome to a new member: at most one per member."""

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="welcome"
    )
    ambassador = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="welcomes_sent"
    )
    message = models.CharField(_("welcome message"), max_length=WELCOME_MAX_LENGTH)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Welcome to member {self.member_id}"

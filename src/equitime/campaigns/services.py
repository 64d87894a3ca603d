"""Campaigns' writes: each a typed function in one transaction.

Administrators (``campaigns.add_campaign`` / ``change_campaign``) create and
edit campaigns, audited. A listing's owner, or a group session's organiser,
adds it to a running campaign and takes it out; an administrator may take
anything out. Ambassadors and administrators (``campaigns.feature_listing``)
feature a joined listing. Ambassadors (``campaigns.welcome_members``) welcome a
new member once, in words the text rules check.

A campaign's image comes with words that describe it (``image_alt``, checked
like its other texts); ``campaigns.images`` checks and re-encodes the upload.
A replaced or removed image's file is deleted once the change is committed.
"""

from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from equitime.audit.models import AuditEntry
from equitime.audit.services import audit_record
from equitime.campaigns.images import PreparedImage, prepare_image
from equitime.campaigns.models import (
    IMAGE_ALT_MAX_LENGTH,
    WELCOME_MAX_LENGTH,
    Campaign,
    CampaignListing,
    CampaignSession,
    Welcome,
)
from equitime.core.errors import DomainError, ErrorKind
from equitime.core.rules import check_shared_text
from equitime.core.units import MAX_EXCHANGE_MINUTES, MINUTES_PER_CREDIT
from equitime.listings.models import Listing
from equitime.members.models import Member
from equitime.notifications.models import Notification
from equitime.notifications.services import notify
from equitime.scheduling.models import Session
from equitime.skills.models import ImprovementArea

# A campaign's target: whole hours, up to a thousand exchanges' worth.
MAX_TARGET_HOURS = 1000 * MAX_EXCHANGE_MINUTES // MINUTES_PER_CREDIT
# Who counts as new on the ambassadors' page.
NEW_MEMBER_DAYS = 30

# Addresses of pages beside the campaigns (campaigns/new/ ...).
RESERVED_SLUGS = {"new", "join", "welcome"}

CAMPAIGN_FIELDS = ["title", "description", "improvement_area", "starts_on", "ends_on"]
IMAGE_FIELDS = ["image", "image_width", "image_height", "image_alt"]


def _forbidden() -> DomainError:
    return DomainError(
        _("You do not have permission to do this."), code="forbidden", kind=ErrorKind.FORBIDDEN
    )


def _require(member: Member, permission: str) -> None:
    if not member.has_perm(permission):
        raise _forbidden()


def _check_campaign(*, starts_on: date, ends_on: date, target_hours: int) -> None:
    if ends_on < starts_on:
        raise DomainError(
            _("The last day must be on or after the first day."),
            code="ends_before_start",
            field="ends_on",
            kind=ErrorKind.INVALID,
        )
    if not 1 <= target_hours <= MAX_TARGET_HOURS:
        raise DomainError(
            _("Set a target between 1 and %(most)s hours.") % {"most": MAX_TARGET_HOURS},
            code="target_out_of_range",
            field="target_hours",
            kind=ErrorKind.INVALID,
        )


def _check_alt(image_alt: str, *, has_image: bool) -> str:
    image_alt = (image_alt or "").strip()
    if has_image and not image_alt:
        raise DomainError(
            _(
                "Describe the image for people who cannot see it, e.g. “Nurses and "
                "physiotherapists planning a session round a table”."
            ),
            code="required",
            field="image_alt",
            kind=ErrorKind.INVALID,
        )
    if len(image_alt) > IMAGE_ALT_MAX_LENGTH:
        raise DomainError(
            _("Keep the description to %(most)s characters.") % {"most": IMAGE_ALT_MAX_LENGTH},
            code="too_long",
            field="image_alt",
            kind=ErrorKind.INVALID,
        )
    if image_alt:
        check_shared_text(image_alt=image_alt)
    return image_alt if has_image else ""


def _delete_file_on_commit(name: str) -> None:
    if name:
        storage = Campaign._meta.get_field("image").storage
        transaction.on_commit(lambda: storage.delete(name))


def _put_image(campaign: Campaign, prepared: PreparedImage | None, *, remove: bool) -> None:
    """Inside the transaction: set (or clear) the campaign's image, not yet
    saved; the old file goes once the change is committed. The caller deletes
    the new file should the transaction fail."""
    old = campaign.image.name or ""
    if prepared is not None:
        campaign.image.save(prepared.name, prepared.file, save=False)
        campaign.image_width, campaign.image_height = prepared.width, prepared.height
    elif remove:
        campaign.image = ""
        campaign.image_width = campaign.image_height = None
    if old and (prepared is not None or remove):
        _delete_file_on_commit(old)


def _forget_new_file(campaign: Campaign, prepared: PreparedImage | None) -> None:
    if prepared is not None and campaign.image.name:
        campaign.image.storage.delete(campaign.image.name)


def campaign_deleted(sender, instance: Campaign, **kwargs) -> None:
    """``post_delete``: a deleted campaign's image file goes on commit."""
    _delete_file_on_commit(instance.image.name or "")


def _unique_slug(title: str) -> str:
    base = slugify(title)[:70] or "campaign"
    if base in RESERVED_SLUGS:
        base = f"{base}-campaign"
    slug, n = base, 2
    while Campaign.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def campaign_create(
    *,
    by: Member,
    title: str,
    description: str,
    improvement_area: ImprovementArea,
    starts_on: date,
    ends_on: date,
    target_hours: int,
    image=None,
    image_alt: str = "",
) -> Campaign:
    """``image``: an uploaded file (checked and re-encoded), with ``image_alt``
    describing it."""
    _require(by, "campaigns.add_campaign")
    _check_campaign(starts_on=starts_on, ends_on=ends_on, target_hours=target_hours)
    check_shared_text(title=title, description=description)
    image_alt = _check_alt(image_alt, has_image=image is not None)
    prepared = prepare_image(image) if image is not None else None
    campaign = Campaign(
        title=title.strip(),
        description=description.strip(),
        improvement_area=improvement_area,
        starts_on=starts_on,
        ends_on=ends_on,
        target_minutes=target_hours * MINUTES_PER_CREDIT,
        created_by=by,
        image_alt=image_alt,
    )
    try:
        with transaction.atomic():
            campaign.slug = _unique_slug(title)
            _put_image(campaign, prepared, remove=False)
            campaign.save()
            audit_record(
                action=AuditEntry.Action.CAMPAIGN_CHANGED,
                actor=by,
                target=campaign,
                summary=f"Campaign {campaign.slug} created",
                data={
                    "title": campaign.title,
                    "target_minutes": campaign.target_minutes,
                    "image": bool(campaign.image),
                },
            )
    except BaseException:
        _forget_new_file(campaign, prepared)
        raise
    return campaign


def campaign_update(
    *,
    campaign: Campaign,
    by: Member,
    title: str,
    description: str,
    improvement_area: ImprovementArea,
    starts_on: date,
    ends_on: date,
    target_hours: int,
    image=None,
    image_alt: str | None = None,
    remove_image: bool = False,
) -> Campaign:
    """Change a campaign's texts, dates, target and image. Its address (slug)
    stays, so links already shared keep working. ``image``: a new upload that
    replaces the old one; ``remove_image``: take it away; ``image_alt`` None
    keeps the description."""
    _require(by, "campaigns.change_campaign")
    _check_campaign(starts_on=starts_on, ends_on=ends_on, target_hours=target_hours)
    check_shared_text(title=title, description=description)
    will_have_image = image is not None or (bool(campaign.image) and not remove_image)
    alt = _check_alt(
        campaign.image_alt if image_alt is None else image_alt, has_image=will_have_image
    )
    prepared = prepare_image(image) if image is not None else None
    try:
        with transaction.atomic():
            campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
            before = {
                "title": campaign.title,
                "target_minutes": campaign.target_minutes,
                "image": bool(campaign.image),
            }
            campaign.title = title.strip()
            campaign.description = description.strip()
            campaign.improvement_area = improvement_area
            campaign.starts_on = starts_on
            campaign.ends_on = ends_on
            campaign.target_minutes = target_hours * MINUTES_PER_CREDIT
            campaign.image_alt = alt
            _put_image(campaign, prepared, remove=remove_image)
            campaign.updated_at = timezone.now()
            campaign.save(
                update_fields=[*CAMPAIGN_FIELDS, *IMAGE_FIELDS, "target_minutes", "updated_at"]
            )
            audit_record(
                action=AuditEntry.Action.CAMPAIGN_CHANGED,
                actor=by,
                target=campaign,
                summary=f"Campaign {campaign.slug} changed",
                data={
                    "before": before,
                    "after": {
                        "title": campaign.title,
                        "target_minutes": campaign.target_minutes,
                        "image": bool(campaign.image),
                    },
                },
            )
    except BaseException:
        _forget_new_file(campaign, prepared)
        raise
    return campaign


def _check_running(campaign: Campaign) -> None:
    if not campaign.is_active_on(timezone.now().date()):
        raise DomainError(
            _("This campaign is not running now: only a running campaign can be joined."),
            code="campaign_not_running",
            field="campaign",
            kind=ErrorKind.CONFLICT,
        )


def _link_create(model, already: str, **fields):
    """A listing's or session's place in a campaign; once only (a unique
    constraint decides between two requests at once)."""
    try:
        with transaction.atomic():
            return model.objects.create(**fields)
    except IntegrityError:
        raise DomainError(already, code="already_joined", kind=ErrorKind.CONFLICT) from None


def _owns(listing: Listing, member) -> bool:
    return member.is_authenticated and listing.owner_id == member.pk


def _organises(session: Session, member) -> bool:
    return (
        member.is_authenticated
        and session.kind == Session.Kind.GROUP
        and session.organiser_id == member.pk
    )


def _administers(member) -> bool:
    return member.has_perm("campaigns.change_campaign")


def campaign_listing_moves_for(*, listing: Listing, member) -> set[str]:
    """What ``member`` may do with ``listing``'s place in campaigns: "join" (its
    owner, while it is open) and "leave" (its owner, or an administrator). The
    listing page's control asks this; the services below hold the same rules."""
    moves = set()
    if _owns(listing, member) and listing.is_open:
        moves.add("join")
    if _owns(listing, member) or _administers(member):
        moves.add("leave")
    return moves


def campaign_session_moves_for(*, session: Session, member) -> set[str]:
    """The same for a group session: its organiser joins it while it is not
    cancelled; its organiser or an administrator takes it out."""
    moves = set()
    if _organises(session, member) and session.status != Session.Status.CANCELLED:
        moves.add("join")
    if _organises(session, member) or _administers(member):
        moves.add("leave")
    return moves


def campaign_listing_join(
    *, campaign: Campaign, listing: Listing, member: Member
) -> CampaignListing:
    """The listing's owner adds their open listing to a running campaign."""
    if not _owns(listing, member):
        raise _forbidden()
    _check_running(campaign)
    if not listing.is_open:
        raise DomainError(
            _("Only an open listing can join a campaign. Reopen it first."),
            code="listing_not_open",
            kind=ErrorKind.CONFLICT,
        )
    return _link_create(
        CampaignListing,
        _("This listing is already part of the campaign."),
        campaign=campaign,
        listing=listing,
        added_by=member,
    )


def _listing_link(campaign: Campaign, listing: Listing) -> CampaignListing:
    link = CampaignListing.objects.filter(campaign=campaign, listing=listing).first()
    if link is None:
        raise DomainError(
            _("This listing is not part of the campaign."),
            code="not_joined",
            kind=ErrorKind.CONFLICT,
        )
    return link


def campaign_listing_leave(*, campaign: Campaign, listing: Listing, member: Member) -> None:
    """The owner (or an administrator) takes the listing out of the campaign.
    Its completed exchanges then no longer count towards the campaign."""
    if "leave" not in campaign_listing_moves_for(listing=listing, member=member):
        raise _forbidden()
    with transaction.atomic():
        _listing_link(campaign, listing).delete()


def campaign_listing_feature(
    *, campaign: Campaign, listing: Listing, member: Member, featured: bool = True
) -> CampaignListing:
    """An ambassador or administrator shows a joined listing first on the campaign page."""
    _require(member, "campaigns.feature_listing")
    with transaction.atomic():
        link = _listing_link(campaign, listing)
        link.featured = featured
        link.featured_by = member if featured else None
        link.save(update_fields=["featured", "featured_by"])
    return link


def campaign_session_join(
    *, campaign: Campaign, session: Session, member: Member
) -> CampaignSession:
    """A group session's organiser adds it to a running campaign."""
    if not _organises(session, member):
        raise _forbidden()
    _check_running(campaign)
    if session.status == Session.Status.CANCELLED:
        raise DomainError(
            _("A cancelled session cannot join a campaign."),
            code="session_cancelled",
            kind=ErrorKind.CONFLICT,
        )
    return _link_create(
        CampaignSession,
        _("This session is already part of the campaign."),
        campaign=campaign,
        session=session,
        added_by=member,
    )


def campaign_session_leave(*, campaign: Campaign, session: Session, member: Member) -> None:
    if "leave" not in campaign_session_moves_for(session=session, member=member):
        raise _forbidden()
    with transaction.atomic():
        deleted, _rows = CampaignSession.objects.filter(campaign=campaign, session=session).delete()
    if not deleted:
        raise DomainError(
            _("This session is not part of the campaign."),
            code="not_joined",
            kind=ErrorKind.CONFLICT,
        )


def member_welcome(*, member: Member, ambassador: Member, message: str) -> Welcome:
    """An ambassador welcomes a new member: a notification with their words,
    recorded so that nobody is welcomed twice."""
    _require(ambassador, "campaigns.welcome_members")
    message = message.strip()
    if not message:
        raise DomainError(
            _("Write a few words of welcome."),
            code="required",
            field="message",
            kind=ErrorKind.INVALID,
        )
    if len(message) > WELCOME_MAX_LENGTH:
        raise DomainError(
            _("Keep the welcome to %(most)s characters.") % {"most": WELCOME_MAX_LENGTH},
            code="too_long",
            field="message",
            kind=ErrorKind.INVALID,
        )
    if member.pk == ambassador.pk:
        raise DomainError(
            _("You cannot welcome yourself."), code="own_welcome", kind=ErrorKind.INVALID
        )
    if not member.is_active or member.date_joined < timezone.now() - timedelta(
        days=NEW_MEMBER_DAYS
    ):
        raise DomainError(
            _("Only members who joined in the last %(days)s days can be welcomed.")
            % {"days": NEW_MEMBER_DAYS},
            code="not_new",
            kind=ErrorKind.CONFLICT,
        )
    check_shared_text(message=message)
    try:
        with transaction.atomic():
            welcome = Welcome.objects.create(member=member, ambassador=ambassador, message=message)
            notify(
                recipient=member,
                kind=Notification.Kind.WELCOME,
                params={"name": ambassador.display_name, "message": message},
                # Their profile: the newcomer can reach the colleague who wrote.
                url=reverse("profile_detail", kwargs={"pk": ambassador.pk}),
            )
    except IntegrityError:
        existing = Welcome.objects.select_related("ambassador").get(member=member)
        raise DomainError(
            _("%(name)s has already welcomed this member.")
            % {"name": existing.ambassador.display_name},
            code="already_welcomed",
            kind=ErrorKind.CONFLICT,
        ) from None
    return welcome

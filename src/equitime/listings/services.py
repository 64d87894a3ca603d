"""Every change to a listing. Only the owner may change their listing."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from equitime.core.errors import DomainError, ErrorKind
from equitime.core.reports import report_unclear_money
from equitime.core.rules import check_shared_text, money_unclear, tags_text
from equitime.core.units import (
    MAX_ESTIMATE_MINUTES,
    MinutesFault,
    credits_figure,
    minutes_fault,
)
from equitime.listings.freshness import listings_changed
from equitime.listings.models import Listing
from equitime.listings.search import listing_search_index_update
from equitime.members.models import Member
from equitime.members.rules import member_check_may_trade
from equitime.skills.models import ImprovementArea, Skill


def _expiry_from(now):
    return now + timedelta(days=settings.EQUITIME_LISTING_EXPIRY_DAYS)


def _check_content(
    *,
    title: str,
    description: str,
    benefit: str,
    estimated_minutes: int,
    place: str = "",
    languages=(),
) -> None:
    if not benefit.strip():
        raise DomainError(
            _(
                "Say in one sentence how this helps health and care: "
                "every activity is for improvement."
            ),
            code="benefit_required",
            kind=ErrorKind.INVALID,
            field="benefit",
        )
    fault = minutes_fault(estimated_minutes, maximum=MAX_ESTIMATE_MINUTES)
    if fault in (MinutesFault.NOT_POSITIVE, MinutesFault.OFF_STEP):
        raise DomainError(
            _("Estimate the time in quarter-hours: 0.25, 0.5, 1, 1.5 ..."),
            code="invalid_minutes",
            kind=ErrorKind.INVALID,
            field="estimated_minutes",
        )
    if fault is MinutesFault.TOO_MANY:
        raise DomainError(
            _("Estimate at most %(hours)s hours; split bigger work into several listings.")
            % {"hours": credits_figure(MAX_ESTIMATE_MINUTES)},
            code="invalid_minutes",
            kind=ErrorKind.INVALID,
            field="estimated_minutes",
        )
    check_shared_text(
        title=title,
        description=description,
        benefit=benefit,
        place=place,
        languages=tags_text(list(languages or [])),
    )


def _report_unclear_money(listing: Listing) -> None:
    """Words that may be payment are published and a moderator reads them."""
    for field in ("title", "description", "benefit", "place"):
        phrase = money_unclear(getattr(listing, field))
        if phrase:
            report_unclear_money(listing=listing, field=field, phrase=phrase)
            return


def _check_owner(listing: Listing, member: Member) -> None:
    if listing.owner_id != member.pk:
        raise DomainError(
            _("Only the member who posted this listing can change it."),
            code="forbidden",
            kind=ErrorKind.FORBIDDEN,
        )


def listing_create(
    *,
    owner: Member,
    kind: str,
    title: str,
    description: str,
    improvement_area: ImprovementArea,
    benefit: str,
    estimated_minutes: int,
    format: str,
    skills: list[Skill] | tuple = (),
    place: str = "",
    languages: list[str] | tuple = (),
    recorded_by: Member | None = None,
    now: datetime | None = None,
) -> Listing:
    """``recorded_by``: the coordinator posting it for ``owner``, who has
    checked the owner's consent (``coordination.services``). ``now``: when it
    was posted, the clock unless given (the demo's history)."""
    member_check_may_trade(owner)
    _check_content(
        title=title,
        description=description,
        benefit=benefit,
        estimated_minutes=estimated_minutes,
        place=place,
        languages=languages,
    )
    now = now or timezone.now()
    with transaction.atomic():
        listing = Listing.objects.create(
            owner=owner,
            recorded_by=recorded_by,
            kind=kind,
            title=title.strip(),
            description=description.strip(),
            improvement_area=improvement_area,
            benefit=benefit.strip(),
            estimated_minutes=estimated_minutes,
            format=format,
            place=place.strip(),
            languages=list(languages),
            created_at=now,
            updated_at=now,
            expires_at=_expiry_from(now),
        )
        listing.skills.set(skills)
        listing_search_index_update(listing=listing)
        _report_unclear_money(listing)
    return listing


EDITABLE = (
    "title",
    "description",
    "improvement_area",
    "benefit",
    "estimated_minutes",
    "format",
    "place",
    "languages",
)


def listing_update(*, listing: Listing, member: Member, skills=None, **fields) -> Listing:
    _check_owner(listing, member)
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    merged = {name: fields.get(name, getattr(listing, name)) for name in EDITABLE}
    _check_content(
        title=merged["title"],
        description=merged["description"],
        benefit=merged["benefit"],
        estimated_minutes=merged["estimated_minutes"],
        place=merged["place"],
        languages=merged["languages"],
    )
    with transaction.atomic():
        listing = Listing.objects.select_for_update().get(pk=listing.pk)
        for name, value in fields.items():
            setattr(listing, name, value.strip() if isinstance(value, str) else value)
        listing.updated_at = timezone.now()
        listing.save(update_fields=[*fields, "updated_at"])
        if skills is not None:
            listing.skills.set(skills)
        listing_search_index_update(listing=listing)
        _report_unclear_money(listing)
    return listing


def _set_status(*, listing: Listing, member: Member, to: str, allowed_from: set[str]) -> Listing:
    _check_owner(listing, member)
    with transaction.atomic():
        listing = Listing.objects.select_for_update().get(pk=listing.pk)
        if listing.status == to:
            return listing  # a repeated click changes nothing
        if listing.status not in allowed_from:
            raise DomainError(
                _("This listing is %(status)s and cannot be changed that way.")
                % {"status": listing.get_status_display().lower()},
                code="invalid_transition",
                kind=ErrorKind.CONFLICT,
            )
        now = timezone.now()
        listing.status = to
        listing.updated_at = now
        update = ["status", "updated_at"]
        if to == Listing.Status.CLOSED:
            listing.closed_at = now
            update.append("closed_at")
        listing.save(update_fields=update)
        listings_changed()
    return listing


def listing_pause(*, listing: Listing, member: Member) -> Listing:
    return _set_status(
        listing=listing, member=member, to=Listing.Status.PAUSED, allowed_from={Listing.Status.OPEN}
    )


def listing_resume(*, listing: Listing, member: Member) -> Listing:
    if listing.expires_at <= timezone.now():
        return listing_renew(listing=listing, member=member)
    return _set_status(
        listing=listing, member=member, to=Listing.Status.OPEN, allowed_from={Listing.Status.PAUSED}
    )


def listing_close(*, listing: Listing, member: Member) -> Listing:
    return _set_status(
        listing=listing,
        member=member,
        to=Listing.Status.CLOSED,
        allowed_from={Listing.Status.OPEN, Listing.Status.PAUSED, Listing.Status.EXPIRED},
    )


def listing_close_by_moderator(*, listing: Listing, moderator: Member) -> Listing:
    """A moderator closes a listing that breaks the rules (an upheld report).

    Closed is final: the owner cannot reopen or renew it. Closing a closed
    listing changes nothing. The caller records the decision in the audit log
    (``moderation.services.listing_flag_uphold``)."""
    if not (moderator.is_active and moderator.has_perm("members.moderate")):
        raise DomainError(
            _("Only a moderator can close another member's listing."),
            code="forbidden",
            kind=ErrorKind.FORBIDDEN,
        )
    if listing.owner_id == moderator.pk:
        raise DomainError(
            _("This is your own listing: another moderator must decide about it."),
            code="own_listing",
            kind=ErrorKind.INVALID,
        )
    with transaction.atomic():
        listing = Listing.objects.select_for_update().get(pk=listing.pk)
        if listing.status == Listing.Status.CLOSED:
            return listing
        now = timezone.now()
        listing.status = Listing.Status.CLOSED
        listing.closed_at = now
        listing.updated_at = now
        listing.save(update_fields=["status", "closed_at", "updated_at"])
        listings_changed()
    return listing


def listing_pause_all_for_owner(*, owner: Member) -> int:
    """Pause every open listing of a member who was suspended. Returns how many."""
    paused = Listing.objects.filter(owner=owner, status=Listing.Status.OPEN).update(
        status=Listing.Status.PAUSED, updated_at=timezone.now()
    )
    listings_changed()
    return paused


def listing_renew_window() -> timedelta:
    """How long before its expiry a listing may be renewed: the last third of
    its life, and never less than the warning period (the warning asks the
    owner to renew). Earlier, renewing would barely move the date."""
    days = max(
        settings.EQUITIME_LISTING_EXPIRY_WARNING_DAYS, settings.EQUITIME_LISTING_EXPIRY_DAYS // 3
    )
    return timedelta(days=days)


def listing_renewable_from(*, listing: Listing) -> datetime:
    """When renewing starts to change something (an expired listing: already)."""
    return listing.expires_at - listing_renew_window()


def listing_may_renew(*, listing: Listing, now: datetime | None = None) -> bool:
    """Whether renewing would change something now: not closed, and expired or
    within the renewal window. What the page offers and the service allows."""
    if listing.status == Listing.Status.CLOSED:
        return False
    if listing.status == Listing.Status.EXPIRED:
        return True
    return (now or timezone.now()) >= listing_renewable_from(listing=listing)


def listing_renew(*, listing: Listing, member: Member) -> Listing:
    """Open the listing again for another expiry period, from now. Only in the
    last part of its life (``listing_renew_window``) or once it has expired."""
    _check_owner(listing, member)
    with transaction.atomic():
        listing = Listing.objects.select_for_update().get(pk=listing.pk)
        if listing.status == Listing.Status.CLOSED:
            raise DomainError(
                _("A closed listing cannot be renewed; post a new one."), kind=ErrorKind.CONFLICT
            )
        now = timezone.now()
        if not listing_may_renew(listing=listing, now=now):
            local = timezone.localtime
            raise DomainError(
                _(
                    "This listing is open until %(expires)s: renewing now would change "
                    "little. You can renew it from %(from)s."
                )
                % {
                    "expires": date_format(local(listing.expires_at), "j F Y"),
                    "from": date_format(local(listing_renewable_from(listing=listing)), "j F Y"),
                },
                code="not_yet_renewable",
                kind=ErrorKind.CONFLICT,
            )
        listing.status = Listing.Status.OPEN
        listing.expires_at = _expiry_from(now)
        listing.expiry_warned_at = None
        listing.updated_at = now
        listing.save(update_fields=["status", "expires_at", "expiry_warned_at", "updated_at"])
        listings_changed()
    return listing


def listings_expire(*, now=None) -> int:
    """Mark open or paused listings past their date as expired. For the scheduler."""
    now = now or timezone.now()
    expired = Listing.objects.filter(
        status__in=[Listing.Status.OPEN, Listing.Status.PAUSED], expires_at__lte=now
    ).update(status=Listing.Status.EXPIRED, updated_at=now)
    if expired:
        listings_changed()
    return expired

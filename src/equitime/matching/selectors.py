"""Reads: who could help with a request, what a member could help with, offers
that might answer a request, and the invitations already sent."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from equitime.exchanges.models import OPEN_STATUSES, Exchange, Status, Thanks
from equitime.listings.models import Listing
from equitime.matching import ranking
from equitime.matching.models import HelpInvitation
from equitime.members.models import Member, Profile
from equitime.skills.taxonomy import label as taxonomy_label

# Requests looked at for one member, newest first, before they are scored.
MAX_REQUESTS_LOOKED_AT = 200


def helpers_for_request(listing: Listing, *, limit: int = 10) -> list[ranking.Suggestion]:
    return ranking.rank_helpers(listing, limit=limit)


def invitations_for_request(listing: Listing) -> QuerySet[HelpInvitation]:
    return HelpInvitation.objects.filter(listing=listing).select_related("helper", "exchange")


def invitations_for_helper(member: Member) -> QuerySet[HelpInvitation]:
    return HelpInvitation.objects.filter(helper=member).select_related("listing__owner", "asked_by")


def _open_listings(kind: str, now: datetime) -> QuerySet[Listing]:
    return Listing.objects.filter(kind=kind, status=Listing.Status.OPEN, expires_at__gt=now)


def offers_for_request(listing: Listing, limit: int = 5) -> list[Listing]:
    """Open offers whose skills or improvement area match the request, the most
    shared skills first, then the same area, then the newest."""
    now = timezone.now()
    skill_ids = list(listing.skills.values_list("pk", flat=True))
    matches = Q(improvement_area_id=listing.improvement_area_id)
    if skill_ids:
        matches |= Q(skills__in=skill_ids)
    return list(
        _open_listings(Listing.Kind.OFFER, now)
        .exclude(owner_id=listing.owner_id)
        .filter(matches, owner__is_active=True)
        .annotate(
            shared=Count("skills", filter=Q(skills__in=skill_ids), distinct=True),
        )
        .select_related("owner", "improvement_area")
        .order_by("-shared", "-created_at", "-id")[:limit]
    )


@dataclass(frozen=True)
class RequestMatch:
    listing: Listing
    score: float
    reasons: list[str]


def requests_for_helper(*, member: Member, limit: int = 5) -> list[RequestMatch]:
    """Open requests ``member`` ranks well for (the ranking read the other way):
    requests in their skills, their own words, or the improvement areas they
    have helped in, best first. Leaves out their own requests and those they
    were already asked about or already answer. For the weekly digest."""
    now = timezone.now()
    profile = Profile.objects.filter(member=member).select_related("organisation").first()
    if profile is None or not member.is_active:
        return []
    my_skills = dict(profile.skills.values_list("pk", "name"))
    done = Exchange.objects.filter(provider=member, status=Status.COMPLETED)
    helped_areas = dict(
        done.values("improvement_area_id")
        .annotate(n=Count("receiver_id", distinct=True))
        .values_list("improvement_area_id", "n")
    )
    helped_skills = dict(
        done.filter(listing__skills__isnull=False)
        .values("listing__skills")
        .annotate(n=Count("receiver_id", distinct=True))
        .values_list("listing__skills", "n")
    )
    matches = Q(improvement_area_id__in=list(helped_areas))
    if my_skills:
        matches |= Q(skills__in=list(my_skills))
    own_words = [str(word).strip().lower() for word in profile.skills_offered or []]
    own_words = [word for word in own_words if len(word) >= ranking.MIN_TERM_LENGTH][:5]
    for word in own_words:
        matches |= Q(title__icontains=word)
    taken = set(
        HelpInvitation.objects.filter(helper=member).values_list("listing_id", flat=True)
    ) | set(
        Exchange.objects.filter(
            provider=member, status__in=OPEN_STATUSES, listing__isnull=False
        ).values_list("listing_id", flat=True)
    )
    candidates = list(
        _open_listings(Listing.Kind.REQUEST, now)
        .exclude(owner=member)
        .exclude(pk__in=taken)
        .filter(matches)
        .distinct()
        .select_related("owner__profile", "improvement_area")
        .prefetch_related("skills")
        .order_by("-created_at", "-id")[:MAX_REQUESTS_LOOKED_AT]
    )
    thanks = Thanks.objects.filter(recipient=member).count()
    last_seen = max(s for s in (member.last_login, member.date_joined) if s is not None)
    out = []
    for listing in candidates:
        skills = {skill.pk: skill.name for skill in listing.skills.all()}
        terms = ranking.request_terms(listing, list(skills.values()))
        owner_profile = getattr(listing.owner, "profile", None)
        e = ranking.Evidence(
            skills=[taxonomy_label(name) for pk, name in skills.items() if pk in my_skills],
            own_words=ranking.terms_in(ranking.own_words(profile.skills_offered), terms),
            bio_words=ranking.terms_in(profile.bio or "", terms),
            helped_in_skills=max((helped_skills.get(pk, 0) for pk in skills), default=0),
            helped_in_area=helped_areas.get(listing.improvement_area_id, 0),
            area_name=listing.improvement_area.label,
            thanks=thanks,
            format_fits=ranking.format_fits(listing.format, profile.preference),
            recently_active=last_seen >= now - ranking.RECENTLY_ACTIVE,
            other_organisation=bool(
                owner_profile
                and owner_profile.organisation_id
                and profile.organisation_id
                and owner_profile.organisation_id != profile.organisation_id
            ),
            other_profession=bool(
                owner_profile
                and owner_profile.profession
                and profile.profession
                and owner_profile.profession.strip().lower() != profile.profession.strip().lower()
            ),
        )
        value, reasons = ranking.score(e)
        if value > 0:
            out.append(RequestMatch(listing=listing, score=value, reasons=reasons))
    out.sort(key=lambda match: (-match.score, -match.listing.pk))
    return out[:limit]

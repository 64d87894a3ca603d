"""Reading listings: what members browse and search."""

import json

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from equitime.listings.models import Format, Listing
from equitime.listings.search import listing_search, query_words
from equitime.skills.models import Skill

SORT_ORDER = {
    "newest": ("-created_at", "-id"),
    "oldest": ("created_at", "id"),
    "shortest": ("estimated_minutes", "-created_at", "-id"),
}


def listing_open_queryset(*, now=None) -> QuerySet[Listing]:
    """Listings anyone may take up now: open, and not past their expiry."""
    return Listing.objects.filter(status=Listing.Status.OPEN, expires_at__gt=now or timezone.now())


def listing_with_card_details(queryset: QuerySet[Listing]) -> QuerySet[Listing]:
    """What a listing card shows, in a fixed number of queries."""
    return queryset.select_related(
        "owner__profile__organisation", "improvement_area"
    ).prefetch_related(Prefetch("skills", queryset=Skill.objects.order_by("name")))


def _language_q(language: str) -> Q:
    """A listing whose languages include ``language``, whatever its case.

    ``languages`` is a JSON list, matched as text on a quoted element. SQLite
    keeps Django's ASCII-escaped JSON ("Fran\\u00e7ais") and its LIKE ignores
    case only in ASCII, so the usual casings are each looked for escaped too;
    PostgreSQL's jsonb keeps the letters and compares them case-insensitively.
    """
    needles = set()
    for spelling in {language, language.lower(), language.upper(), language.capitalize()}:
        needles.add(json.dumps(spelling, ensure_ascii=False))
        needles.add(json.dumps(spelling))
    condition = Q()
    for needle in sorted(needles):
        condition |= Q(languages__icontains=needle)
    return condition


def listing_browse_list(
    *,
    q: str = "",
    kind: str = "",
    category: str = "",
    skill: str = "",
    area: str = "",
    organisation_kind: str = "",
    format: str = "",
    language: str = "",
    sort: str = "",
    now=None,
) -> QuerySet[Listing]:
    """Open offers and requests matching the filters.

    Skills, categories and areas are given by slug. ``format`` "remote" also
    finds listings that can be either; likewise "in_person". ``sort`` is
    "relevance" (the default when searching), "newest" (otherwise the
    default), "oldest" or "shortest".
    """
    listings = listing_open_queryset(now=now)
    if kind:
        listings = listings.filter(kind=kind)
    if category:
        listings = listings.filter(
            pk__in=Listing.skills.through.objects.filter(skill__category__slug=category).values(
                "listing_id"
            )
        )
    if skill:
        listings = listings.filter(
            pk__in=Listing.skills.through.objects.filter(skill__slug=skill).values("listing_id")
        )
    if area:
        listings = listings.filter(improvement_area__slug=area)
    if organisation_kind:
        listings = listings.filter(owner__profile__organisation__kind=organisation_kind)
    if format in (Format.REMOTE, Format.IN_PERSON):
        listings = listings.filter(format__in=[format, Format.EITHER])
    elif format:
        listings = listings.filter(format=format)
    if language.strip():
        listings = listings.filter(_language_q(language.strip()))

    if query_words(q):
        listings = listing_search(listings, q)
        if sort in SORT_ORDER:
            listings = listings.order_by(*SORT_ORDER[sort])
    else:
        listings = listings.order_by(*SORT_ORDER.get(sort, SORT_ORDER["newest"]))
    return listing_with_card_details(listings)


def listings_open_for_owner(*, member) -> QuerySet[Listing]:
    """The member's listings that are not closed: open, paused or expired."""
    return (
        Listing.objects.filter(owner=member)
        .exclude(status=Listing.Status.CLOSED)
        .select_related("improvement_area")
        .order_by("status", "-created_at")
    )


def listing_list_for_owner(*, member, status: str = "") -> QuerySet[Listing]:
    """Every listing the member posted, in any status (or only ``status``), newest first."""
    listings = Listing.objects.filter(owner=member)
    if status:
        listings = listings.filter(status=status)
    return listing_with_card_details(listings.order_by("-created_at", "-id"))

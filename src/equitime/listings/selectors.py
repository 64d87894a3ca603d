"""Reading listings: what members browse and search."""

import hashlib
import json

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from equitime.core.paging import COUNT_CAP, PAGE_SIZE, KeysetPage, keyset_page, list_page
from equitime.listings.freshness import listings_generation
from equitime.listings.models import Format, Listing
from equitime.listings.search import listing_search, listing_search_top, query_words
from equitime.members.models import Profile
from equitime.skills.models import Skill

# Each order ends with the primary key, so that keyset pages never skip or repeat a row.
SORT_KEYS = {
    "newest": (("created_at", True), ("id", True)),
    "oldest": (("created_at", False), ("id", False)),
    "shortest": (("estimated_minutes", False), ("created_at", True), ("id", True)),
}
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
        "owner__profile__organisation", "improvement_area", "recorded_by"
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


def _has_skill_in(skill_ids: QuerySet) -> Exists:
    """The listing names one of ``skill_ids`` (read once, then probed by key)."""
    return Exists(
        Listing.skills.through.objects.filter(
            listing_id=OuterRef("pk"), skill_id__in=list(skill_ids.values_list("pk", flat=True))
        )
    )


def _listing_filtered(
    *,
    kind: str = "",
    category: str = "",
    skill: str = "",
    area: str = "",
    organisation_kind: str = "",
    format: str = "",
    language: str = "",
    now=None,
) -> QuerySet[Listing]:
    listings = listing_open_queryset(now=now)
    if kind:
        listings = listings.filter(kind=kind)
    # Skill filters are EXISTS checks on each listing, by skill id, rather than
    # "id IN (every listing with the skill)": the page then walks the index of
    # open listings in its order and stops after twenty, each check one probe
    # of the (listing, skill) key, where the IN list made the planner fetch and
    # sort all 15,000 listings of a category (270 ms on SQLite).
    if category:
        listings = listings.filter(
            _has_skill_in(Skill.objects.filter(category__slug=category).values("pk"))
        )
    if skill:
        listings = listings.filter(_has_skill_in(Skill.objects.filter(slug=skill).values("pk")))
    if area:
        listings = listings.filter(improvement_area__slug=area)
    if organisation_kind:
        # Likewise a check per listing, so the planner keeps the listings' order.
        listings = listings.filter(
            Exists(
                Profile.objects.filter(
                    member_id=OuterRef("owner_id"), organisation__kind=organisation_kind
                )
            )
        )
    if format in (Format.REMOTE, Format.IN_PERSON):
        listings = listings.filter(format__in=[format, Format.EITHER])
    elif format:
        listings = listings.filter(format=format)
    if language.strip():
        listings = listings.filter(_language_q(language.strip()))
    return listings


def listing_browse_list(*, q: str = "", sort: str = "", **filters) -> QuerySet[Listing]:
    """Open offers and requests matching the filters, every one of them.

    Skills, categories and areas are given by slug. ``format`` "remote" also
    finds listings that can be either; likewise "in_person". ``sort`` is
    "relevance" (the default when searching), "newest" (otherwise the
    default), "oldest" or "shortest". Pages read ``listing_browse_page``, which
    gives the same listings in the same order a page at a time.
    """
    listings = _listing_filtered(**filters)
    if query_words(q):
        listings = listing_search(listings, q)
        if sort in SORT_ORDER:
            listings = listings.order_by(*SORT_ORDER[sort])
    else:
        listings = listings.order_by(*SORT_ORDER.get(sort, SORT_ORDER["newest"]))
    return listing_with_card_details(listings)


def listing_browse_page(
    *,
    cursor: str | None = None,
    number: int | None = None,
    size: int = PAGE_SIZE,
    clamp: bool = True,
    q: str = "",
    sort: str = "",
    **filters,
) -> KeysetPage:
    """One page of ``listing_browse_list``: after or before ``cursor``, or
    page ``number``, or the first. Raises ``InvalidCursor`` for a bad cursor.

    Without search words, or sorted other than by relevance, it is a keyset
    page over an index of open listings in that order. Ranked by relevance, it
    reads the best ``TOP_MATCHES`` matches from the full-text index alone, keeps
    those that pass the filters, and pages through them in rank order; the
    count is then a lower bound ("found at least") when the index had more.
    """
    if not query_words(q):
        order = SORT_KEYS.get(sort, SORT_KEYS["newest"])
        listings = listing_with_card_details(_listing_filtered(**filters))
        return keyset_page(
            listings,
            order=order,
            cursor=cursor,
            number=number,
            size=size,
            clamp=clamp,
            count_key=_count_key(filters),
        )
    if sort in SORT_KEYS:
        listings = listing_with_card_details(listing_search(_listing_filtered(**filters), q))
        return keyset_page(
            listings,
            order=SORT_KEYS[sort],
            cursor=cursor,
            number=number,
            size=size,
            clamp=clamp,
            count_key=_count_key({**filters, "q": " ".join(query_words(q))}),
        )
    page = _ranked_page(q=q, filters=filters, cursor=cursor, number=number, size=size, clamp=clamp)
    page.items = _in_order(page.items)
    return page


def _count_key(filters: dict) -> str:
    """Browse counts are kept under the filters and the listings' generation:
    with filters, counting even a thousand can mean probing ten thousand
    listings, so it is done once a minute at most, and after every change."""
    described = json.dumps(filters, sort_keys=True, default=str)
    digest = hashlib.sha256(described.encode()).hexdigest()[:32]
    return f"listings:{listings_generation()}:{digest}"


def _ranked_page(
    *, q: str, filters: dict, cursor: str | None, number: int | None, size: int, clamp: bool
) -> KeysetPage:
    best, more = listing_search_top(q)
    # Candidates with no filter but "open" are filtered in one query by key;
    # filters that keep only a few of the best matches would leave too few to
    # show when there were more matches than were ranked, so then every match
    # is filtered and ranked in the database instead (slower, and rare).
    passing = set(_listing_filtered(**filters).filter(pk__in=best).values_list("pk", flat=True))
    if more and filters and len(passing) < COUNT_CAP // 2:
        ranked = list(
            listing_search(_listing_filtered(**filters), q).values_list("pk", flat=True)[
                : COUNT_CAP + 1
            ]
        )
        more = len(ranked) > COUNT_CAP
        ranked = ranked[:COUNT_CAP]
    else:
        ranked = [pk for pk in best if pk in passing]
    return list_page(ranked, cursor=cursor, number=number, more=more, size=size, clamp=clamp)


def _in_order(ids: list[int]) -> list[Listing]:
    """The listings of ``ids``, with what a card shows, in that order."""
    found = listing_with_card_details(Listing.objects.filter(pk__in=ids)).in_bulk()
    return [found[pk] for pk in ids if pk in found]


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

"""Full-text search over listings, the same on SQLite and PostgreSQL.

    Listing 1 ── 1 listings_listingsearch          (one search row per listing)
                     title | skills | body | context   (most to least weight)

The search table is not a Django model: its shape depends on the database, so
the migration ``0002_search_index`` creates it by hand.

* SQLite: an FTS5 virtual table with the four columns; ``rowid`` is the
  listing id; ranked by bm25 with column weights 10, 5, 2, 1.
* PostgreSQL: ``listing_id`` and a stored ``document`` tsvector with the four
  columns as weights A, B, C, D, under a GIN index; ranked by ts_rank.

Both databases receive text that Python has already cut into words (letters
and digits, case-folded, accents removed), and both are queried with the same
words, each as a prefix, all required. So "Surv Café" finds "survival
analysis in the cafe" on either database, and no character a person types can
reach either query language as syntax.

The row for a listing is rebuilt by ``listing_search_index_update`` inside the
caller's transaction; the listing services call it after every change to what
is indexed. A listing's row also holds names it does not own: its skills,
their categories, its improvement area, and its owner's name, profession,
division and organisation. When one of those changes (or a skill is deleted
or moved), however it happens (the profile page, admin, a shell, a fixture),
the rows holding it are rebuilt in the same transaction
(``listing_search_follow``, connected in ``apps.ListingsConfig.ready``), so
the members app, below listings, need not know the index exists. ``listing_search_index_rebuild``
rebuilds every row; ``equitime rebuild_search_index`` runs it for operators.
"""

import hashlib
import re
import unicodedata
from collections.abc import Iterable

from django.core.cache import cache
from django.db import connections, router
from django.db.models import Model, Prefetch, QuerySet

from equitime.listings.freshness import listings_changed, listings_generation
from equitime.listings.models import Listing

TABLE = "listings_listingsearch"
COLUMNS = ("title", "skills", "body", "context")
MAX_WORDS = 10
MAX_WORD_LENGTH = 50

# Relative weight of each column, in the order of COLUMNS.
SQLITE_WEIGHTS = "10.0, 5.0, 2.0, 1.0"
# The stored document on PostgreSQL, built from the four columns in turn.
POSTGRES_DOCUMENT = (
    "setweight(to_tsvector('simple'::regconfig, %s), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, %s), 'B') || "
    "setweight(to_tsvector('simple'::regconfig, %s), 'C') || "
    "setweight(to_tsvector('simple'::regconfig, %s), 'D')"
)
# ts_rank normalisation 1: divide by 1 + log(document length), as bm25 also
# discounts long documents.
POSTGRES_RANK_NORMALISATION = 1

_WORD = re.compile(r"[^\W_]+")


def words(text: str) -> list[str]:
    """The words of ``text``: letters and digits only, case-folded, no accents.

    Everything else is a separator, so quotes, operators and SQL are dropped.
    """
    if not text.isascii():  # ASCII has no accents to remove: the common case, done fast
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _WORD.findall(text.casefold())


def query_words(text: str | None) -> list[str]:
    """The words a search looks for: at most 10, each at most 50 characters."""
    if not text:
        return []
    # A word is never longer than the text around it, so a huge paste costs
    # no more than its first few hundred characters.
    found = words(text[: MAX_WORDS * (MAX_WORD_LENGTH + 1) * 4])
    return [word[:MAX_WORD_LENGTH] for word in found[:MAX_WORDS]]


# --- Querying -------------------------------------------------------------------


def _match_expression(vendor: str, found: list[str]) -> str:
    # Words hold only letters and digits, so quoting them is enough: FTS5
    # keywords such as OR or NEAR become plain words.
    if vendor == "sqlite":
        return " ".join(f'"{word}"*' for word in found)
    if vendor == "postgresql":
        return " & ".join(f"{word}:*" for word in found)
    raise NotImplementedError(f"Listing search does not support {vendor}.")


def _search_sql(vendor: str, listing_id: str, match: str) -> tuple[str, tuple, list[str]]:
    """(rank expression, its parameters, [match condition, join condition])."""
    if vendor == "sqlite":
        return (
            f"-bm25({TABLE}, {SQLITE_WEIGHTS})",
            (),
            [
                f"{TABLE} MATCH %s",
                # The unary plus keeps SQLite from probing the full-text index once
                # per listing (which re-runs the whole search each time): the
                # search runs once and each hit looks up its listing by key.
                f"{listing_id} = +{TABLE}.rowid",
            ],
        )
    if vendor == "postgresql":
        return (
            f"ts_rank({TABLE}.document, to_tsquery('simple'::regconfig, %s), "
            f"{POSTGRES_RANK_NORMALISATION})",
            (match,),
            [
                f"{TABLE}.document @@ to_tsquery('simple'::regconfig, %s)",
                f"{listing_id} = {TABLE}.listing_id",
            ],
        )
    raise NotImplementedError(f"Listing search does not support {vendor}.")


def listing_search(queryset: QuerySet[Listing], text: str | None) -> QuerySet[Listing]:
    """Listings of ``queryset`` that match every word of ``text`` (as prefixes),
    best match first and, among equals, newest first; annotated ``search_rank``
    (higher is better).

    An empty ``text`` (or one with no letters or digits) filters nothing and
    leaves the order alone.
    """
    found = query_words(text)
    if not found:
        return queryset
    connection = connections[queryset.db]
    match = _match_expression(connection.vendor, found)
    listing_id = (
        f"{connection.ops.quote_name(Listing._meta.db_table)}.{connection.ops.quote_name('id')}"
    )
    rank, rank_params, where = _search_sql(connection.vendor, listing_id, match)
    # extra(), because the search table is not a model and Django has no other
    # way to join it. A correlated subquery for the rank would run the whole
    # search again for every listing (seconds for a few thousand); the join
    # runs it once, with the rank, filter, order and page in one query.
    return queryset.extra(  # noqa: S610
        select={"search_rank": rank},
        select_params=rank_params,
        tables=[TABLE],
        where=where,
        params=[match],
    ).order_by("-search_rank", "-created_at", "-id")


# --- The best matches, ranked inside the index --------------------------------------------

# How many of the best matches a search reads. A common word matches tens of
# thousands of listings; nobody reads past the first thousand, and ranking
# inside the full-text index alone, without joining every match to its
# listing, is what keeps such a search fast.
TOP_MATCHES = 1000
TOP_CACHE_SECONDS = 120


def _top_sql(vendor: str) -> str:
    if vendor == "sqlite":
        return (
            f"SELECT rowid, -bm25({TABLE}, {SQLITE_WEIGHTS}) AS score FROM {TABLE} "  # noqa: S608
            f"WHERE {TABLE} MATCH %s ORDER BY score DESC, rowid DESC LIMIT %s"
        )
    if vendor == "postgresql":
        return (
            f"SELECT listing_id, ts_rank(document, query, {POSTGRES_RANK_NORMALISATION}) AS score "  # noqa: S608
            f"FROM {TABLE}, to_tsquery('simple'::regconfig, %s) AS query "
            f"WHERE document @@ query ORDER BY score DESC, listing_id DESC LIMIT %s"
        )
    raise NotImplementedError(f"Listing search does not support {vendor}.")


def listing_search_top(text: str | None, *, using: str = "default") -> tuple[list[int], bool]:
    """The ids of the listings (in any status) that best match ``text``, best
    first (newest first among equals), at most ``TOP_MATCHES``; and whether
    there were more matches than that.

    Ranked inside the full-text index and kept in the cache for a short while
    under the listings' generation (``freshness``), which every change moves
    on, so a changed listing is found at once.
    """
    found = query_words(text)
    if not found:
        return [], False
    connection = connections[using]
    words_digest = hashlib.sha256(" ".join(found).encode()).hexdigest()[:32]
    key = f"listing-search-top:{connection.vendor}:{listings_generation()}:{words_digest}"
    cached = cache.get(key)
    if cached is None:
        with connection.cursor() as cursor:
            cursor.execute(
                _top_sql(connection.vendor),
                [_match_expression(connection.vendor, found), TOP_MATCHES + 1],
            )
            ids = [row[0] for row in cursor.fetchall()]
        cached = (ids[:TOP_MATCHES], len(ids) > TOP_MATCHES)
        cache.set(key, cached, TOP_CACHE_SECONDS)
    return cached


# --- Keeping the index up to date -------------------------------------------------


def _joined(values: Iterable[str | None]) -> str:
    return " ".join(words(" ".join(value for value in values if value)))


def _document(listing) -> tuple[str, str, str, str]:
    """The four columns for one listing, already cut into words.

    Works with the historical models a migration passes in, too.
    """
    skills = list(listing.skills.all())
    owner = listing.owner
    profile = getattr(owner, "profile", None)  # a login made without member_join has none
    organisation = profile.organisation if profile is not None else None
    return (
        _joined([listing.title]),
        _joined([*(skill.name for skill in skills), listing.improvement_area.name]),
        _joined([listing.benefit, listing.description]),
        _joined(
            [
                owner.display_name,
                profile.profession if profile else "",
                profile.division if profile else "",
                organisation.name if organisation else "",
                listing.place,
                *(language for language in listing.languages or [] if isinstance(language, str)),
                *{skill.category.name for skill in skills},
            ]
        ),
    )


def _with_document_relations(queryset: QuerySet) -> QuerySet:
    skill_model = queryset.model._meta.get_field("skills").related_model
    return queryset.select_related(
        "improvement_area", "owner__profile__organisation"
    ).prefetch_related(Prefetch("skills", queryset=skill_model.objects.select_related("category")))


def _write(connection, rows: list[tuple[int, tuple[str, str, str, str]]]) -> None:
    if not rows:
        return
    if connection.vendor not in ("sqlite", "postgresql"):
        raise NotImplementedError(f"Listing search does not support {connection.vendor}.")
    if connection.vendor == "sqlite":
        key = "rowid"
        names = ", ".join(COLUMNS)
        insert = f"INSERT INTO {TABLE} (rowid, {names}) VALUES (%s, %s, %s, %s, %s)"  # noqa: S608
    else:
        key = "listing_id"
        insert = f"INSERT INTO {TABLE} (listing_id, document) VALUES (%s, {POSTGRES_DOCUMENT})"  # noqa: S608
    ids = [pk for pk, _columns in rows]
    placeholders = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE {key} IN ({placeholders})", ids)  # noqa: S608
        cursor.executemany(insert, [(pk, *columns) for pk, columns in rows])
    listings_changed(using=connection.alias)


def listing_search_index_update(*, listing: Listing) -> None:
    """Rebuild the search row of one listing, in the caller's transaction.

    Call it after the listing and its skills are saved.
    """
    using = router.db_for_write(Listing, instance=listing)
    fresh = _with_document_relations(Listing.objects.using(using)).get(pk=listing.pk)
    _write(connections[using], [(fresh.pk, _document(fresh))])


def listing_search_index_update_for_owner(*, member) -> int:
    """Rebuild the rows of every listing a member owns (after their name,
    profession or organisation changed). Returns how many were indexed."""
    return listing_search_index_rebuild(queryset=Listing.objects.filter(owner=member))


def listing_search_index_rebuild(*, queryset: QuerySet | None = None, batch_size: int = 500) -> int:
    """Rebuild the search rows of ``queryset``, or of every listing.

    Rebuilding everything empties the table first, which also drops the rows
    of deleted listings. Returns how many listings were indexed.
    """
    if queryset is None:
        queryset = Listing.objects.all()
        with connections[queryset.db].cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE}")  # noqa: S608
        listings_changed(using=queryset.db)
    connection = connections[queryset.db]
    queryset = _with_document_relations(queryset.order_by("pk"))
    count = 0
    last_pk = 0
    while True:
        batch = list(queryset.filter(pk__gt=last_pk)[:batch_size])
        if not batch:
            return count
        _write(connection, [(listing.pk, _document(listing)) for listing in batch])
        count += len(batch)
        last_pk = batch[-1].pk


def listing_search_index_count(*, using: str = "default") -> int:
    """How many rows the search table holds."""
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {TABLE}")  # noqa: S608
        return cursor.fetchone()[0]


# --- Following the names a listing's row holds -------------------------------------
#
# Which fields of which model reach the search rows, and the listings whose rows
# hold them. Only a change to those fields re-indexes: reordering improvement
# areas in admin (a save of each) must not rebuild a tenth of the index.


def _followed():
    from equitime.members.models import Member, Organisation, Profile
    from equitime.skills.models import ImprovementArea, Skill, SkillCategory

    return {
        Skill: (("name", "category_id"), lambda skill: Listing.objects.filter(skills=skill)),
        SkillCategory: (
            ("name",),
            lambda category: Listing.objects.filter(skills__category=category),
        ),
        ImprovementArea: (
            ("name",),
            lambda area: Listing.objects.filter(improvement_area=area),
        ),
        Organisation: (
            ("name",),
            lambda organisation: Listing.objects.filter(owner__profile__organisation=organisation),
        ),
        Member: (("display_name",), lambda member: Listing.objects.filter(owner=member)),
        Profile: (
            ("profession", "division", "organisation_id"),
            lambda profile: Listing.objects.filter(owner_id=profile.member_id),
        ),
    }


def followed_models() -> list[type[Model]]:
    return list(_followed())


def _listing_ids(instance: Model) -> list[int]:
    _fields, listings = _followed()[type(instance)]
    return list(listings(instance).order_by().values_list("pk", flat=True).distinct())


def listing_search_index_update_for_ids(ids: list[int], *, batch_size: int = 500) -> int:
    """Rebuild the rows of these listings, a batch at a time. Returns how many."""
    count = 0
    for start in range(0, len(ids), batch_size):
        count += listing_search_index_rebuild(
            queryset=Listing.objects.filter(pk__in=ids[start : start + batch_size])
        )
    return count


def listing_search_index_update_naming(*, instance: Model) -> int:
    """Rebuild the rows of every listing whose row holds ``instance``'s name
    (a skill, skill category, improvement area, organisation, or the owner's
    name and profile), and let cached searches and the cached taxonomy go.
    Returns how many were indexed."""
    from equitime.skills.selectors import taxonomy_forget

    count = listing_search_index_update_for_ids(_listing_ids(instance))
    listings_changed()
    taxonomy_forget()
    return count


_REINDEX = "_equitime_search_reindex"


def listing_search_follow_before_save(
    sender, instance, raw=False, update_fields=None, **kwargs
) -> None:
    """pre_save: note whether a field the rows hold is about to change."""
    if raw or instance.pk is None:
        return
    fields, _listings = _followed()[sender]
    if update_fields is not None:
        saving = {sender._meta.get_field(name).attname for name in update_fields}
        if saving.isdisjoint(fields):
            return  # a save of other fields (a member's last_login at every sign-in)
    before = sender.objects.filter(pk=instance.pk).values_list(*fields).first()
    if before is not None and before != tuple(getattr(instance, name) for name in fields):
        setattr(instance, _REINDEX, True)


def listing_search_follow_after_save(sender, instance, raw=False, **kwargs) -> None:
    """post_save: rebuild the rows that hold the changed name, in the same transaction."""
    if instance.__dict__.pop(_REINDEX, False):
        listing_search_index_update_naming(instance=instance)


def listing_search_follow_before_delete(sender, instance, **kwargs) -> None:
    """pre_delete: the listings that name it, found while the links still exist."""
    setattr(instance, _REINDEX, _listing_ids(instance))


def listing_search_follow_after_delete(sender, instance, **kwargs) -> None:
    """post_delete: rebuild their rows without the deleted name."""
    ids = instance.__dict__.pop(_REINDEX, None)
    if ids:
        listing_search_index_update_for_ids(ids)

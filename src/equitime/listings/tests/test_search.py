"""Full-text search over listings: the same answers on SQLite and PostgreSQL."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from equitime.listings.models import Listing
from equitime.listings.search import (
    listing_search,
    listing_search_index_rebuild,
    listing_search_index_update,
    listing_search_index_update_for_owner,
    query_words,
)
from equitime.listings.selectors import listing_browse_list
from equitime.listings.services import listing_update
from equitime.members.services import profile_update
from equitime.members.tests.factories import OrganisationFactory
from equitime.skills.models import ImprovementArea, Skill

pytestmark = pytest.mark.django_db

HOSTILE = [
    "'\"; DROP TABLE listings_listing; --",
    "*",
    "NEAR(",
    "NEAR(survival analysis, 2)",
    "a:b",
    '"unbalanced',
    "OR",
    "survival OR",
    "AND NOT",
    "-x",
    "title:survival",
    "surv* ^anal",
    "!!! && || <-> :* ''",
    "(",
    ")",
    "{title}: x",
    "\\",
    "%_%",
    "\x00",
    "日本語のテキスト",
    "Ünïcödé façade naïve",
    "🙂 emoji",
    "survival " * 2000,
    "x" * 10_000,
]


def search(text):
    return list(listing_search(Listing.objects.all(), text))


def titles(text):
    return [listing.title for listing in search(text)]


# --- Words --------------------------------------------------------------------


def test_query_words_are_letters_and_digits_case_folded_without_accents():
    assert query_words("  Survival-analysis, R!  CAFÉ  'x' 2024 ") == [
        "survival",
        "analysis",
        "r",
        "cafe",
        "x",
        "2024",
    ]


def test_query_words_are_capped_in_number_and_length():
    found = query_words(" ".join(["word"] * 30) + " " + "y" * 300)

    assert found == ["word"] * 10
    assert query_words("z" * 300) == ["z" * 50]


def test_a_query_with_no_words_changes_nothing(make_listing, member):
    make_listing(member)
    everything = Listing.objects.all()

    for text in ("", None, "   ", "*", "\"'():"):
        assert listing_search(everything, text) is everything


# --- Matching ---------------------------------------------------------------------


def test_each_word_matches_as_a_prefix(make_listing, member):
    make_listing(member, title="Survival analysis in R")

    assert titles("surv") == ["Survival analysis in R"]
    assert titles("SURVIV anal") == ["Survival analysis in R"]
    assert titles("urvival") == []  # a prefix, not any substring


def test_every_word_must_match(make_listing, member):
    make_listing(member, title="Survival analysis in R", skills=["survival-analysis"])
    make_listing(
        member,
        title="Run charts for ward teams",
        description="Build a run chart from your ward data.",
        skills=["run-charts"],
    )

    assert titles("survival") == ["Survival analysis in R"]
    assert titles("run chart") == ["Run charts for ward teams"]
    assert titles("survival chart") == []


def test_skills_area_owner_and_organisation_are_searched(make_listing, make_member):
    trust = OrganisationFactory(name="Leeds Teaching Hospitals")
    owner = make_member(
        display_name="Grace Hopper", organisation=trust, profession="Physiotherapist"
    )
    make_listing(
        owner,
        title="An hour of help",
        description="Ask me anything.",
        skills=["process-mapping"],
        improvement_area=ImprovementArea.objects.get(slug="staff-wellbeing"),
    )

    for text in ("process mapping", "wellbeing", "physio", "leeds teaching", "hopper"):
        assert titles(text) == ["An hour of help"], text


def test_case_and_accents_do_not_matter(make_listing, member):
    make_listing(member, title="Café conversations", description="Une équipe naïve.")

    assert titles("cafe") == ["Café conversations"]
    assert titles("CAFÉ EQUIPE") == ["Café conversations"]
    assert titles("naive") == ["Café conversations"]


def test_operators_are_plain_words(make_listing, member):
    make_listing(member, title="Near misses or never events", description="Patient safety.")
    make_listing(member, title="Something else", description="Nothing to see.")

    assert titles("near") == ["Near misses or never events"]
    assert titles("NEAR OR") == ["Near misses or never events"]
    assert titles("-never") == ["Near misses or never events"]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_is_harmless(make_listing, member, text):
    make_listing(member)

    result = search(text)  # no error on either database

    assert all(isinstance(listing, Listing) for listing in result)
    assert Listing.objects.count() == 1


# --- Ranking --------------------------------------------------------------------------


def test_title_and_description_rank_above_description_alone(make_listing, member):
    once = make_listing(
        member,
        title="Help with a poster",
        description="We could add a funnel plot to it.",
        skills=["teaching"],
    )
    both = make_listing(
        member,
        title="Funnel plots explained",
        description="Why a funnel plot beats a league table.",
        skills=["teaching"],
    )
    # The weaker match is the newer one, so newest-first cannot explain the order.
    Listing.objects.filter(pk=once.pk).update(created_at=timezone.now() + timedelta(hours=1))

    assert [listing.pk for listing in search("funnel")] == [both.pk, once.pk]
    ranks = [listing.search_rank for listing in search("funnel")]
    assert ranks[0] > ranks[1]


def test_equal_matches_are_newest_first(make_listing, member):
    older = make_listing(member, title="Run charts")
    newer = make_listing(member, title="Run charts")
    Listing.objects.filter(pk=older.pk).update(created_at=timezone.now() - timedelta(days=2))

    assert [listing.pk for listing in search("run charts")] == [newer.pk, older.pk]


def test_search_keeps_the_callers_filters(make_listing, member, other_member):
    mine = make_listing(member, title="Survival analysis")
    make_listing(other_member, title="Survival analysis")

    found = listing_search(Listing.objects.filter(owner=member), "survival")

    assert [listing.pk for listing in found] == [mine.pk]


# --- Keeping the index up to date ------------------------------------------------------


def test_updating_a_listing_and_reindexing_replaces_its_row(make_listing, member):
    listing = make_listing(member, title="Survival analysis")

    listing = listing_update(
        listing=listing,
        member=member,
        title="Process mapping",
        skills=list(Skill.objects.filter(slug="process-mapping")),
    )
    listing_search_index_update(listing=listing)

    assert titles("survival") == []
    assert titles("process") == ["Process mapping"]
    assert titles("mapping") == ["Process mapping"]  # one row per listing, not two


def test_owner_changes_reach_their_listings(make_listing, member):
    make_listing(member, title="An hour of help")

    profile_update(member=member, display_name="Dr Amina Okafor", profession="Radiographer")
    assert listing_search_index_update_for_owner(member=member) == 1

    assert titles("radiographer") == ["An hour of help"]


def test_rebuild_indexes_every_listing(make_listing, member, other_member):
    make_listing(member, title="Survival analysis")
    make_listing(other_member, title="Survival curves")
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM listings_listingsearch")
    assert titles("survival") == []

    assert listing_search_index_rebuild() == 2

    assert sorted(titles("survival")) == ["Survival analysis", "Survival curves"]


def test_rebuild_runs_in_batches(make_listing, member):
    for n in range(5):
        make_listing(member, title=f"Listing {n} survival")

    assert listing_search_index_rebuild(batch_size=2) == 5

    assert len(titles("survival")) == 5


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL index plan")
def test_postgresql_can_use_the_gin_index(make_listing, member):
    """The search condition must be one the index serves, or every search reads the table."""
    make_listing(member)
    sql, params = listing_search(Listing.objects.all(), "surv").query.sql_with_params()

    with connection.cursor() as cursor:
        # Leave the planner no other way to find matches than a matching index.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "Bitmap Index Scan on listings_listingsearch_document" in plan


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite query plan")
def test_sqlite_runs_the_full_text_search_once(make_listing, member):
    """The search table drives the join: probing it once per listing would run
    the whole search again for each one.

    Planned as for a large table: without the statistics that earlier tests in
    this process may have left (``ANALYZE`` of a few rows makes scanning the
    listings look cheap). The test's transaction puts them back."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_schema WHERE name = 'sqlite_stat1'")
        if cursor.fetchone():
            cursor.execute("DELETE FROM sqlite_stat1")
            cursor.execute("ANALYZE sqlite_schema")  # the planner rereads them
    make_listing(member)
    queryset = listing_browse_list(q="surv", category="data-and-statistics", language="x")
    with CaptureQueriesContext(connection) as captured:
        queryset.count()
        list(queryset[:20])

    for query in captured.captured_queries[:2]:
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN QUERY PLAN {query['sql']}")
            plan = [row[-1] for row in cursor.fetchall()]
        steps = " / ".join(plan)
        assert "SCAN listings_listingsearch VIRTUAL TABLE" in steps, steps
        assert "SEARCH listings_listing USING INTEGER PRIMARY KEY (rowid=?)" in steps, steps
        assert steps.index("VIRTUAL TABLE") < steps.index("SEARCH listings_listing "), steps

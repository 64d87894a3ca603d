"""The full-text search table for listings (see equitime/listings/search.py).

Not a Django model, because its shape depends on the database:

* SQLite: an FTS5 virtual table whose rowid is the listing id.
* PostgreSQL: a plain table keyed by listing id holding the weighted
  tsvector document, under a GIN index.

No foreign key on PostgreSQL on purpose: Django's test flush truncates the
listings table and would refuse while another table points at it. Queries
always join through listings_listing, so a row left by a deleted listing
never shows up; a full rebuild drops such rows.
"""

from django.db import migrations

SQLITE_CREATE = """
CREATE VIRTUAL TABLE listings_listingsearch USING fts5(
    title, skills, body, context,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3'
)
"""

POSTGRES_CREATE = [
    """
    CREATE TABLE listings_listingsearch (
        listing_id bigint PRIMARY KEY,
        document tsvector NOT NULL
    )
    """,
    "CREATE INDEX listings_listingsearch_document ON listings_listingsearch USING gin (document)",
]


def create_search_table(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_CREATE)
    elif vendor == "postgresql":
        for statement in POSTGRES_CREATE:
            schema_editor.execute(statement)
    else:
        raise NotImplementedError(f"Listing search does not support {vendor}.")

    Listing = apps.get_model("listings", "Listing")
    listings = Listing.objects.using(schema_editor.connection.alias)
    if listings.exists():
        # Only imported when there is something to index, so a fresh database
        # never depends on today's version of the search module.
        from equitime.listings.search import listing_search_index_rebuild

        listing_search_index_rebuild(queryset=listings)


def drop_search_table(apps, schema_editor):
    schema_editor.execute("DROP TABLE IF EXISTS listings_listingsearch")


class Migration(migrations.Migration):
    dependencies = [
        ("listings", "0001_initial"),
        ("members", "0001_initial"),
        ("skills", "0002_seed_taxonomy"),
    ]

    operations = [
        migrations.RunPython(create_search_table, drop_search_table, elidable=False),
    ]

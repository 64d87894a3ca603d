from django.core.management.base import BaseCommand
from django.db import transaction

from equitime.listings.search import listing_search_index_count, listing_search_index_rebuild


class Command(BaseCommand):
    help = (
        "Rebuild the listings' full-text search index from the listings themselves: every "
        "row written again, rows of deleted listings dropped. Safe while the site runs; "
        "searches see the old index until it commits."
    )

    def handle(self, *args, **options):
        before = listing_search_index_count()
        with transaction.atomic():
            indexed = listing_search_index_rebuild()
        after = listing_search_index_count()
        self.stdout.write(
            f"Search index rebuilt: {indexed:,} listings indexed "
            f"({before:,} rows before, {after:,} now)."
        )

"""Keeping the database's query planner informed.

SQLite plans from the statistics that ``ANALYZE`` writes, and without them it
guesses: at 100,000 listings the browse page scanned and sorted every row
(338 ms) where, with an index and statistics, it read twenty (3 ms). So the
statistics are written after every ``migrate`` and refreshed by the worker's
schedule (``jobs.schedule``). PostgreSQL's autovacuum keeps its own.
"""

from django.db import connections


def sqlite_statistics_refresh(*, using: str = "default") -> str:
    """``ANALYZE`` once if the database was never analysed, then ``PRAGMA
    optimize``, which re-analyses only the tables that changed enough.
    Nothing on other databases. Returns what it did."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return "not SQLite: nothing to do"
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
        analysed = cursor.fetchone() is not None
        if not analysed:
            cursor.execute("ANALYZE")
        cursor.execute("PRAGMA optimize")
    return "optimized" if analysed else "analysed for the first time, optimized"


def statistics_after_migrate(*, using: str = "default", **kwargs) -> None:
    """post_migrate: new indexes and tables get their statistics at once."""
    sqlite_statistics_refresh(using=using)

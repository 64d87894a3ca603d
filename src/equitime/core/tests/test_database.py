"""The planner's statistics are written after migrate and kept up to date."""

import pytest
from django.core.management import call_command
from django.db import connection

from equitime.core.database import sqlite_statistics_refresh

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite keeps statistics by ANALYZE")
def test_statistics_exist_after_migrate_and_refresh_quietly():
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS sqlite_stat1")

    call_command("migrate", verbosity=0)

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
        assert cursor.fetchone() is not None
    assert sqlite_statistics_refresh() == "optimized"


@pytest.mark.skipif(connection.vendor == "sqlite", reason="other databases keep their own")
def test_other_databases_are_left_alone():
    assert sqlite_statistics_refresh() == "not SQLite: nothing to do"

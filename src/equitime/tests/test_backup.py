"""``equitime backup`` makes a copy that restores: on SQLite with the online
backup API, even while members write; on PostgreSQL with pg_dump, restored by
pg_restore into a new database. A restored copy passes ``verify_ledger``."""

import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import threading

import psycopg
import pytest
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connection, connections

from equitime.core.management.commands.backup import pg_environment
from equitime.ledger.models import Account, Transfer
from equitime.members.models import Member

# Committed rows, read by another connection (the backup's): no test transaction.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TABLES: dict[str, type[Member | Account | Transfer]] = {
    "members": Member,
    "accounts": Account,
    "transfers": Transfer,
}


def counts_here() -> dict[str, int]:
    return {name: model.objects.count() for name, model in TABLES.items()}


def count_rows(cursor) -> dict[str, int]:
    counts = {}
    for name, model in TABLES.items():
        cursor.execute(f'SELECT COUNT(*) FROM "{model._meta.db_table}"')
        counts[name] = cursor.fetchone()[0]
    return counts


def verify_ledger_on(database_url: str, tmp_path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "REDIS_URL"))}
    return subprocess.run(
        [sys.executable, "-m", "equitime.cli", "verify_ledger"],
        env=env | {"DATABASE_URL": database_url, "EQUITIME_DATA_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def backup(output) -> str:
    from io import StringIO

    out = StringIO()
    call_command("backup", output=str(output), stdout=out)
    return out.getvalue().strip()


@pytest.fixture
def community(make_member):
    return [make_member() for _ in range(5)]


def test_sqlite_backup_restores_and_verifies(community, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite backup runs in the SQLite test run")
    written = backup(tmp_path / "copy.sqlite3")

    assert written == str(tmp_path / "copy.sqlite3")
    assert stat.S_IMODE(os.stat(written).st_mode) == 0o600
    assert not (tmp_path / "copy.sqlite3.partial").exists()
    copy = sqlite3.connect(written)
    try:
        assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert count_rows(copy.cursor()) == counts_here()
    finally:
        copy.close()
    result = verify_ledger_on(f"sqlite:///{written}", tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "The ledger is consistent." in result.stdout


def test_sqlite_backup_while_members_join(make_member, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite backup runs in the SQLite test run")
    make_member()
    stop = threading.Event()
    joined = []

    def keep_joining():
        try:
            while not stop.is_set():
                joined.append(make_member())
        finally:
            connections.close_all()

    writer = threading.Thread(target=keep_joining)
    writer.start()
    try:
        written = backup(tmp_path)
    finally:
        stop.set()
        writer.join()

    assert joined, "the writer never wrote while the backup ran"
    assert os.path.basename(written).startswith("equitime-")
    result = verify_ledger_on(f"sqlite:///{written}", tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_postgresql_dump_restores_into_a_new_database_and_verifies(community, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("the pg_dump backup runs in the PostgreSQL test run")
    for tool in ("pg_dump", "pg_restore"):
        assert shutil.which(tool), f"{tool} is missing: apt-get install postgresql-client"
    settings_dict = connections[DEFAULT_DB_ALIAS].settings_dict
    written = backup(tmp_path / "equitime.dump")
    restored = f"{settings_dict['NAME']}_restore"
    env = os.environ | pg_environment(settings_dict)
    admin = psycopg.connect(
        host=settings_dict["HOST"] or None,
        port=settings_dict["PORT"] or None,
        user=settings_dict["USER"] or None,
        password=settings_dict["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )
    try:
        admin.execute(f'DROP DATABASE IF EXISTS "{restored}"')
        admin.execute(f'CREATE DATABASE "{restored}"')
        pg_restore = shutil.which("pg_restore")
        assert pg_restore is not None
        result = subprocess.run(  # noqa: S603 - fixed arguments
            [
                pg_restore,
                "--no-owner",
                "--exit-on-error",
                f"--dbname={restored}",
                written,
            ],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        with psycopg.connect(
            host=settings_dict["HOST"] or None,
            port=settings_dict["PORT"] or None,
            user=settings_dict["USER"] or None,
            password=settings_dict["PASSWORD"] or None,
            dbname=restored,
        ) as copy:
            assert count_rows(copy.cursor()) == counts_here()
        user = settings_dict["USER"] or ""
        host = settings_dict["HOST"] or "127.0.0.1"
        port = settings_dict["PORT"] or 5432
        verified = verify_ledger_on(f"postgres://{user}@{host}:{port}/{restored}", tmp_path)
        assert verified.returncode == 0, verified.stdout + verified.stderr
        assert "The ledger is consistent." in verified.stdout
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{restored}" WITH (FORCE)')
        admin.close()

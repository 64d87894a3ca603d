"""Back up the database to one file, safely while the site is running.

SQLite: SQLite's online backup API (``sqlite3.Connection.backup``) copies the
database page by page inside one read transaction. In WAL mode that does not
block the site's writes, and the copy is the database as it was at one moment.
The copy is switched out of WAL mode, so it is a single self-contained file, and
checked with ``PRAGMA quick_check``.

PostgreSQL: ``pg_dump --format=custom`` with the connection from the settings
(the password passed in the environment, never on the command line, where
``ps`` would show it). Restore with ``pg_restore`` (docs/deployment.md).

The file is written beside its final name and renamed when complete, so a
backup cut short never looks like a good one. Prints the path written.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone


class Command(BaseCommand):
    help = (
        "Back up the database while the site runs: SQLite with its online backup API, "
        "PostgreSQL with pg_dump (custom format). Prints the file written."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            help="File to write, or a folder to put a timestamped file in. "
            "Default: a timestamped file in <data folder>/backups/.",
        )
        parser.add_argument(
            "--database", default=DEFAULT_DB_ALIAS, help="Database alias (default: default)."
        )

    def handle(self, *args, output, database, **options):
        connection = connections[database]
        vendor = connection.vendor
        if vendor not in ("sqlite", "postgresql"):
            raise CommandError(f"Backups of {vendor} databases are not supported.")
        target = _target(output, suffix=".sqlite3" if vendor == "sqlite" else ".dump")
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".partial")
        # Members' data: readable by the operator's account only, from the first byte.
        partial.unlink(missing_ok=True)
        partial.touch(mode=0o600)
        try:
            if vendor == "sqlite":
                _sqlite_backup(connection.settings_dict["NAME"], partial)
            else:
                _pg_dump(connection.settings_dict, partial)
            partial.replace(target)
        finally:
            partial.unlink(missing_ok=True)
        self.stdout.write(str(target))


def _target(output: str | None, *, suffix: str) -> Path:
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    name = f"equitime-{stamp}{suffix}"
    if not output:
        return settings.DATA_DIR / "backups" / name
    path = Path(output).expanduser()
    if path.is_dir() or output.endswith(os.sep):
        return path / name
    return path


def _sqlite_backup(source_path, target: Path) -> None:
    source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True, timeout=30)
    try:
        copy = sqlite3.connect(target)
        try:
            # pages=-1: the whole database in one step, one consistent snapshot.
            # (Step by step, every write by the site would restart the copy.)
            source.backup(copy, pages=-1)
            copy.execute("PRAGMA journal_mode=DELETE")
            verdict = copy.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            copy.close()
    finally:
        source.close()
    if verdict != "ok":
        raise CommandError(f"The copy failed SQLite's quick_check: {verdict}")


def _pg_dump(settings_dict: dict, target: Path) -> None:
    executable = shutil.which("pg_dump")
    if executable is None:
        raise CommandError(
            "pg_dump is not installed; install PostgreSQL's client tools "
            "(Debian: apt-get install postgresql-client) of the server's major version or newer."
        )
    env = os.environ | pg_environment(settings_dict)
    result = subprocess.run(  # noqa: S603 - our own arguments, no shell
        [executable, "--format=custom", "--no-password", f"--file={target}"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise CommandError(f"pg_dump failed: {result.stderr.strip()}")


def pg_environment(settings_dict: dict) -> dict[str, str]:
    """libpq's variables for a Django connection's settings."""
    options = settings_dict.get("OPTIONS") or {}
    env = {
        "PGDATABASE": settings_dict.get("NAME") or "",
        "PGHOST": settings_dict.get("HOST") or "",
        "PGPORT": str(settings_dict.get("PORT") or ""),
        "PGUSER": settings_dict.get("USER") or "",
        "PGPASSWORD": settings_dict.get("PASSWORD") or "",
        "PGSSLMODE": options.get("sslmode", ""),
    }
    return {name: value for name, value in env.items() if value}

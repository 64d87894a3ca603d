"""Which rule the database refused: an ``IntegrityError`` read by constraint.

The ledger's services check every rule before they write, so the database
refuses a row only when a concurrent writer won a race (or a bug slipped
past): the services then need to know *which* constraint fired, to answer as
the check would have. That is read from the error, never guessed from its
wording:

* PostgreSQL (psycopg) names the constraint in ``diag.constraint_name``; a
  unique constraint that Django named itself is looked up in the table's
  constraints for its columns.
* SQLite names a CHECK constraint (``CHECK constraint failed: <name>``) and
  the columns of a unique one (``UNIQUE constraint failed: <table>.<col>``).

Each is reduced to a ``Violation``: the CHECK constraint's name (as in the
models' ``Meta.constraints``) or the columns a unique constraint covers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import IntegrityError, connections

_UNIQUE_VIOLATION = "23505"  # PostgreSQL's SQLSTATE for a unique constraint
_SQLITE_CHECK = re.compile(r"^CHECK constraint failed: (?P<name>\w+)$")
_SQLITE_UNIQUE = re.compile(r"^UNIQUE constraint failed: (?P<columns>[\w.]+(?:, [\w.]+)*)$")


@dataclass(frozen=True)
class Violation:
    """The constraint a refused row broke: ``name`` for a CHECK (or another
    named constraint), ``columns`` for a unique one (column names, no table)."""

    name: str = ""
    columns: tuple[str, ...] = ()


def violation(error: IntegrityError, *, using: str = "default") -> Violation | None:
    """The constraint ``error`` reports, or None when it reports none (a
    trigger's refusal, a foreign key, a NOT NULL)."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        return _postgresql(error, using)
    if connection.vendor == "sqlite":
        return _sqlite(error)
    return None


def _postgresql(error: IntegrityError, using: str) -> Violation | None:
    cause = error.__cause__
    diag = getattr(cause, "diag", None)
    name = getattr(diag, "constraint_name", None)
    if not name:
        return None
    table = getattr(diag, "table_name", None)
    if getattr(cause, "sqlstate", None) == _UNIQUE_VIOLATION and table:
        return Violation(columns=_columns(using, table, name))
    return Violation(name=name)


def _columns(using: str, table: str, name: str) -> tuple[str, ...]:
    """The columns of unique constraint ``name`` on ``table``: Django names
    them itself, so they are known by what they cover (a rare path: only
    after a refusal)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    found = constraints.get(name)
    return tuple(found["columns"]) if found else ()


def _sqlite(error: IntegrityError) -> Violation | None:
    message = str(error.__cause__ or error)
    if match := _SQLITE_CHECK.match(message):
        return Violation(name=match["name"])
    if match := _SQLITE_UNIQUE.match(message):
        columns = tuple(c.rpartition(".")[2] for c in match["columns"].split(", "))
        return Violation(columns=columns)
    return None

"""The one way past the ledger's triggers: resetting the whole database.

Migration ``0004_immutable_ledger`` installs triggers that refuse to UPDATE or
DELETE a transfer, to DELETE an account, to TRUNCATE either table, and to
change whose an account is (kind, member, code) or reopen a closed one.
A correction is a reversing transfer, never an edit.

Emptying the database is not an edit, and it must still work: Django's
``flush`` (which ``TransactionTestCase`` runs after every transactional test:
``DELETE FROM`` each table on SQLite, ``TRUNCATE`` on PostgreSQL) would
otherwise be refused. So the triggers let rows go while a *session-level
marker* is set, and only ``ledger_reset`` sets it, which only our ``flush``
command calls (``ledger/management/commands/flush.py`` overrides Django's):

* PostgreSQL: the custom setting ``equitime.ledger_reset`` is ``on`` for this
  session (``set_config``), read by ``current_setting(..., true)``.
* SQLite has no session variables, and a trigger cannot read a TEMP table, so
  the marker is a function, ``equitime_ledger_reset()``, registered on each of
  our connections (``connection_created``) and answering from this
  connection's flag. Any other client (the ``sqlite3`` shell) has no such
  function, so a DELETE there fails outright: still refused.

The marker belongs to one connection, so no other session's DELETE gets past
while a flush runs, and it is cleared when the flush ends, even on error.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper

SETTING = "equitime.ledger_reset"
SQLITE_FUNCTION = "equitime_ledger_reset"
_FLAG = "equitime_ledger_reset"


def register_sqlite_marker(
    sender: object, connection: BaseDatabaseWrapper, **kwargs: object
) -> None:
    """``connection_created`` receiver: give SQLite connections the marker function."""
    if connection.vendor != "sqlite":
        return
    setattr(connection, _FLAG, False)
    connection.connection.create_function(
        SQLITE_FUNCTION, 0, lambda: int(getattr(connection, _FLAG, False))
    )


@contextmanager
def ledger_reset(*, using: str = "default") -> Iterator[None]:
    """Within this block, this connection may empty the ledger tables."""
    connection = connections[using]
    connection.ensure_connection()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, 'on', false)", [SETTING])
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config(%s, 'off', false)", [SETTING])
    else:
        setattr(connection, _FLAG, True)
        try:
            yield
        finally:
            setattr(connection, _FLAG, False)

"""Transfers are immutable and accounts are never deleted: the database says so.

The services only ever INSERT transfers (a hold's resolution and a reversal
are new rows pointing back, so no column is ever set later), so every UPDATE
and DELETE of a transfer is refused, by raw SQL or ``QuerySet.update/delete``
alike. Account rows keep running totals that each transfer changes under a
row lock (a cache of the transfers: CHECKs guard the floor and ceiling, and
``verify_ledger`` replays them), so an account may be updated, but it is
never deleted, never changes whose it is (kind, member, code), and once
closed stays closed. (Not ``opened_at``: the tests' serialized rollback
rewrites it rounded to milliseconds.)

Only the database-reset path gets past, through a session marker (see
``equitime.ledger.reset``). PostgreSQL's TRUNCATE fires no row trigger, so it
has its own statement trigger.

On SQLite, a later migration that rebuilds either table (Django's "remake
table" for some ALTERs) drops its triggers with the old table: such a
migration must create them again. ``test_immutable_ledger`` would fail.
"""

from django.db import migrations

REFUSED = "ledger rows are immutable: correct a transfer with a reversing transfer"

SQLITE_FORWARD = [
    f"""
    CREATE TRIGGER ledger_transfer_no_update BEFORE UPDATE ON ledger_transfer
    BEGIN SELECT RAISE(ABORT, '{REFUSED}'); END
    """,
    f"""
    CREATE TRIGGER ledger_transfer_no_delete BEFORE DELETE ON ledger_transfer
    WHEN equitime_ledger_reset() IS NOT 1
    BEGIN SELECT RAISE(ABORT, '{REFUSED}'); END
    """,
    """
    CREATE TRIGGER ledger_account_no_delete BEFORE DELETE ON ledger_account
    WHEN equitime_ledger_reset() IS NOT 1
    BEGIN SELECT RAISE(ABORT, 'ledger accounts are never deleted: close them'); END
    """,
    """
    CREATE TRIGGER ledger_account_identity BEFORE UPDATE ON ledger_account
    WHEN NEW.kind IS NOT OLD.kind OR NEW.code IS NOT OLD.code
      OR NEW.member_id IS NOT OLD.member_id
      OR (OLD.closed_at IS NOT NULL AND NEW.closed_at IS NOT OLD.closed_at)
    BEGIN SELECT RAISE(ABORT, 'a ledger account keeps its owner, and stays closed');
    END
    """,
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS ledger_transfer_no_update",
    "DROP TRIGGER IF EXISTS ledger_transfer_no_delete",
    "DROP TRIGGER IF EXISTS ledger_account_no_delete",
    "DROP TRIGGER IF EXISTS ledger_account_identity",
]

POSTGRES_FORWARD = [
    f"""
    CREATE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP IN ('DELETE', 'TRUNCATE')
           AND current_setting('equitime.ledger_reset', true) = 'on' THEN
            RETURN OLD;
        END IF;
        RAISE EXCEPTION '{REFUSED} (% on %)', TG_OP, TG_TABLE_NAME
            USING ERRCODE = 'restrict_violation';
    END
    $$
    """,
    """
    CREATE FUNCTION ledger_account_identity() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF NEW.kind IS DISTINCT FROM OLD.kind OR NEW.code IS DISTINCT FROM OLD.code
           OR NEW.member_id IS DISTINCT FROM OLD.member_id
           OR (OLD.closed_at IS NOT NULL AND NEW.closed_at IS DISTINCT FROM OLD.closed_at) THEN
            RAISE EXCEPTION 'a ledger account keeps its owner, and stays closed'
                USING ERRCODE = 'restrict_violation';
        END IF;
        RETURN NEW;
    END
    $$
    """,
    """
    CREATE TRIGGER ledger_transfer_immutable BEFORE UPDATE OR DELETE ON ledger_transfer
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change()
    """,
    """
    CREATE TRIGGER ledger_transfer_no_truncate BEFORE TRUNCATE ON ledger_transfer
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change()
    """,
    """
    CREATE TRIGGER ledger_account_no_delete BEFORE DELETE ON ledger_account
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change()
    """,
    """
    CREATE TRIGGER ledger_account_no_truncate BEFORE TRUNCATE ON ledger_account
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change()
    """,
    """
    CREATE TRIGGER ledger_account_identity BEFORE UPDATE ON ledger_account
    FOR EACH ROW EXECUTE FUNCTION ledger_account_identity()
    """,
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS ledger_transfer_immutable ON ledger_transfer",
    "DROP TRIGGER IF EXISTS ledger_transfer_no_truncate ON ledger_transfer",
    "DROP TRIGGER IF EXISTS ledger_account_no_delete ON ledger_account",
    "DROP TRIGGER IF EXISTS ledger_account_no_truncate ON ledger_account",
    "DROP TRIGGER IF EXISTS ledger_account_identity ON ledger_account",
    "DROP FUNCTION IF EXISTS ledger_refuse_change()",
    "DROP FUNCTION IF EXISTS ledger_account_identity()",
]

STATEMENTS = {
    "sqlite": (SQLITE_FORWARD, SQLITE_REVERSE),
    "postgresql": (POSTGRES_FORWARD, POSTGRES_REVERSE),
}


def _run(schema_editor, forward: bool) -> None:
    vendor = schema_editor.connection.vendor
    if vendor not in STATEMENTS:
        raise RuntimeError(f"No ledger triggers for the {vendor} database")
    for sql in STATEMENTS[vendor][0 if forward else 1]:
        schema_editor.execute(sql, params=None)


def install(apps, schema_editor):
    _run(schema_editor, forward=True)


def remove(apps, schema_editor):
    _run(schema_editor, forward=False)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0003_account_closing")]

    operations = [migrations.RunPython(install, remove)]

"""The one writer, read as code: refusals by constraint, holds as recorded,
and a ledger that knows members only as the owners of accounts.

The database errors are caused for real (raw SQL past the services, as in
``test_database_backstop``) and read by ``db_errors.violation`` on whichever
database the suite runs on: SQLite by default, PostgreSQL with DATABASE_URL.
"""

import ast
from pathlib import Path

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import F, UniqueConstraint

from equitime.ledger import services
from equitime.ledger.db_errors import Violation, violation
from equitime.ledger.errors import CeilingReached, InsufficientCredit
from equitime.ledger.models import Account, Transfer
from equitime.ledger.verify import verify_ledger

pytestmark = pytest.mark.django_db

LEDGER = Path(services.__file__).parent
EXCHANGE = Transfer.Kind.EXCHANGE


def refusal(fn) -> Violation | None:
    with pytest.raises(IntegrityError) as refused, transaction.atomic():
        fn()
    return violation(refused.value)


def raw(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def insert_transfer(*, key, debit, credit, state="posted", pending_id=None, amount=15):
    raw(
        f"INSERT INTO {Transfer._meta.db_table} "
        f"({connection.ops.quote_name('key')}, kind, state, debit_account_id, "
        "credit_account_id, amount, pending_id, reverses_id, initiated_by_id, memo, created_at) "
        "VALUES (%s, 'exchange', %s, %s, %s, %s, %s, NULL, NULL, '', %s)",
        [
            key,
            state,
            debit.pk,
            credit.pk,
            amount,
            pending_id,
            connection.ops.adapt_datetimefield_value(
                Transfer._meta.get_field("created_at").default()
            ),
        ],
    )


# --- db_errors: the constraint, never the wording ------------------------------


def test_a_check_is_named_as_in_the_models(alice):
    broke = refusal(
        lambda: Account.objects.filter(pk=alice.pk).update(posted_debits=F("posted_debits") + 121)
    )
    assert broke == Violation(name="account_available_at_or_above_floor")

    broke = refusal(lambda: Account.objects.filter(pk=alice.pk).update(ceiling=60))
    assert broke == Violation(name="account_incoming_at_or_below_ceiling")

    broke = refusal(lambda: Account.objects.filter(pk=alice.pk).update(pending_credits=-1))
    assert broke == Violation(name="account_totals_not_negative")


def test_a_unique_constraint_is_named_by_its_columns(alice, bob):
    gift = Transfer.objects.get(credit_account=alice)
    broke = refusal(lambda: insert_transfer(key=gift.key, debit=alice, credit=bob))
    assert broke == Violation(columns=("key",))

    hold = services.hold_place(
        key="h",
        kind=EXCHANGE,
        debit_account=alice,
        credit_account=bob,
        amount=30,
        initiated_by=None,
    )
    services.hold_void(key="v", hold=hold, initiated_by=None)
    broke = refusal(
        lambda: insert_transfer(
            key="again", debit=alice, credit=bob, state="voided", pending_id=hold.pk
        )
    )
    assert broke == Violation(columns=("pending_id",))


def test_a_trigger_or_a_foreign_key_names_no_constraint_the_ledger_answers(alice, bob):
    gift = Transfer.objects.get(credit_account=alice)
    table = Transfer._meta.db_table
    with pytest.raises(DatabaseError) as refused, transaction.atomic():
        raw(f"UPDATE {table} SET memo = 'edited' WHERE id = %s", [gift.pk])
    if isinstance(refused.value, IntegrityError):
        assert violation(refused.value) is None


def test_every_refusal_the_writer_maps_is_a_constraint_of_the_models():
    checks = {c.name for model in (Account, Transfer) for c in model._meta.constraints}
    columns = {f.name: f.column for f in Transfer._meta.concrete_fields}
    unique = {
        (f.column,) for f in Transfer._meta.concrete_fields if f.unique and not f.primary_key
    } | {
        tuple(columns[n] for n in c.fields)
        for c in Transfer._meta.constraints
        if isinstance(c, UniqueConstraint)
    }
    for broke in [services._KEY_TAKEN, *services._REFUSALS]:
        assert broke.name in checks if broke.name else broke.columns in unique, broke


# --- The writer answers a refused row as its checks would ----------------------


def skip_the_checks(monkeypatch):
    """As if a concurrent writer had changed the totals after this one read
    them: only the database's CHECKs stand in the way."""
    monkeypatch.setattr(services, "_check_limits", lambda **kwargs: None)


def test_an_overdraft_the_checks_missed_is_insufficient_credit(monkeypatch, alice, bob):
    skip_the_checks(monkeypatch)
    with pytest.raises(InsufficientCredit):
        services.transfer_create(
            key="t",
            kind=EXCHANGE,
            debit_account=alice,
            credit_account=bob,
            amount=121,
            initiated_by=None,
        )
    assert verify_ledger().ok


def test_a_ceiling_the_checks_missed_is_ceiling_reached(monkeypatch, alice, bob):
    Account.objects.filter(pk=bob.pk).update(ceiling=150)
    skip_the_checks(monkeypatch)
    with pytest.raises(CeilingReached):
        services.transfer_create(
            key="t",
            kind=EXCHANGE,
            debit_account=alice,
            credit_account=bob,
            amount=60,
            initiated_by=None,
        )
    assert Account.objects.get(pk=bob.pk).balance == 120


# --- Holds and reversals as the ledger recorded them ---------------------------


def test_a_hold_is_resolved_on_its_recorded_accounts_not_the_callers_copy(alice, bob, make_member):
    carol = make_member().account
    hold = services.hold_place(
        key="h",
        kind=EXCHANGE,
        debit_account=alice,
        credit_account=bob,
        amount=60,
        initiated_by=None,
    )
    hold.debit_account_id = carol.pk  # a stale or tampered copy in the caller's hands
    hold.amount = 15

    payment = services.hold_post(key="p", hold=hold, initiated_by=None)

    assert (payment.debit_account_id, payment.credit_account_id, payment.amount) == (
        alice.pk,
        bob.pk,
        60,
    )
    assert Account.objects.get(pk=alice.pk).balance == 60
    assert Account.objects.get(pk=carol.pk).balance == 120
    assert verify_ledger().ok


def test_a_reversal_undoes_the_recorded_transfer(alice, bob):
    transfer = services.transfer_create(
        key="t",
        kind=Transfer.Kind.BONUS,
        debit_account=alice,
        credit_account=bob,
        amount=30,
        initiated_by=None,
    )
    transfer.amount = 120

    reversal = services.transfer_reverse(key="r", transfer=transfer, initiated_by=None)

    assert (reversal.debit_account_id, reversal.credit_account_id, reversal.amount) == (
        bob.pk,
        alice.pk,
        30,
    )
    assert verify_ledger().ok


def test_the_writer_returns_the_row_as_a_query_loads_it(alice, bob):
    made = services.transfer_create(
        key="t",
        kind=EXCHANGE,
        debit_account=alice,
        credit_account=bob,
        amount=30,
        initiated_by=None,
        memo="m" * 300,
    )
    loaded = Transfer.objects.get(pk=made.pk)
    fields = [f.attname for f in Transfer._meta.concrete_fields]
    assert [getattr(made, f) for f in fields] == [getattr(loaded, f) for f in fields]


# --- What the ledger imports ---------------------------------------------------

# The ledger's own layer: its models, rules, reads and writer.
CORE_OF_THE_LEDGER = [
    "models.py",
    "services.py",
    "selectors.py",
    "errors.py",
    "db_errors.py",
    "verify.py",
    "reset.py",
]
# Nothing of the ledger, not even its admin, commands or tests, imports an app
# above it: members are AUTH_USER_MODEL, and the audit log hears of corrections
# through ledger.signals. The pages and API of credits live in equitime.credits.
MAY_IMPORT = ("equitime.core", "equitime.ledger")
EVERY_MODULE = sorted(str(path.relative_to(LEDGER)) for path in LEDGER.rglob("*.py"))


def imports_of(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name.startswith("equitime")}


@pytest.mark.parametrize("name", EVERY_MODULE)
def test_the_ledger_knows_members_only_as_account_owners(name):
    upward = {m for m in imports_of(LEDGER / name) if not m.startswith(MAY_IMPORT)}
    assert not upward, f"ledger/{name} imports {sorted(upward)}"


@pytest.mark.parametrize("name", CORE_OF_THE_LEDGER)
def test_the_writer_reaches_into_no_private_django_state(name):
    assert "._state" not in (LEDGER / name).read_text()

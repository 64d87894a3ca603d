"""Many threads move credits among a handful of accounts at once, and retry
old keys. Afterwards nothing is lost, invented, overdrawn or applied twice.

Runs on the file-based SQLite test database and on PostgreSQL alike; each
thread has its own database connection.
"""

import functools
import random
import threading
from collections import Counter

import pytest

from equitime.core.testing import race
from equitime.ledger import services
from equitime.ledger.errors import IdempotencyConflict, InsufficientCredit
from equitime.ledger.models import Account, Transfer
from equitime.ledger.verify import verify_ledger

THREADS = 8
OPERATIONS = 30

# Transactional tests empty every table afterwards; serialized rollback puts the
# migration-made data (taxonomy, community pool) back before each one.
pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.slow]


@pytest.fixture
def accounts(make_member):
    return [make_member().account.pk for _ in range(5)]


def test_concurrent_transfers_holds_and_retries_keep_the_ledger_whole(accounts):
    # key -> (transfer id, movement), written by whichever thread applied it
    applied: dict[str, tuple[int, tuple[str, int, int, int]]] = {}
    lock = threading.Lock()
    outcomes: Counter[str] = Counter()

    def worker(n):
        rng = random.Random(n)
        my_holds: list[Transfer] = []
        for i in range(OPERATIONS):
            debit, credit = rng.sample(accounts, 2)
            amount = rng.choice([15, 30, 45, 60, 90])
            choice = rng.random()
            with lock:
                old = rng.choice(sorted(applied)) if applied and choice < 0.25 else None
            try:
                if old is not None:
                    transfer_id, movement = applied[old]
                    kind, d, c, a = movement
                    same = rng.random() < 0.5
                    retry = functools.partial(
                        services.transfer_create,
                        key=old,
                        kind=kind,
                        debit_account=Account.objects.get(pk=d),
                        credit_account=Account.objects.get(pk=c),
                        amount=a if same else a + 15,
                        initiated_by=None,
                    )
                    if same:
                        assert retry().pk == transfer_id
                        outcomes["retry returned original"] += 1
                    else:
                        with pytest.raises(IdempotencyConflict):
                            retry()
                        outcomes["retry refused"] += 1
                elif choice < 0.45 and my_holds:
                    hold = my_holds.pop()
                    if rng.random() < 0.5:
                        services.hold_post(key=f"post-{n}-{i}", hold=hold, initiated_by=None)
                    else:
                        services.hold_void(key=f"void-{n}-{i}", hold=hold, initiated_by=None)
                    outcomes["hold resolved"] += 1
                elif choice < 0.6:
                    hold = services.hold_place(
                        key=f"hold-{n}-{i}",
                        kind=Transfer.Kind.EXCHANGE,
                        debit_account=Account.objects.get(pk=debit),
                        credit_account=Account.objects.get(pk=credit),
                        amount=amount,
                        initiated_by=None,
                    )
                    my_holds.append(hold)
                    outcomes["hold placed"] += 1
                else:
                    key = f"t-{n}-{i}"
                    transfer = services.transfer_create(
                        key=key,
                        kind=Transfer.Kind.EXCHANGE,
                        debit_account=Account.objects.get(pk=debit),
                        credit_account=Account.objects.get(pk=credit),
                        amount=amount,
                        initiated_by=None,
                    )
                    with lock:
                        applied[key] = (transfer.pk, (transfer.kind, debit, credit, amount))
                    outcomes["transfer"] += 1
            except InsufficientCredit:
                outcomes["refused: not enough credit"] += 1

    assert race(worker, THREADS) == [None] * THREADS

    report = verify_ledger()
    assert report.ok, report.problems
    # Every successful transfer is in the ledger exactly once, as first asked.
    for key, (transfer_id, (_kind, debit, credit, amount)) in applied.items():
        transfer = Transfer.objects.get(key=key)
        assert transfer.pk == transfer_id
        assert (transfer.debit_account_id, transfer.credit_account_id, transfer.amount) == (
            debit,
            credit,
            amount,
        )
    assert Transfer.objects.filter(key__startswith="t-").count() == len(applied)
    total = sum(Account.objects.get(pk=pk).balance for pk in accounts)
    assert total + services.pool_account().balance == 0
    assert all(Account.objects.get(pk=pk).available >= 0 for pk in accounts)
    # The run exercised what it claims to.
    assert outcomes["transfer"] and outcomes["hold placed"] and outcomes["hold resolved"]
    assert outcomes["retry returned original"] and outcomes["retry refused"]


def test_one_key_sent_by_many_threads_at_once_moves_credits_once(accounts):
    debit, credit = accounts[:2]

    def worker(n):
        return services.transfer_create(
            key="same-request",
            kind=Transfer.Kind.EXCHANGE,
            debit_account=Account.objects.get(pk=debit),
            credit_account=Account.objects.get(pk=credit),
            amount=60,
            initiated_by=None,
        ).pk

    results = race(worker, THREADS)

    assert len(set(results)) == 1 and isinstance(results[0], int)
    assert Transfer.objects.filter(key="same-request").count() == 1
    assert Account.objects.get(pk=debit).balance == 60
    assert Account.objects.get(pk=credit).balance == 180
    assert verify_ledger().ok


def test_racing_to_spend_the_last_credits_lets_exactly_enough_through(accounts):
    """Eight threads each try to spend 30 minutes of a 120-minute balance."""
    debit = accounts[0]

    outcomes = race(
        lambda n: services.transfer_create(
            key=f"race-{n}",
            kind=Transfer.Kind.EXCHANGE,
            debit_account=Account.objects.get(pk=debit),
            credit_account=Account.objects.get(pk=accounts[1 + n % 4]),
            amount=30,
            initiated_by=None,
        ),
        THREADS,
    )

    assert len([o for o in outcomes if isinstance(o, Transfer)]) == 4
    assert all(isinstance(o, InsufficientCredit) for o in outcomes if not isinstance(o, Transfer))
    assert Account.objects.get(pk=debit).available == 0
    assert verify_ledger().ok

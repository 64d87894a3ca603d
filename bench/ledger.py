"""Ledger write throughput: the service layer against hand-written SQL.

    make bench-ledger                       # SQLite (the embedded default)
    DATABASE_URL=postgres://... make bench-ledger
    .venv/bin/python bench/ledger.py --transfers 5000

Both sides make the same immediate transfers of 15 minutes between random
pairs of a few well-funded member accounts, each in its own transaction:

- service layer: ``ledger.services.transfer_create``, as every caller does;
- raw SQL: the same reads and writes by hand (lock both accounts, look the
  key up, update both accounts' totals, insert the transfer row).

They run in alternating rounds after a warm-up, so neither side gets the
warmer cache or the emptier write-ahead log. The target is for the service
layer to keep at least half the raw-SQL rate. At the end ``verify_ledger``
checks the database both sides wrote, which also shows the raw SQL kept the
ledger's books the way the services do.

Nothing touches the developer's database: the run uses a throwaway test
database (SQLite: the TEST file in settings; PostgreSQL: ``test_<name>_bench``)
and drops it afterwards.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from dataclasses import dataclass

TARGET_RATIO = 0.5
AMOUNT = 15
WARM_UP = 50


@dataclass
class Side:
    name: str
    transfers: int = 0
    seconds: float = 0.0
    cpu_seconds: float = 0.0  # this process only: Python and the SQLite library, not a server

    @property
    def rate(self) -> float:
        return self.transfers / self.seconds if self.seconds else 0.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--transfers", type=int, default=2000, help="per side (default 2000)")
    parser.add_argument("--rounds", type=int, default=4, help="alternating rounds (default 4)")
    parser.add_argument("--accounts", type=int, default=8, help="member accounts (default 8)")
    parser.add_argument("--seed", type=int, default=2026, help="random seed for the pairs")
    args = parser.parse_args(argv)
    if args.transfers < 1 or args.rounds < 1 or args.accounts < 2:
        parser.error("need at least 1 transfer, 1 round and 2 accounts")

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "equitime.settings")
    import django

    django.setup()

    from django.db import connection
    from django.test.utils import (
        setup_databases,
        setup_test_environment,
        teardown_databases,
        teardown_test_environment,
    )

    test_settings = connection.settings_dict.setdefault("TEST", {})
    if connection.vendor == "postgresql" and not test_settings.get("NAME"):
        # Not test_<name>: that one may belong to a test run going on right now.
        test_settings["NAME"] = f"test_{connection.settings_dict['NAME']}_bench"

    # DEBUG off, as in production: with it on, Django keeps a log of every query.
    setup_test_environment(debug=False)
    # No serialized copy of the database: only serialized_rollback tests use it.
    old_config = setup_databases(verbosity=0, interactive=False, serialized_aliases=set())
    try:
        return run(args)
    finally:
        teardown_databases(old_config, verbosity=0)
        teardown_test_environment()


def run(args: argparse.Namespace) -> int:
    from django.db import connection

    from equitime.ledger.models import Transfer
    from equitime.ledger.services import account_open, pool_account, transfer_create
    from equitime.ledger.verify import verify_ledger
    from equitime.members.services import member_join

    accounts = [
        account_open(
            member=member_join(
                email=f"bench{n}@bench.equitime.invalid",
                display_name=f"Bench member {n}",
                password=None,
            )
        )
        for n in range(1, args.accounts + 1)
    ]
    # Enough that an account could pay every transfer of the run and never
    # reach its floor.
    moves = 2 * (args.transfers + WARM_UP)
    pool = pool_account()
    for account in accounts:
        transfer_create(
            key=f"bench-funding:{account.pk}",
            kind=Transfer.Kind.BONUS,
            debit_account=pool,
            credit_account=account,
            amount=AMOUNT * moves,
            initiated_by=None,
            memo="Benchmark funding",
        )

    rng = random.Random(args.seed)
    ids = [account.pk for account in accounts]

    def pairs(n: int) -> list[tuple[int, int]]:
        return [tuple(rng.sample(range(len(accounts)), 2)) for _ in range(n)]

    raw = RawTransfers(connection)

    def by_service(tag: str, batch: list[tuple[int, int]]) -> None:
        for i, (a, b) in enumerate(batch):
            transfer_create(
                key=f"bench:{tag}:{i}",
                kind=Transfer.Kind.EXCHANGE,
                debit_account=accounts[a],
                credit_account=accounts[b],
                amount=AMOUNT,
                initiated_by=None,
            )

    def by_raw_sql(tag: str, batch: list[tuple[int, int]]) -> None:
        for i, (a, b) in enumerate(batch):
            raw.transfer(key=f"bench:{tag}:{i}", debit_id=ids[a], credit_id=ids[b])

    print(
        f"Ledger benchmark on {describe(connection)}: {args.transfers} transfers per side, "
        f"{args.rounds} alternating rounds, {args.accounts} accounts",
        flush=True,
    )
    warm_up = pairs(min(WARM_UP, args.transfers))
    by_service("warm-up-service", warm_up)
    by_raw_sql("warm-up-raw", warm_up)

    service, raw_sql = Side("service layer"), Side("raw SQL")
    sizes = [
        args.transfers // args.rounds + (1 if r < args.transfers % args.rounds else 0)
        for r in range(args.rounds)
    ]
    for r, size in enumerate(sizes):
        batch = pairs(size)  # the same pairs for both sides
        order = [(service, by_service), (raw_sql, by_raw_sql)]
        if r % 2:
            order.reverse()
        for side, make in order:
            started, cpu_started = time.perf_counter(), time.process_time()
            make(f"{side.name}:{r}", batch)
            side.seconds += time.perf_counter() - started
            side.cpu_seconds += time.process_time() - cpu_started
            side.transfers += size

    ratio = service.rate / raw_sql.rate if raw_sql.rate else 0.0
    print(f"{'':15}{'transfers':>10}{'seconds':>10}{'transfers/s':>14}{'CPU seconds':>14}")
    for side in (service, raw_sql):
        print(
            f"{side.name:15}{side.transfers:>10}{side.seconds:>10.3f}{side.rate:>14.1f}"
            f"{side.cpu_seconds:>14.3f}"
        )
    met = "met" if ratio >= TARGET_RATIO else "NOT met"
    print(f"ratio service/raw: {ratio:.2f} (target >= {TARGET_RATIO}: {met})")

    report = verify_ledger()
    state = "consistent" if report.ok else "INCONSISTENT"
    print(
        f"ledger after the run: {state} ({report.accounts} accounts, {report.transfers} transfers)"
    )
    for problem in report.problems:
        print(f"  - {problem}")
    return 0 if report.ok else 1


class RawTransfers:
    """One posted transfer by hand: the writes ``transfer_create`` makes, and
    the reads it needs to make them safely."""

    def __init__(self, connection) -> None:
        from django.db import transaction
        from django.utils import timezone

        from equitime.ledger.models import Account, Transfer

        self.connection = connection
        self.atomic = transaction.atomic
        self.now = timezone.now
        q = connection.ops.quote_name

        def column(model, name: str) -> str:
            return q(model._meta.get_field(name).column)

        account = q(Account._meta.db_table)
        a_id, floor = column(Account, "id"), column(Account, "floor")
        debits, credits = column(Account, "posted_debits"), column(Account, "posted_credits")
        held = column(Account, "pending_debits")
        transfer = q(Transfer._meta.db_table)

        # On SQLite the IMMEDIATE transaction already holds the write lock.
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        self.lock_sql = (
            f"SELECT {a_id}, {floor}, {debits}, {credits}, {held} FROM {account} "
            f"WHERE {a_id} IN (%s, %s) ORDER BY {a_id}{lock}"
        )
        self.find_sql = (
            f"SELECT {column(Transfer, 'id')} FROM {transfer} WHERE {column(Transfer, 'key')} = %s"
        )
        self.debit_sql = f"UPDATE {account} SET {debits} = {debits} + %s WHERE {a_id} = %s"
        self.credit_sql = f"UPDATE {account} SET {credits} = {credits} + %s WHERE {a_id} = %s"

        # Every column but the id, so a new column without a default breaks
        # this bench loudly instead of measuring a different row.
        self.fields = [f for f in Transfer._meta.concrete_fields if not f.primary_key]
        known = {
            "key",
            "kind",
            "state",
            "debit_account_id",
            "credit_account_id",
            "amount",
            "pending_id",
            "reverses_id",
            "initiated_by_id",
            "memo",
            "created_at",
        }
        unknown = {f.attname for f in self.fields} - known
        if unknown:
            raise SystemExit(f"bench/ledger.py does not know the transfer columns {unknown}")
        columns = ", ".join(q(f.column) for f in self.fields)
        placeholders = ", ".join(["%s"] * len(self.fields))
        self.returning = connection.features.can_return_columns_from_insert
        self.insert_sql = f"INSERT INTO {transfer} ({columns}) VALUES ({placeholders})" + (
            f" RETURNING {column(Transfer, 'id')}" if self.returning else ""
        )
        self.exchange = Transfer.Kind.EXCHANGE.value
        self.posted = Transfer.State.POSTED.value

    def transfer(self, *, key: str, debit_id: int, credit_id: int) -> None:
        with self.atomic(), self.connection.cursor() as cursor:
            cursor.execute(self.lock_sql, sorted((debit_id, credit_id)))
            rows = {row[0]: row for row in cursor.fetchall()}
            cursor.execute(self.find_sql, [key])
            if cursor.fetchone() is not None:
                return  # a retry: the transfer is already made
            _id, floor, debits, credits, held = rows[debit_id]
            if floor is not None and credits - debits - held - AMOUNT < floor:
                raise RuntimeError(f"account {debit_id} would go below its floor")
            cursor.execute(self.debit_sql, [AMOUNT, debit_id])
            cursor.execute(self.credit_sql, [AMOUNT, credit_id])
            values = {
                "key": key,
                "kind": self.exchange,
                "state": self.posted,
                "debit_account_id": debit_id,
                "credit_account_id": credit_id,
                "amount": AMOUNT,
                "pending_id": None,
                "reverses_id": None,
                "initiated_by_id": None,
                "memo": "",
                "created_at": self.connection.ops.adapt_datetimefield_value(self.now()),
            }
            cursor.execute(self.insert_sql, [values[f.attname] for f in self.fields])
            if self.returning:
                cursor.fetchone()


def describe(connection) -> str:
    if connection.vendor == "sqlite":
        return f"SQLite {connection.Database.sqlite_version}"
    if connection.vendor == "postgresql":
        major, minor = divmod(connection.pg_version, 10000)
        return f"PostgreSQL {major}.{minor}"
    return connection.display_name


if __name__ == "__main__":
    sys.exit(main())

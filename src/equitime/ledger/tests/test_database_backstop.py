"""The database refuses bad ledger rows even when the services are bypassed.

These tests write with ``QuerySet.update``, ``objects.create`` and raw SQL on
purpose: the CHECK and UNIQUE constraints are the backstop for any bug.
"""

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from equitime.ledger import services
from equitime.ledger.models import Account, Transfer

pytestmark = pytest.mark.django_db


def refused(fn):
    with pytest.raises(IntegrityError), transaction.atomic():
        fn()


def transfer_row(**fields):
    """Writing a transfer row straight through the ORM, past the services: a
    posted 15-minute exchange payment unless ``fields`` say otherwise."""
    return lambda: Transfer.objects.create(
        **{"kind": "exchange", "state": "posted", "amount": 15, **fields}
    )


def test_overdraft_by_queryset_update_is_refused(alice):
    refused(
        lambda: Account.objects.filter(pk=alice.pk).update(posted_debits=F("posted_debits") + 121)
    )
    refused(lambda: Account.objects.filter(pk=alice.pk).update(pending_debits=121))
    assert Account.objects.get(pk=alice.pk).available == 120


def test_overdraft_by_raw_sql_is_refused(alice):
    table = Account._meta.db_table

    def overdraw():
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET posted_debits = posted_debits + 500 WHERE id = %s", [alice.pk]
            )

    refused(overdraw)
    assert Account.objects.get(pk=alice.pk).balance == 120


def test_negative_totals_are_refused(alice):
    refused(lambda: Account.objects.filter(pk=alice.pk).update(pending_credits=-1))


def test_ceiling_is_enforced_by_the_database(alice):
    refused(lambda: Account.objects.filter(pk=alice.pk).update(ceiling=60))


def test_zero_or_negative_amount_is_refused(alice, bob):
    for amount in (0, -15):
        refused(
            transfer_row(
                key=f"bad-{amount}", debit_account=alice, credit_account=bob, amount=amount
            )
        )


def test_zero_amount_by_raw_sql_is_refused(alice, bob):
    table = Transfer._meta.db_table

    def insert():
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (key, kind, state, debit_account_id, credit_account_id, "
                "amount, memo, created_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                ["raw", "exchange", "posted", alice.pk, bob.pk, 0, "", timezone.now()],
            )

    refused(insert)


def test_transfer_to_the_same_account_is_refused(alice):
    refused(transfer_row(key="self", debit_account=alice, credit_account=alice))


def test_duplicate_key_is_refused(alice, bob):
    services.transfer_create(
        key="once",
        kind="exchange",
        debit_account=alice,
        credit_account=bob,
        amount=15,
        initiated_by=None,
    )
    refused(transfer_row(key="once", debit_account=alice, credit_account=bob))


def test_a_hold_cannot_be_resolved_twice_or_reversed_twice(alice, bob):
    hold = services.hold_place(
        key="h",
        kind="exchange",
        debit_account=alice,
        credit_account=bob,
        amount=15,
        initiated_by=None,
    )
    services.hold_void(key="v", hold=hold, initiated_by=None)
    refused(
        transfer_row(
            key="v2", state="voided", debit_account=alice, credit_account=bob, pending=hold
        )
    )
    posted = services.transfer_create(
        key="t",
        kind="exchange",
        debit_account=alice,
        credit_account=bob,
        amount=15,
        initiated_by=None,
    )
    services.transfer_reverse(key="r", transfer=posted, initiated_by=None)
    refused(
        transfer_row(
            key="r2", kind="reversal", debit_account=bob, credit_account=alice, reverses=posted
        )
    )


def test_shapes_are_enforced(alice, bob):
    common = dict(debit_account=alice, credit_account=bob, amount=15)
    # A voided row must name its hold; a reversal must name what it reverses.
    refused(lambda: Transfer.objects.create(key="a", kind="exchange", state="voided", **common))
    refused(lambda: Transfer.objects.create(key="b", kind="reversal", state="posted", **common))
    # A member account has a member; a system account has a code.
    refused(lambda: Account.objects.create(kind="member", name="orphan"))
    refused(lambda: Account.objects.create(kind="system", name="nameless"))

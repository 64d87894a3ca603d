"""Transfers cannot be edited or deleted, and accounts cannot be deleted, even
past the ORM: migration 0004's triggers refuse it on SQLite and PostgreSQL.

Only the database-reset path (``flush``, through ``ledger_reset``) may empty
the tables: the transactional tests at the end run after one that made
transfers, so their teardown flush has to get past the triggers.
"""

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from equitime.ledger import services
from equitime.ledger.models import Account, Transfer
from equitime.ledger.reset import ledger_reset
from equitime.ledger.tests.factories import earn
from equitime.ledger.verify import verify_ledger


def refused(fn):
    refusal = r"immutable|never deleted|keeps its owner"
    with pytest.raises(DatabaseError, match=refusal), transaction.atomic():
        fn()


def raw(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.fixture
def gift(member):
    return Transfer.objects.get(key=f"welcome-gift:{member.pk}")


@pytest.mark.django_db
class TestTransfersAreImmutable:
    def test_queryset_update_and_delete_are_refused(self, gift):
        refused(lambda: Transfer.objects.filter(pk=gift.pk).update(amount=999))
        refused(lambda: Transfer.objects.filter(pk=gift.pk).update(memo="edited"))
        refused(lambda: Transfer.objects.filter(pk=gift.pk).delete())
        refused(lambda: gift.delete())
        assert Transfer.objects.get(pk=gift.pk).amount == 120
        assert verify_ledger().ok

    def test_raw_sql_update_and_delete_are_refused(self, gift):
        table = Transfer._meta.db_table
        refused(lambda: raw(f"UPDATE {table} SET amount = 999 WHERE id = %s", [gift.pk]))
        refused(lambda: raw(f"UPDATE {table} SET state = 'voided'"))
        refused(lambda: raw(f"DELETE FROM {table} WHERE id = %s", [gift.pk]))
        refused(lambda: raw(f"DELETE FROM {table}"))
        assert Transfer.objects.filter(pk=gift.pk, amount=120).exists()

    @pytest.mark.skipif("connection.vendor != 'postgresql'")
    def test_truncate_is_refused_on_postgresql(self, gift):
        raw("SET CONSTRAINTS ALL IMMEDIATE")  # else: "pending trigger events" answers first
        refused(lambda: raw(f"TRUNCATE {Transfer._meta.db_table} CASCADE"))
        refused(lambda: raw(f"TRUNCATE {Account._meta.db_table} CASCADE"))
        assert Transfer.objects.filter(pk=gift.pk).exists()

    def test_holds_are_resolved_by_new_rows_not_edits(self, member, other_member):
        hold = services.hold_place(
            key="h",
            kind="bonus",
            debit_account=member.account,
            credit_account=other_member.account,
            amount=60,
            initiated_by=member,
        )
        services.hold_post(key="p", hold=hold, initiated_by=member, amount=45)
        posted = Transfer.objects.get(key="p")
        services.transfer_reverse(key="r", transfer=posted, initiated_by=None)
        hold.refresh_from_db()
        assert hold.state == Transfer.State.PENDING  # the hold row itself is never touched
        assert verify_ledger().ok


@pytest.mark.django_db
class TestAccountsAreKept:
    def test_accounts_cannot_be_deleted(self, member):
        # Without transfers, so that Django's PROTECT does not answer first.
        spare = Account.objects.create(kind="system", code="spare", name="Spare")
        refused(lambda: spare.delete())
        account = member.account
        refused(lambda: raw(f"DELETE FROM {Account._meta.db_table} WHERE id = %s", [account.pk]))
        assert Account.objects.filter(pk=account.pk).exists()

    def test_an_account_keeps_what_it_is(self, member, other_member):
        account = member.account
        refused(lambda: Account.objects.filter(pk=account.pk).update(member=other_member))
        refused(lambda: Account.objects.filter(pk=account.pk).update(kind="system", code="x"))
        table = Account._meta.db_table
        swap_owner = f"UPDATE {table} SET member_id = %s WHERE id = %s"
        refused(lambda: raw(swap_owner, [other_member.pk, account.pk]))

    def test_a_closed_account_stays_closed(self, member):
        services.account_close(member=member, initiated_by=member)
        refused(lambda: Account.objects.filter(member=member).update(closed_at=None))
        assert Account.objects.get(member=member).closed_at is not None

    def test_the_services_still_write(self, member, other_member):
        """Running totals are the one thing an account row changes (under lock)."""
        earn(member, 30)  # only earned credits may be given on
        services.donation_make(key="d", donor=member, amount=30, recipient=other_member)
        assert Account.objects.get(member=other_member).balance == 150
        assert verify_ledger().ok


@pytest.mark.django_db
def test_the_reset_marker_is_only_for_this_connection_and_this_block(gift):
    table = Transfer._meta.db_table
    with ledger_reset():
        pass
    refused(lambda: raw(f"DELETE FROM {table} WHERE id = %s", [gift.pk]))
    with pytest.raises(RuntimeError), ledger_reset():
        raise RuntimeError
    refused(lambda: raw(f"DELETE FROM {table} WHERE id = %s", [gift.pk]))


# Transactional tests: their teardown is Django's flush (DELETE FROM on SQLite,
# TRUNCATE on PostgreSQL), which must empty the ledger despite the triggers.
transactional = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@transactional
def test_transactional_test_that_makes_transfers(member, other_member):
    earn(member, 60)  # only earned credits may be given on
    services.donation_make(key="flush-1", donor=member, amount=60, recipient=other_member)
    assert Transfer.objects.count() >= 3


@transactional
def test_flush_after_it_emptied_the_ledger():
    """Runs after the one above: its flush got past the triggers."""
    assert not Transfer.objects.exists()
    assert list(Account.objects.values_list("code", flat=True)) == ["pool"]  # restored pool


@transactional
def test_flush_command_empties_the_ledger_and_the_triggers_stay(make_member):
    member = make_member()
    call_command("flush", interactive=False, verbosity=0)
    assert not Transfer.objects.exists() and not Account.objects.exists()
    member = make_member()  # the pool comes back with the first gift
    refused(lambda: Transfer.objects.filter(key=f"welcome-gift:{member.pk}").delete())

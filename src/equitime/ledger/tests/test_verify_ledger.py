"""``equitime verify_ledger`` passes on a sound ledger and names each problem
in a broken one (broken here on purpose, behind the services' back)."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F

from equitime.ledger import services
from equitime.ledger.models import Account, Transfer
from equitime.ledger.tests.factories import earn
from equitime.ledger.verify import verify_ledger

pytestmark = pytest.mark.django_db


def run_command():
    out = io.StringIO()
    call_command("verify_ledger", stdout=out)
    return out.getvalue()


@pytest.fixture
def ledger(member, other_member):
    hold = services.hold_place(
        key="h",
        kind=Transfer.Kind.EXCHANGE,
        debit_account=member.account,
        credit_account=other_member.account,
        amount=30,
        initiated_by=None,
    )
    earn(other_member, 45)
    services.donation_make(key="d", donor=other_member, recipient=member, amount=45)
    return member.account, other_member.account, hold


def test_a_sound_ledger_passes(ledger):
    output = run_command()
    assert "3 accounts, 5 transfers" in output
    assert "The ledger is consistent." in output
    assert "FAIL" not in output


def test_invented_minutes_are_found(ledger):
    alice, _bob, _hold = ledger
    Account.objects.filter(pk=alice.pk).update(posted_credits=F("posted_credits") + 15)
    report = verify_ledger()
    assert not report.ok
    failing = {check.name for check in report.checks if not check.ok}
    assert failing == {
        "All balances sum to zero",
        "Stored totals equal a replay of the transfers",
    }
    with pytest.raises(CommandError, match="problem"):
        run_command()


def test_a_transfer_written_without_its_totals_is_found(ledger):
    alice, bob, _hold = ledger
    Transfer.objects.create(
        key="sneaky",
        kind="exchange",
        state="posted",
        debit_account=alice,
        credit_account=bob,
        amount=15,
    )
    report = verify_ledger()
    assert any("posted_debits stored" in p for p in report.problems)


def test_a_mismatched_hold_resolution_is_found(ledger, make_member):
    alice, bob, hold = ledger
    carol = make_member().account
    # Post the hold to the wrong account, totals kept consistent by hand.
    Transfer.objects.create(
        key="wrong",
        kind="exchange",
        state="posted",
        debit_account=alice,
        credit_account=carol,
        amount=30,
        pending=hold,
    )
    Account.objects.filter(pk=alice.pk).update(
        pending_debits=F("pending_debits") - 30, posted_debits=F("posted_debits") + 30
    )
    Account.objects.filter(pk=bob.pk).update(pending_credits=F("pending_credits") - 30)
    Account.objects.filter(pk=carol.pk).update(posted_credits=F("posted_credits") + 30)
    report = verify_ledger()
    assert [c.name for c in report.checks if not c.ok] == [
        "Holds and reversals match what they refer to"
    ]

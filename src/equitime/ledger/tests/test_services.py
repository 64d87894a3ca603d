"""Every ledger rule and every refusal, through the services."""

import pytest

from equitime.ledger import services
from equitime.ledger.errors import (
    AlreadyResolved,
    CeilingReached,
    IdempotencyConflict,
    InsufficientCredit,
    LedgerError,
)
from equitime.ledger.models import Account, Transfer
from equitime.ledger.tests.factories import earn
from equitime.ledger.verify import verify_ledger

pytestmark = pytest.mark.django_db

EXCHANGE = Transfer.Kind.EXCHANGE


def move(debit, credit, amount, *, key="t", kind=EXCHANGE, by=None) -> Transfer:
    """A posted transfer of ``amount`` minutes from ``debit`` to ``credit``."""
    return services.transfer_create(
        key=key,
        kind=kind,
        debit_account=debit,
        credit_account=credit,
        amount=amount,
        initiated_by=by,
    )


def place_hold(debit, credit, amount, *, key="h", kind=EXCHANGE, by=None) -> Transfer:
    """A hold of ``amount`` minutes on ``debit``, for ``credit``."""
    return services.hold_place(
        key=key,
        kind=kind,
        debit_account=debit,
        credit_account=credit,
        amount=amount,
        initiated_by=by,
    )


def fresh(account: Account) -> Account:
    return Account.objects.get(pk=account.pk)


def test_joining_opens_an_account_with_the_welcome_gift(member):
    account = member.account
    assert (account.balance, account.available, account.held) == (120, 120, 0)
    gift = Transfer.objects.get(credit_account=account)
    assert gift.kind == Transfer.Kind.WELCOME_GIFT
    assert gift.debit_account == services.pool_account()
    assert gift.initiated_by == member
    assert services.pool_account().balance == -120
    assert verify_ledger().ok


def test_the_welcome_gift_is_given_once(member):
    again = services.welcome_gift_give(member=member)
    assert Transfer.objects.filter(kind=Transfer.Kind.WELCOME_GIFT).count() == 1
    assert again.credit_account == member.account
    assert fresh(member.account).balance == 120


def test_account_open_is_idempotent(member):
    assert services.account_open(member=member) == member.account
    assert Account.objects.filter(member=member).count() == 1


def test_transfer_moves_minutes_and_records_who_asked(alice, bob):
    transfer = services.transfer_create(
        key="t1",
        kind=EXCHANGE,
        debit_account=alice,
        credit_account=bob,
        amount=45,
        initiated_by=alice.member,
        memo="Run chart help",
    )
    assert transfer.state == Transfer.State.POSTED
    assert transfer.initiated_by == alice.member
    assert fresh(alice).balance == 75
    assert fresh(bob).balance == 165
    assert verify_ledger().ok


def test_same_key_same_movement_returns_the_original(alice, bob):
    args = dict(kind=EXCHANGE, debit_account=alice, credit_account=bob, amount=30)
    first = services.transfer_create(key="k", initiated_by=alice.member, **args)
    again = services.transfer_create(key="k", initiated_by=None, memo="retry", **args)
    assert again.pk == first.pk
    assert fresh(alice).balance == 90


@pytest.mark.parametrize(
    "change",
    [
        {"amount": 31},
        {"kind": Transfer.Kind.BONUS},
        {"swap": True},
    ],
)
def test_same_key_different_movement_is_refused(alice, bob, change):
    services.transfer_create(
        key="k",
        kind=EXCHANGE,
        debit_account=alice,
        credit_account=bob,
        amount=30,
        initiated_by=None,
    )
    debit, credit = (bob, alice) if change.get("swap") else (alice, bob)
    with pytest.raises(IdempotencyConflict, match="already used"):
        services.transfer_create(
            key="k",
            kind=change.get("kind", EXCHANGE),
            debit_account=debit,
            credit_account=credit,
            amount=change.get("amount", 30),
            initiated_by=None,
        )
    assert Transfer.objects.filter(key="k").count() == 1
    assert fresh(alice).balance == 90


def test_a_hold_key_reused_for_a_posted_transfer_is_refused(alice, bob):
    args = dict(kind=EXCHANGE, debit_account=alice, credit_account=bob, amount=30)
    services.hold_place(key="k", initiated_by=None, **args)
    with pytest.raises(IdempotencyConflict):
        services.transfer_create(key="k", initiated_by=None, **args)


@pytest.mark.parametrize("amount", [0, -15, 1.5, "60", True, None])
def test_amount_must_be_positive_whole_minutes(alice, bob, amount):
    with pytest.raises(LedgerError) as refused:
        services.transfer_create(
            key="k",
            kind=EXCHANGE,
            debit_account=alice,
            credit_account=bob,
            amount=amount,
            initiated_by=None,
        )
    assert refused.value.code == "invalid_amount"
    assert not Transfer.objects.filter(key="k").exists()


def test_cannot_move_to_the_same_account(alice):
    with pytest.raises(LedgerError, match="itself"):
        move(alice, alice, 15, key="k")


@pytest.mark.parametrize("key", ["", "   ", "x" * 129, None])
def test_a_key_is_required(alice, bob, key):
    with pytest.raises(LedgerError, match="request key"):
        move(alice, bob, 15, key=key)


def test_unknown_kind_or_hand_made_reversal_is_refused(alice, bob):
    for kind in ["gift-card", Transfer.Kind.REVERSAL]:
        with pytest.raises(LedgerError, match="Unknown kind"):
            move(alice, bob, 15, key="k", kind=kind)


def test_overdraft_is_refused_with_a_readable_message(alice, bob):
    with pytest.raises(InsufficientCredit, match="Alice has 2 credits available"):
        move(alice, bob, 135, key="k")
    assert fresh(alice).balance == 120
    # Spending exactly everything is allowed.
    move(alice, bob, 120, key="k2")
    assert fresh(alice).available == 0


def test_the_pool_has_no_floor(make_member):
    for _ in range(3):
        make_member()
    assert services.pool_account().balance == -360


def test_hold_reserves_credits_until_posted(alice, bob):
    hold = place_hold(alice, bob, 90, by=bob.member)
    alice, bob = fresh(alice), fresh(bob)
    assert (alice.balance, alice.held, alice.available) == (120, 90, 30)
    assert (bob.balance, bob.incoming, bob.available) == (120, 90, 120)
    with pytest.raises(InsufficientCredit):
        move(alice, bob, 45)
    posted = services.hold_post(key="p", hold=hold, initiated_by=alice.member)
    assert posted.state == Transfer.State.POSTED
    assert posted.pending == hold
    alice, bob = fresh(alice), fresh(bob)
    assert (alice.balance, alice.held, alice.available) == (30, 0, 30)
    assert (bob.balance, bob.incoming) == (210, 0)
    assert verify_ledger().ok


def test_a_hold_cannot_exceed_what_is_available(alice, bob):
    with pytest.raises(InsufficientCredit):
        place_hold(alice, bob, 121)
    assert fresh(alice).held == 0


def test_posting_less_than_held_releases_the_rest(alice, bob):
    hold = place_hold(alice, bob, 90)
    services.hold_post(key="p", hold=hold, amount=60, initiated_by=None)
    alice = fresh(alice)
    assert (alice.balance, alice.held, alice.available) == (60, 0, 60)
    assert fresh(bob).balance == 180
    assert verify_ledger().ok


def test_posting_more_than_held_needs_the_difference_available(alice, bob):
    hold = place_hold(alice, bob, 60)
    with pytest.raises(InsufficientCredit):
        services.hold_post(key="p", hold=hold, amount=135, initiated_by=None)
    assert fresh(alice).held == 60
    services.hold_post(key="p2", hold=hold, amount=120, initiated_by=None)
    assert fresh(alice).available == 0
    assert fresh(bob).balance == 240


def test_void_releases_the_hold(alice, bob):
    hold = place_hold(alice, bob, 60)
    voided = services.hold_void(key="v", hold=hold, initiated_by=alice.member)
    assert voided.state == Transfer.State.VOIDED
    assert voided.amount == 60
    alice, bob = fresh(alice), fresh(bob)
    assert (alice.balance, alice.held, alice.available) == (120, 0, 120)
    assert (bob.balance, bob.incoming) == (120, 0)
    assert verify_ledger().ok


def test_a_hold_is_resolved_at_most_once(alice, bob):
    hold = place_hold(alice, bob, 60)
    services.hold_post(key="p", hold=hold, initiated_by=None)
    with pytest.raises(AlreadyResolved):
        services.hold_post(key="p-again", hold=hold, initiated_by=None)
    with pytest.raises(AlreadyResolved):
        services.hold_void(key="v", hold=hold, initiated_by=None)
    # The same request repeated (same key) returns the original, moving nothing.
    assert services.hold_post(key="p", hold=hold, initiated_by=None).key == "p"
    assert fresh(bob).balance == 180
    assert verify_ledger().ok


def test_only_a_hold_can_be_posted_or_voided(alice, bob):
    posted = move(alice, bob, 15)
    with pytest.raises(LedgerError, match="Only a hold"):
        services.hold_post(key="p", hold=posted, initiated_by=None)
    with pytest.raises(LedgerError, match="Only a hold"):
        services.hold_void(key="v", hold=posted, initiated_by=None)


def test_reversal_undoes_a_posted_transfer_once(alice, bob):
    transfer = move(alice, bob, 45)
    reversal = services.transfer_reverse(key="r", transfer=transfer, initiated_by=alice.member)
    assert reversal.kind == Transfer.Kind.REVERSAL
    assert (reversal.debit_account, reversal.credit_account) == (bob, alice)
    assert reversal.initiated_by == alice.member
    assert fresh(alice).balance == 120
    assert fresh(bob).balance == 120
    with pytest.raises(AlreadyResolved, match="already been reversed"):
        services.transfer_reverse(key="r2", transfer=transfer, initiated_by=None)
    assert services.transfer_reverse(key="r", transfer=transfer, initiated_by=None) == reversal
    with pytest.raises(LedgerError, match="cannot itself be reversed"):
        services.transfer_reverse(key="r3", transfer=reversal, initiated_by=None)
    assert verify_ledger().ok


def test_a_hold_cannot_be_reversed(alice, bob):
    hold = place_hold(alice, bob, 15)
    with pytest.raises(LedgerError, match="void a hold"):
        services.transfer_reverse(key="r", transfer=hold, initiated_by=None)


def test_reversal_is_refused_when_the_receiver_has_spent_the_credits(alice, bob, make_member):
    carol = make_member().account
    transfer = move(alice, bob, 60)
    move(bob, carol, 180, key="spend")
    with pytest.raises(InsufficientCredit):
        services.transfer_reverse(key="r", transfer=transfer, initiated_by=None)
    assert not Transfer.objects.filter(kind=Transfer.Kind.REVERSAL).exists()


def test_donation_to_a_member_and_to_the_pool(member, other_member):
    earn(member, 45)
    gift = services.donation_make(key="d1", donor=member, recipient=other_member, amount=30)
    assert gift.kind == Transfer.Kind.DONATION
    assert gift.initiated_by == member
    to_pool = services.donation_make(key="d2", donor=member, amount=15)
    assert to_pool.credit_account == services.pool_account()
    assert fresh(member.account).balance == 120
    assert fresh(other_member.account).balance == 150
    assert services.pool_account().balance == -270
    assert verify_ledger().ok


def test_donation_refusals(member, other_member):
    earn(member, 135)
    # Held for an exchange: earned, but not available.
    place_hold(member.account, other_member.account, 150)
    with pytest.raises(LedgerError, match="steps of 15"):
        services.donation_make(key="d", donor=member, recipient=other_member, amount=20)
    with pytest.raises(LedgerError, match="yourself"):
        services.donation_make(key="d", donor=member, recipient=member, amount=15)
    with pytest.raises(LedgerError, match=r"You can give 1\.75 credits") as refused:
        services.donation_make(key="d", donor=member, recipient=other_member, amount=135)
    assert refused.value.code == "not_donatable"
    with pytest.raises(LedgerError, match="more than zero"):
        services.donation_make(key="d", donor=member, recipient=other_member, amount=0)
    assert not Transfer.objects.filter(kind=Transfer.Kind.DONATION).exists()


def test_ceiling_keeps_credits_circulating(alice, bob):
    Account.objects.filter(pk=bob.pk).update(ceiling=150)
    bob = fresh(bob)
    move(alice, bob, 30)
    with pytest.raises(CeilingReached, match=r"cannot hold more than 2\.5"):
        place_hold(alice, bob, 15)
    assert fresh(bob).balance == 150


def test_new_accounts_take_floor_and_ceiling_from_settings(settings, make_member):
    settings.EQUITIME_BALANCE_FLOOR_MINUTES = -60
    settings.EQUITIME_BALANCE_CEILING_MINUTES = 600
    account = make_member().account
    assert (account.floor, account.ceiling) == (-60, 600)

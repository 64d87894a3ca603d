"""A hypothesis state machine throws random sequences of ledger operations,
valid and invalid, at the services and checks every invariant after each step.

A simple model in Python tracks what each account should hold; the database
must agree with it and with its own replay (``verify_ledger``) at every step.
"""

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import override_settings
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from equitime.core.errors import DomainError
from equitime.ledger import services
from equitime.ledger.errors import (
    AlreadyResolved,
    CeilingReached,
    IdempotencyConflict,
    InsufficientCredit,
    LedgerError,
)
from equitime.ledger.models import Account, Transfer
from equitime.ledger.verify import verify_ledger

amounts = st.integers(min_value=1, max_value=200)
bad_amounts = st.sampled_from([0, -1, -60, 1.5, None])
ceilings = st.one_of(st.none(), st.integers(min_value=120, max_value=480))


class LedgerMachine(RuleBasedStateMachine):
    """Members join (some with a balance ceiling), move credits, place holds
    and post or void them, reverse transfers, replay keys and leave; the model
    says which of these the ledger must refuse, and with which reason."""

    def __init__(self):
        super().__init__()
        # Each example runs in a savepoint, rolled back in teardown.
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        self.members = []  # account ids, in order of joining
        self.member_of = {}  # account id -> member
        self.balance: dict[int, int] = {}  # account id -> posted balance
        self.held: dict[int, int] = {}  # account id -> pending debits
        self.incoming: dict[int, int] = {}  # account id -> pending credits
        self.ceiling: dict[int, int | None] = {}
        self.closed: set[int] = set()
        self.used: dict[str, tuple] = {}  # transfer key -> the movement it was used for
        self.placed: dict[str, tuple] = {}  # hold key -> (debit, credit, amount, hold id)
        self.resolutions: dict[str, tuple] = {}  # post or void key -> (hold, amount, id)
        self.pending_holds: list[Transfer] = []
        self.resolved_holds: list[Transfer] = []
        self.posted: list[Transfer] = []
        self.reversed: list[Transfer] = []
        self.counter = 0
        self.pool = services.pool_account()
        self.balance[self.pool.pk] = self.pool.balance
        self.held[self.pool.pk] = self.incoming[self.pool.pk] = 0
        self.ceiling[self.pool.pk] = None

    def teardown(self):
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    def _key(self):
        self.counter += 1
        return f"sm-{self.counter}"

    def _available(self, account_id):
        return self.balance[account_id] - self.held[account_id]

    def _pair(self, data):
        a, b = data.draw(
            st.lists(st.sampled_from(self.members), min_size=2, max_size=2, unique=True)
        )
        return a, b

    def _open_members(self):
        return [pk for pk in self.members if pk not in self.closed]

    def _refusal(self, debit, credit, *, posted=0, pending=0) -> str | None:
        """The code of the refusal the ledger owes a new movement, or None.

        Closed accounts first, then the debit's floor (0 for members, none for
        the pool), then the credit's ceiling; both only when the movement adds
        to what is spent or held."""
        if debit in self.closed or credit in self.closed:
            return "account_closed"
        if posted + pending <= 0:
            return None
        if debit != self.pool.pk and self._available(debit) - posted - pending < 0:
            return InsufficientCredit.code
        ceiling = self.ceiling[credit]
        incoming_after = self.balance[credit] + posted + self.incoming[credit] + pending
        if ceiling is not None and incoming_after > ceiling:
            return CeilingReached.code
        return None

    @staticmethod
    def _attempt(expected: str | None, call):
        if expected is None:
            return call()
        with pytest.raises(LedgerError) as refusal:
            call()
        assert refusal.value.code == expected, refusal.value
        return None

    # --- Joining and leaving -------------------------------------------------

    @rule(ceiling=ceilings)
    def join(self, ceiling):
        n = len(self.members)
        with override_settings(EQUITIME_BALANCE_CEILING_MINUTES=ceiling):
            member, account = self._join(email=f"sm{n}@example.org")
        assert account.ceiling == ceiling
        self.members.append(account.pk)
        self.member_of[account.pk] = member
        self.balance[account.pk] = 120
        self.held[account.pk] = self.incoming[account.pk] = 0
        self.ceiling[account.pk] = ceiling
        self.balance[self.pool.pk] -= 120

    @staticmethod
    def _join(*, email: str):
        """A new owner's account with its welcome gift, as members join (the
        ledger knows them only as ``AUTH_USER_MODEL``)."""
        with transaction.atomic():
            member = get_user_model().objects.create_user(email=email, password=None)
            account = services.account_open(member=member)
            services.welcome_gift_give(member=member)
        return member, account

    @precondition(lambda self: self.members)
    @rule(data=st.data())
    def close(self, data):
        account = data.draw(st.sampled_from(self.members))
        member = self.member_of[account]
        if self.held[account] or self.incoming[account]:
            with pytest.raises(LedgerError) as refusal:
                services.account_close(member=member, initiated_by=None)
            assert refusal.value.code == "held"
            return
        services.account_close(member=member, initiated_by=None)
        self.balance[self.pool.pk] += self.balance[account]
        self.balance[account] = 0
        self.closed.add(account)

    # --- Moving credits --------------------------------------------------------

    @precondition(lambda self: len(self.members) >= 2)
    @rule(data=st.data(), amount=amounts)
    def transfer(self, data, amount):
        debit, credit = self._pair(data)
        key = self._key()
        transfer = self._attempt(
            self._refusal(debit, credit, posted=amount),
            lambda: services.transfer_create(
                key=key,
                kind=Transfer.Kind.BONUS,
                debit_account=Account.objects.get(pk=debit),
                credit_account=Account.objects.get(pk=credit),
                amount=amount,
                initiated_by=None,
            ),
        )
        if transfer is None:
            return
        self.balance[debit] -= amount
        self.balance[credit] += amount
        self.used[key] = (debit, credit, amount)
        self.posted.append(transfer)

    @precondition(lambda self: len(self.members) >= 2)
    @rule(data=st.data(), amount=amounts)
    def hold(self, data, amount):
        debit, credit = self._pair(data)
        key = self._key()
        hold = self._attempt(
            self._refusal(debit, credit, pending=amount),
            lambda: services.hold_place(
                key=key,
                kind=Transfer.Kind.BONUS,
                debit_account=Account.objects.get(pk=debit),
                credit_account=Account.objects.get(pk=credit),
                amount=amount,
                initiated_by=None,
            ),
        )
        if hold is None:
            return
        self.held[debit] += amount
        self.incoming[credit] += amount
        self.placed[key] = (debit, credit, amount, hold.pk)
        self.pending_holds.append(hold)

    def _resolved(self, hold):
        self.pending_holds.remove(hold)
        self.resolved_holds.append(hold)
        self.held[hold.debit_account_id] -= hold.amount
        self.incoming[hold.credit_account_id] -= hold.amount

    @precondition(lambda self: self.pending_holds)
    @rule(data=st.data(), change=st.integers(-60, 60))
    def post(self, data, change):
        hold = data.draw(st.sampled_from(self.pending_holds))
        amount = hold.amount + change
        debit, credit = hold.debit_account_id, hold.credit_account_id
        key = self._key()
        expected = (
            "invalid_amount"
            if amount <= 0
            else self._refusal(debit, credit, posted=amount, pending=-hold.amount)
        )
        transfer = self._attempt(
            expected,
            lambda: services.hold_post(key=key, hold=hold, amount=amount, initiated_by=None),
        )
        if transfer is None:
            return  # refused: the hold stays as it was
        self._resolved(hold)
        self.balance[debit] -= amount
        self.balance[credit] += amount
        self.resolutions[key] = (hold, amount, transfer.pk)
        self.posted.append(transfer)

    @precondition(lambda self: self.pending_holds)
    @rule(data=st.data())
    def void(self, data):
        hold = data.draw(st.sampled_from(self.pending_holds))
        key = self._key()
        voided = services.hold_void(key=key, hold=hold, initiated_by=None)
        self._resolved(hold)
        self.resolutions[key] = (hold, None, voided.pk)

    @precondition(lambda self: self.resolved_holds)
    @rule(data=st.data(), post_it=st.booleans())
    def resolve_a_hold_again(self, data, post_it):
        """A second post or void of a hold, with a new key, moves nothing."""
        hold = data.draw(st.sampled_from(self.resolved_holds))
        if post_it:
            closed = {hold.debit_account_id, hold.credit_account_id} & self.closed
            with pytest.raises(LedgerError) as refusal:
                services.hold_post(key=self._key(), hold=hold, initiated_by=None)
            assert refusal.value.code == ("account_closed" if closed else "already_resolved")
        else:
            with pytest.raises(AlreadyResolved):
                services.hold_void(key=self._key(), hold=hold, initiated_by=None)

    @precondition(lambda self: self.posted)
    @rule(data=st.data())
    def reverse(self, data):
        transfer = data.draw(st.sampled_from(self.posted))
        debit, credit = transfer.credit_account_id, transfer.debit_account_id
        reversal = self._attempt(
            self._refusal(debit, credit, posted=transfer.amount),
            lambda: services.transfer_reverse(
                key=self._key(), transfer=transfer, initiated_by=None
            ),
        )
        if reversal is None:
            return
        self.posted.remove(transfer)
        self.reversed.append(transfer)
        self.balance[debit] -= transfer.amount
        self.balance[credit] += transfer.amount

    @precondition(lambda self: self.reversed)
    @rule(data=st.data())
    def reverse_again(self, data):
        transfer = data.draw(st.sampled_from(self.reversed))
        closed = {transfer.debit_account_id, transfer.credit_account_id} & self.closed
        with pytest.raises(LedgerError) as refusal:
            services.transfer_reverse(key=self._key(), transfer=transfer, initiated_by=None)
        assert refusal.value.code == ("account_closed" if closed else "already_resolved")

    # --- Replayed keys: the first answer again, or a conflict; never a second move

    @precondition(lambda self: self.used)
    @rule(data=st.data(), same=st.booleans())
    def retry_with_a_used_key(self, data, same):
        key = data.draw(st.sampled_from(sorted(self.used)))
        debit, credit, amount = self.used[key]
        args = dict(
            key=key,
            kind=Transfer.Kind.BONUS,
            debit_account=Account.objects.get(pk=debit),
            credit_account=Account.objects.get(pk=credit),
            initiated_by=None,
        )
        if same:
            transfer = services.transfer_create(amount=amount, **args)
            assert transfer.key == key
        else:
            with pytest.raises(IdempotencyConflict):
                services.transfer_create(amount=amount + 15, **args)

    @precondition(lambda self: self.placed)
    @rule(data=st.data(), same=st.booleans())
    def replay_a_hold_key(self, data, same):
        key = data.draw(st.sampled_from(sorted(self.placed)))
        debit, credit, amount, hold_id = self.placed[key]
        args = dict(
            key=key,
            kind=Transfer.Kind.BONUS,
            debit_account=Account.objects.get(pk=debit),
            credit_account=Account.objects.get(pk=credit),
            initiated_by=None,
        )
        if same:
            assert services.hold_place(amount=amount, **args).pk == hold_id
        else:
            with pytest.raises(IdempotencyConflict):
                services.hold_place(amount=amount + 15, **args)

    @precondition(lambda self: self.resolutions)
    @rule(data=st.data(), same=st.booleans())
    def replay_a_post_or_void_key(self, data, same):
        key = data.draw(st.sampled_from(sorted(self.resolutions)))
        hold, amount, resolution_id = self.resolutions[key]
        if amount is None:  # a void: replayed as it was, or as a post
            if same:
                again = services.hold_void(key=key, hold=hold, initiated_by=None)
                assert again.pk == resolution_id
            else:
                with pytest.raises(IdempotencyConflict):
                    services.hold_post(key=key, hold=hold, initiated_by=None)
        elif same:
            again = services.hold_post(key=key, hold=hold, amount=amount, initiated_by=None)
            assert again.pk == resolution_id
        else:
            with pytest.raises(IdempotencyConflict):
                services.hold_post(key=key, hold=hold, amount=amount + 15, initiated_by=None)

    # --- Requests the ledger refuses whatever the balances ------------------------

    @precondition(lambda self: len(self.members) >= 2)
    @rule(data=st.data(), amount=bad_amounts)
    def invalid_amount(self, data, amount):
        debit, credit = self._pair(data)
        with pytest.raises(DomainError):
            services.transfer_create(
                key=self._key(),
                kind=Transfer.Kind.BONUS,
                debit_account=Account.objects.get(pk=debit),
                credit_account=Account.objects.get(pk=credit),
                amount=amount,
                initiated_by=None,
            )

    @precondition(lambda self: self.members)
    @rule(data=st.data())
    def to_self(self, data):
        account = Account.objects.get(pk=data.draw(st.sampled_from(self.members)))
        with pytest.raises(DomainError):
            services.transfer_create(
                key=self._key(),
                kind=Transfer.Kind.BONUS,
                debit_account=account,
                credit_account=account,
                amount=15,
                initiated_by=None,
            )

    @precondition(lambda self: self._open_members())
    @rule(data=st.data())
    def overdraft(self, data):
        debit = data.draw(st.sampled_from(self._open_members()))
        with pytest.raises(InsufficientCredit):
            services.transfer_create(
                key=self._key(),
                kind=Transfer.Kind.DONATION,
                debit_account=Account.objects.get(pk=debit),
                credit_account=self.pool,
                amount=self._available(debit) + 1,
                initiated_by=None,
            )

    @invariant()
    def database_agrees_with_the_model(self):
        for account in Account.objects.all():
            assert account.balance == self.balance[account.pk]
            assert account.held == self.held[account.pk]
            assert account.incoming == self.incoming[account.pk]
            assert account.ceiling == self.ceiling[account.pk]
            assert (account.closed_at is not None) == (account.pk in self.closed)
            if account.ceiling is not None:
                assert account.balance + account.incoming <= account.ceiling

    @invariant()
    def ledger_verifies(self):
        report = verify_ledger()
        assert report.ok, report.problems


@pytest.mark.django_db
def test_random_ledger_operations_keep_every_invariant():
    run_state_machine_as_test(
        LedgerMachine,
        settings=settings(
            max_examples=40,
            stateful_step_count=30,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )

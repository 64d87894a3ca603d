"""A hypothesis state machine throws random sequences of ledger operations,
valid and invalid, at the services and checks every invariant after each step.

A simple model in Python tracks what each account should hold; the database
must agree with it and with its own replay (``verify_ledger``) at every step.
"""

import pytest
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    consumes,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from equitime.core.errors import DomainError
from equitime.ledger import services
from equitime.ledger.errors import IdempotencyConflict, InsufficientCredit
from equitime.ledger.models import Account, Transfer
from equitime.ledger.verify import verify_ledger
from equitime.members.services import member_join

amounts = st.integers(min_value=1, max_value=200)
bad_amounts = st.sampled_from([0, -1, -60, 1.5, None])


class LedgerMachine(RuleBasedStateMachine):
    holds = Bundle("holds")
    posted = Bundle("posted")

    def __init__(self):
        super().__init__()
        # Each example runs in a savepoint, rolled back in teardown.
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        self.members = []
        self.balance: dict[int, int] = {}  # account id -> posted balance
        self.held: dict[int, int] = {}  # account id -> pending debits
        self.used: dict[str, tuple] = {}  # key -> the movement it was used for
        self.counter = 0
        self.pool = services.pool_account()
        self.balance[self.pool.pk] = self.pool.balance
        self.held[self.pool.pk] = 0

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

    @rule()
    def join(self):
        n = len(self.members)
        member = member_join(email=f"sm{n}@example.org", display_name=f"SM {n}", password=None)
        account = member.account
        self.members.append(account.pk)
        self.balance[account.pk] = 120
        self.held[account.pk] = 0
        self.balance[self.pool.pk] -= 120

    @precondition(lambda self: len(self.members) >= 2)
    @rule(target=posted, data=st.data(), amount=amounts)
    def transfer(self, data, amount):
        debit, credit = self._pair(data)
        key = self._key()
        try:
            transfer = services.transfer_create(
                key=key,
                kind=Transfer.Kind.BONUS,
                debit_account=Account.objects.get(pk=debit),
                credit_account=Account.objects.get(pk=credit),
                amount=amount,
                initiated_by=None,
            )
        except InsufficientCredit:
            assert amount > self._available(debit)
            return None
        assert amount <= self._available(debit)
        self.balance[debit] -= amount
        self.balance[credit] += amount
        self.used[key] = (debit, credit, amount)
        return transfer

    @precondition(lambda self: len(self.members) >= 2)
    @rule(target=holds, data=st.data(), amount=amounts)
    def hold(self, data, amount):
        debit, credit = self._pair(data)
        try:
            hold = services.hold_place(
                key=self._key(),
                kind=Transfer.Kind.BONUS,
                debit_account=Account.objects.get(pk=debit),
                credit_account=Account.objects.get(pk=credit),
                amount=amount,
                initiated_by=None,
            )
        except InsufficientCredit:
            assert amount > self._available(debit)
            return None
        self.held[debit] += amount
        return hold

    @rule(target=posted, hold=consumes(holds), change=st.integers(-60, 60))
    def post(self, hold, change):
        if hold is None:
            return None
        amount = hold.amount + change
        extra = amount - hold.amount
        debit, credit = hold.debit_account_id, hold.credit_account_id
        try:
            transfer = services.hold_post(
                key=self._key(), hold=hold, amount=amount, initiated_by=None
            )
        except DomainError as error:
            assert amount <= 0 or (
                isinstance(error, InsufficientCredit) and extra > self._available(debit)
            ), error
            return None
        self.held[debit] -= hold.amount
        self.balance[debit] -= amount
        self.balance[credit] += amount
        return transfer

    @rule(hold=consumes(holds))
    def void(self, hold):
        if hold is None:
            return
        services.hold_void(key=self._key(), hold=hold, initiated_by=None)
        self.held[hold.debit_account_id] -= hold.amount

    @rule(transfer=consumes(posted))
    def reverse(self, transfer):
        if transfer is None:
            return
        debit, credit = transfer.credit_account_id, transfer.debit_account_id
        try:
            services.transfer_reverse(key=self._key(), transfer=transfer, initiated_by=None)
        except InsufficientCredit:
            assert transfer.amount > self._available(debit)
            return
        self.balance[debit] -= transfer.amount
        self.balance[credit] += transfer.amount

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

    @precondition(lambda self: self.members)
    @rule(data=st.data())
    def overdraft(self, data):
        debit = data.draw(st.sampled_from(self.members))
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

"""The only writers of the ledger.

Every function here runs one short transaction that locks the accounts it
touches (``SELECT ... FOR UPDATE`` in id order on PostgreSQL; on SQLite the
IMMEDIATE transaction already holds the database's single write lock),
checks the rules, updates the accounts' running totals and inserts one
immutable ``Transfer``.

Each transfer carries an idempotency ``key``. Asking again with the same key
and the same movement returns the original transfer and moves nothing; the
same key with a different movement is refused. The movement is what the
ledger is asked to do: kind, state, accounts, amount and the hold or
transfer it refers to. The memo and who asked are not part of it, so a retry
by another process (or person) of the same request is still the same request.

The ledger knows members only as the owners of accounts (the
``AUTH_USER_MODEL``): whether a member may trade is for the callers
(exchanges, the donation page and API) to decide before they call.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from equitime.core.errors import ErrorKind
from equitime.core.rules import check_shared_text
from equitime.core.units import STEP_MINUTES, credits_text, is_step
from equitime.ledger.db_errors import Violation, violation
from equitime.ledger.errors import (
    AlreadyResolved,
    CeilingReached,
    IdempotencyConflict,
    InsufficientCredit,
    LedgerError,
)
from equitime.ledger.models import POOL_CODE, Account, Transfer
from equitime.ledger.selectors import account_donatable
from equitime.ledger.signals import adjustment_recorded, donation_made, transfer_reversed

if TYPE_CHECKING:
    # The member who owns an account or asks for a movement: django-stubs reads
    # this alias as settings.AUTH_USER_MODEL, so the ledger names no members app.
    from django.contrib.auth.models import _User as Owner

MAX_KEY_LENGTH = 128
# A key collision means another transaction inserted the same key first; one
# more pass finds its row and answers as a retry would.
_ATTEMPTS = 3


@dataclass(frozen=True)
class _Movement:
    """What a transfer does, as its row records it (the idempotent part)."""

    kind: str
    state: str
    debit_account_id: int
    credit_account_id: int
    amount: int
    pending_id: int | None = None
    reverses_id: int | None = None


# --- Accounts -----------------------------------------------------------------


def account_open(*, member: Owner) -> Account:
    """Open the member's account, or return it if it is already open."""
    account, _created = Account.objects.get_or_create(
        member=member,
        defaults={
            "kind": Account.Kind.MEMBER,
            "name": str(member),
            "floor": settings.EQUITIME_BALANCE_FLOOR_MINUTES,
            "ceiling": settings.EQUITIME_BALANCE_CEILING_MINUTES,
        },
    )
    return account


def pool_account() -> Account:
    """The community pool: funds welcome gifts and bonuses, receives donations."""
    account, _created = Account.objects.get_or_create(
        code=POOL_CODE,
        defaults={"kind": Account.Kind.SYSTEM, "name": "Community pool"},
    )
    return account


# --- Moving minutes -----------------------------------------------------------


def transfer_create(
    *,
    key: str,
    kind: str,
    debit_account: Account,
    credit_account: Account,
    amount: int,
    initiated_by: Owner | None,
    memo: str = "",
) -> Transfer:
    """Move ``amount`` minutes now (a posted transfer)."""
    _check_new_movement(kind=kind, debit=debit_account, credit=credit_account, amount=amount)
    movement = _Movement(
        kind=kind,
        state=Transfer.State.POSTED,
        debit_account_id=debit_account.pk,
        credit_account_id=credit_account.pk,
        amount=amount,
    )
    if kind != Transfer.Kind.ADJUSTMENT:
        return _record(key=key, movement=movement, initiated_by=initiated_by, memo=memo)[0]
    return _record_announced(
        key=key,
        movement=movement,
        initiated_by=initiated_by,
        memo=memo,
        announce=lambda adjustment: adjustment_recorded.send(
            sender=Transfer,
            adjustment=adjustment,
            debit_account=debit_account,
            credit_account=credit_account,
            initiated_by=initiated_by,
            memo=memo,
        ),
    )


def hold_place(
    *,
    key: str,
    kind: str,
    debit_account: Account,
    credit_account: Account,
    amount: int,
    initiated_by: Owner | None,
    memo: str = "",
    now: datetime | None = None,
) -> Transfer:
    """Set ``amount`` minutes aside (a pending transfer): the debit account can no
    longer spend them, the credit account does not have them yet. ``now``: when
    it happened (the clock unless given; the demo tells its history's moments)."""
    _check_new_movement(kind=kind, debit=debit_account, credit=credit_account, amount=amount)
    movement = _Movement(
        kind=kind,
        state=Transfer.State.PENDING,
        debit_account_id=debit_account.pk,
        credit_account_id=credit_account.pk,
        amount=amount,
    )
    return _record(key=key, movement=movement, initiated_by=initiated_by, memo=memo, now=now)[0]


def hold_post(
    *,
    key: str,
    hold: Transfer,
    initiated_by: Owner | None,
    amount: int | None = None,
    memo: str = "",
    now: datetime | None = None,
) -> Transfer:
    """Complete a hold: release it and post ``amount`` (the held amount unless
    given; more than was held only if the difference is available). ``now`` as
    for ``hold_place``."""
    held = _held(hold)
    amount = held.amount if amount is None else amount
    _check_amount(amount)
    movement = replace(held, state=Transfer.State.POSTED, amount=amount, pending_id=hold.pk)
    return _record(key=key, movement=movement, initiated_by=initiated_by, memo=memo, now=now)[0]


def hold_void(*, key: str, hold: Transfer, initiated_by: Owner | None, memo: str = "") -> Transfer:
    """Cancel a hold: the minutes become available to the debit account again."""
    held = _held(hold)
    movement = replace(held, state=Transfer.State.VOIDED, pending_id=hold.pk)
    return _record(key=key, movement=movement, initiated_by=initiated_by, memo=memo)[0]


def transfer_reverse(
    *,
    key: str,
    transfer: Transfer,
    initiated_by: Owner | None,
    memo: str = "",
    exchange_correction: bool = False,
) -> Transfer:
    """Undo a posted transfer with a new one the other way. At most once.

    An exchange's payment (the posted resolution of an exchange's hold) is
    reversed only by the exchanges' own correction
    (``exchange_reverse``, which says ``exchange_correction=True``), so the
    exchange's status, its timeline and both members follow the books."""
    recorded = _recorded(transfer.pk)
    if recorded.state != Transfer.State.POSTED:
        raise LedgerError(
            _("Only a posted transfer can be reversed; void a hold instead."),
            kind=ErrorKind.CONFLICT,
        )
    is_exchange_payment = (
        recorded.kind == Transfer.Kind.EXCHANGE and recorded.pending_id is not None
    )
    if is_exchange_payment and not exchange_correction:
        raise LedgerError(
            _(
                "This transfer pays for an exchange: reverse the exchange instead "
                "(Exchanges, “Reverse the payment”), so both members are told."
            ),
            code="exchange_transfer",
            kind=ErrorKind.CONFLICT,
        )
    if recorded.kind == Transfer.Kind.REVERSAL:
        raise LedgerError(
            _("A reversal cannot itself be reversed; make an adjustment instead."),
            kind=ErrorKind.CONFLICT,
        )
    movement = _Movement(
        kind=Transfer.Kind.REVERSAL,
        state=Transfer.State.POSTED,
        debit_account_id=recorded.credit_account_id,
        credit_account_id=recorded.debit_account_id,
        amount=recorded.amount,
        reverses_id=transfer.pk,
    )
    return _record_announced(
        key=key,
        movement=movement,
        initiated_by=initiated_by,
        memo=memo,
        announce=lambda reversal: transfer_reversed.send(
            sender=Transfer,
            transfer=transfer,
            reversal=reversal,
            initiated_by=initiated_by,
            memo=memo,
        ),
    )


def welcome_gift_give(*, member: Owner) -> Transfer:
    """Fund a new member's account from the community pool (once per member)."""
    return transfer_create(
        key=f"welcome-gift:{member.pk}",
        kind=Transfer.Kind.WELCOME_GIFT,
        debit_account=pool_account(),
        credit_account=account_open(member=member),
        amount=settings.EQUITIME_WELCOME_GIFT_MINUTES,
        initiated_by=member,
        memo=gettext_noop("Welcome to Equitime"),  # translated when shown
    )


def donation_make(
    *,
    key: str,
    donor: Owner,
    amount: int,
    recipient: Owner | None = None,
    memo: str = "",
) -> Transfer:
    """Give credits to another member, or to the community pool when no
    recipient is named. Amounts are whole quarter-hours.

    Whether the donor may trade at all is the caller's to check first."""
    check_shared_text(memo=memo)  # the recipient reads it
    _check_amount(amount)
    if not is_step(amount):
        raise LedgerError(
            _("Give credits in steps of %(step)s minutes.") % {"step": STEP_MINUTES},
            code="invalid_amount",
            kind=ErrorKind.INVALID,
        )
    if recipient is not None and recipient.pk == donor.pk:
        raise LedgerError(
            _("You cannot give credits to yourself."),
            code="same_account",
            kind=ErrorKind.INVALID,
            field="recipient",
        )
    debit_account = account_open(member=donor)
    credit_account = pool_account() if recipient is None else account_open(member=recipient)
    # A suspended member receives nothing (a closed account says so itself, below).
    if recipient is not None and not recipient.is_active and credit_account.closed_at is None:
        raise LedgerError(
            _("This member is not active."),
            code="inactive_member",
            kind=ErrorKind.CONFLICT,
            field="recipient",
        )
    with transaction.atomic():
        # Both accounts locked in id order, as the ledger's writer locks them,
        # so the donatable amount read here cannot change before the transfer:
        # two donations at once give no more than it between them.
        list(
            Account.objects.select_for_update()
            .filter(pk__in=[debit_account.pk, credit_account.pk])
            .order_by("pk")
            .values_list("pk")
        )
        # A retry of a donation already made answers with it (in the writer),
        # even though its minutes are no longer donatable.
        if not Transfer.objects.filter(key=key).exists():
            _check_donatable(Account.objects.get(pk=debit_account.pk), amount)
        _check_new_movement(
            kind=Transfer.Kind.DONATION, debit=debit_account, credit=credit_account, amount=amount
        )
        # Announced the first time only: a retry of the key tells the
        # recipient nothing twice (``ledger.signals``).
        return _record_announced(
            key=key,
            movement=_Movement(
                kind=Transfer.Kind.DONATION,
                state=Transfer.State.POSTED,
                debit_account_id=debit_account.pk,
                credit_account_id=credit_account.pk,
                amount=amount,
            ),
            initiated_by=donor,
            memo=memo,
            announce=lambda donation: donation_made.send(
                sender=Transfer, donation=donation, donor=donor, recipient=recipient
            ),
        )


def _check_donatable(account: Account, amount: int) -> None:
    donatable = account_donatable(account=account)
    if amount > donatable:
        raise LedgerError(
            _(
                "You can give %(amount)s. Only credits you earned by giving time can be "
                "given on: the welcome gift and credits given to you are for receiving "
                "time, not for giving away."
            )
            % {"amount": credits_text(donatable)},
            code="not_donatable",
            kind=ErrorKind.CONFLICT,
        )


def account_close(*, member: Owner, initiated_by: Owner | None) -> Account:
    """Close a leaving member's account: what they hold goes back to the
    community pool with one closing transfer, and the account takes no more.
    Holds must be released first (the exchanges that placed them are ended)."""
    account_open(member=member)
    with transaction.atomic():
        account = Account.objects.select_for_update().get(member=member)
        if account.pending_debits or account.pending_credits:
            raise LedgerError(
                _("Credits are still held for open exchanges; end them before closing."),
                code="held",
                kind=ErrorKind.CONFLICT,
            )
        if account.balance > 0:
            transfer_create(
                key=f"closing:{account.pk}",
                kind=Transfer.Kind.CLOSING,
                debit_account=account,
                credit_account=pool_account(),
                amount=account.balance,
                initiated_by=initiated_by,
                memo=gettext_noop("Account closed; credits returned to the community pool"),
            )
        Account.objects.filter(pk=account.pk, closed_at__isnull=True).update(
            closed_at=timezone.now(), name=_("Former member")
        )
    return Account.objects.get(pk=account.pk)


# --- The one writer -----------------------------------------------------------
#
# The write path is plain SQL on purpose: it runs for every movement of
# credits, and the ORM's statement building cost several times the database
# work (measured by `make bench-ledger`). The statements are exactly what
# the ORM would send; the CHECK constraints still guard every row, and a row
# they refuse is answered by the constraint it broke (`_refusal`).

# The transfer's columns, in the model's order: inserted, and loaded back
# into a Transfer by the model's own `from_db`.
_TRANSFER_COLUMNS = [f.attname for f in Transfer._meta.concrete_fields]


@dataclass(frozen=True)
class _Locked:
    """An account's limits and totals, as read under its row lock."""

    id: int
    name: str
    floor: int | None
    ceiling: int | None
    posted_debits: int
    posted_credits: int
    pending_debits: int
    pending_credits: int
    closed_at: datetime | None

    @property
    def balance(self) -> int:
        return self.posted_credits - self.posted_debits

    @property
    def available(self) -> int:
        return self.balance - self.pending_debits


class _Statements:
    """The ledger's SQL for one database vendor, quoted once."""

    def __init__(self, connection: BaseDatabaseWrapper) -> None:
        q = connection.ops.quote_name
        account, transfer = q(Account._meta.db_table), q(Transfer._meta.db_table)
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        self.lock = (
            f"SELECT id, name, floor, ceiling, posted_debits, posted_credits, pending_debits, "
            f"pending_credits, closed_at FROM {account} WHERE id IN (%s, %s) ORDER BY id{lock}"
        )
        movement = (
            "kind, state, debit_account_id, credit_account_id, amount, pending_id, reverses_id"
        )
        self.find = f"SELECT id, {movement} FROM {transfer} WHERE {q('key')} = %s"
        self.recorded = f"SELECT {movement} FROM {transfer} WHERE id = %s"
        self.hold = (
            f"SELECT amount, EXISTS(SELECT 1 FROM {transfer} r WHERE r.pending_id = h.id) "
            f"FROM {transfer} h WHERE h.id = %s"
        )
        self.reversed = f"SELECT 1 FROM {transfer} WHERE reverses_id = %s"
        self.debit = (
            f"UPDATE {account} SET posted_debits = posted_debits + %s, "
            f"pending_debits = pending_debits + %s WHERE id = %s"
        )
        self.credit = (
            f"UPDATE {account} SET posted_credits = posted_credits + %s, "
            f"pending_credits = pending_credits + %s WHERE id = %s"
        )
        self.returning = connection.features.can_return_columns_from_insert
        inserted = _TRANSFER_COLUMNS[1:]  # all but the id
        self.insert = (
            f"INSERT INTO {transfer} ({', '.join(q(c) for c in inserted)}) "
            f"VALUES ({', '.join(['%s'] * len(inserted))})"
            + (" RETURNING id" if self.returning else "")
        )


_statements: dict[str, _Statements] = {}


def _sql() -> _Statements:
    if connection.vendor not in _statements:
        _statements[connection.vendor] = _Statements(connection)
    return _statements[connection.vendor]


def _find(key: str) -> tuple[int, _Movement] | None:
    with connection.cursor() as cursor:
        cursor.execute(_sql().find, [key])
        row = cursor.fetchone()
    if row is None:
        return None
    return row[0], _Movement(*row[1:])


def _recorded(transfer_id: int) -> _Movement:
    """What the transfer does as its row says, whatever the caller's object
    holds. Rows never change (the database refuses it), so this needs no lock."""
    with connection.cursor() as cursor:
        cursor.execute(_sql().recorded, [transfer_id])
        row = cursor.fetchone()
    if row is None:
        raise LedgerError(
            _("There is no such transfer."), code="not_found", kind=ErrorKind.NOT_FOUND
        )
    return _Movement(*row)


def _held(hold: Transfer) -> _Movement:
    held = _recorded(hold.pk)
    if held.state != Transfer.State.PENDING:
        raise LedgerError(
            _("Only a hold can be posted or voided."), code="not_a_hold", kind=ErrorKind.CONFLICT
        )
    return held


def _record_announced(
    *,
    key: str,
    movement: _Movement,
    initiated_by: Owner | None,
    memo: str,
    announce: Callable[[Transfer], object],
) -> Transfer:
    """Record, and announce it (``ledger.signals``) in the same transaction the
    first time only: a replay of the key is the same action, not a new one."""
    with transaction.atomic():
        transfer, created = _record(
            key=key, movement=movement, initiated_by=initiated_by, memo=memo
        )
        if created:
            announce(transfer)
    return transfer


def _record(
    *,
    key: str,
    movement: _Movement,
    initiated_by: Owner | None,
    memo: str,
    now: datetime | None = None,
) -> tuple[Transfer, bool]:
    """The transfer for ``key``, and whether it is new (False: a replay)."""
    _check_key(key)
    for _attempt in range(_ATTEMPTS):
        found = _find(key)
        if found is not None:
            return _replay(found, movement), False
        try:
            with transaction.atomic():
                return _apply(
                    key=key, movement=movement, initiated_by=initiated_by, memo=memo, now=now
                ), True
        except IntegrityError as error:
            # The checks in _apply answer every rule first; reaching here means
            # a concurrent writer won a race, or the database caught a bug.
            refused = violation(error)
            if refused == _KEY_TAKEN:
                continue  # another writer recorded this key: answer as a retry
            refusal = _REFUSALS.get(refused) if refused else None
            if refusal is None:
                raise
            raise refusal() from error
    raise LedgerError(
        _("The ledger is busy; please try again."),
        code="busy",
        kind=ErrorKind.CONFLICT,
        retryable=True,
    )  # pragma: no cover


def _apply(
    *,
    key: str,
    movement: _Movement,
    initiated_by: Owner | None,
    memo: str,
    now: datetime | None = None,
) -> Transfer:
    sql = _sql()
    with connection.cursor() as cursor:
        # Lock in id order, so two transfers between the same accounts never deadlock.
        cursor.execute(sql.lock, sorted((movement.debit_account_id, movement.credit_account_id)))
        accounts = {row[0]: _Locked(*row) for row in cursor.fetchall()}
        debit = accounts[movement.debit_account_id]
        credit = accounts[movement.credit_account_id]
        # Releasing a hold (void) is still allowed, so closing can undo holds first.
        if (debit.closed_at or credit.closed_at) and movement.state != Transfer.State.VOIDED:
            raise LedgerError(
                _("This account is closed; no credits can move in or out of it."),
                code="account_closed",
                kind=ErrorKind.CONFLICT,
            )

        # Deltas to the running totals of each side.
        posted = pending = 0
        if movement.state == Transfer.State.PENDING:
            pending = movement.amount
        elif movement.state == Transfer.State.POSTED:
            posted = movement.amount
        if movement.pending_id is not None:
            cursor.execute(sql.hold, [movement.pending_id])
            held_amount, resolved = cursor.fetchone()
            if resolved:
                raise _hold_resolved()
            pending = -held_amount
        if movement.reverses_id is not None:
            cursor.execute(sql.reversed, [movement.reverses_id])
            if cursor.fetchone():
                raise _transfer_reversed()

        _check_limits(
            debit=debit, credit=credit, posted=posted, pending=pending, reader=initiated_by
        )

        cursor.execute(sql.debit, [posted, pending, debit.id])
        cursor.execute(sql.credit, [posted, pending, credit.id])
        row: dict[str, Any] = {
            "key": key,
            "kind": movement.kind,
            "state": movement.state,
            "debit_account_id": movement.debit_account_id,
            "credit_account_id": movement.credit_account_id,
            "amount": movement.amount,
            "pending_id": movement.pending_id,
            "reverses_id": movement.reverses_id,
            "initiated_by_id": initiated_by.pk if initiated_by is not None else None,
            "memo": memo[:200],
            "created_at": now or timezone.now(),
        }
        adapt = connection.ops.adapt_datetimefield_value
        cursor.execute(
            sql.insert,
            [adapt(row[c]) if c == "created_at" else row[c] for c in _TRANSFER_COLUMNS[1:]],
        )
        row["id"] = cursor.fetchone()[0] if sql.returning else cursor.lastrowid
    # The row as written, loaded the way a query loads one.
    return Transfer.from_db(
        connection.alias, _TRANSFER_COLUMNS, [row[c] for c in _TRANSFER_COLUMNS]
    )


# --- Refusals -----------------------------------------------------------------


def _hold_resolved() -> LedgerError:
    return AlreadyResolved(_("This hold has already been posted or voided."))


def _transfer_reversed() -> LedgerError:
    return AlreadyResolved(_("This transfer has already been reversed."))


def _not_enough() -> LedgerError:
    return InsufficientCredit(_("There are not enough credits available."))


def _too_much() -> LedgerError:
    return CeilingReached(_("This account cannot hold so many credits."))


_KEY_TAKEN = Violation(columns=("key",))
# What a refused row means, by the constraint it broke (ledger/models.py):
# the answer the checks in _apply give, had they seen the other writer's row.
_REFUSALS: dict[Violation, Callable[[], LedgerError]] = {
    Violation(columns=("pending_id",)): _hold_resolved,
    Violation(columns=("reverses_id",)): _transfer_reversed,
    Violation(name="account_available_at_or_above_floor"): _not_enough,
    Violation(name="account_incoming_at_or_below_ceiling"): _too_much,
}


def _check_limits(
    *, debit: _Locked, credit: _Locked, posted: int, pending: int, reader: Owner | None
) -> None:
    """Refuse a movement beyond an account's floor or ceiling, told to
    ``reader`` (who asked for it): "you" for their own account."""
    available_after = debit.available - posted - pending
    if debit.floor is not None and available_after < debit.floor and (posted + pending) > 0:
        figures = {
            "available": credits_text(debit.available - debit.floor),
            "amount": credits_text(posted + pending),
        }
        owner = _owner(debit)
        if reader is not None and owner is not None and owner.pk == reader.pk:
            message = _("You have %(available)s available, which is not enough for %(amount)s.")
        else:
            message = _("%(name)s has %(available)s available, which is not enough for %(amount)s.")
            figures["name"] = str(owner) if owner is not None else debit.name
        raise InsufficientCredit(message % figures)
    incoming_after = credit.balance + posted + credit.pending_credits + pending
    if credit.ceiling is not None and incoming_after > credit.ceiling and (posted + pending) > 0:
        owner = _owner(credit)
        figures = {"ceiling": credits_text(credit.ceiling)}
        if reader is not None and owner is not None and owner.pk == reader.pk:
            message = _("You cannot hold more than %(ceiling)s.")
        else:
            message = _("%(name)s cannot hold more than %(ceiling)s.")
            figures["name"] = str(owner) if owner is not None else credit.name
        raise CeilingReached(message % figures)


def _owner(account: _Locked) -> Owner | None:
    """The account's member, for a refusal message (a rare path); None for a
    system account."""
    return Account.objects.select_related("member").get(pk=account.id).member


def _replay(found: tuple[int, _Movement], movement: _Movement) -> Transfer:
    transfer_id, recorded = found
    if recorded != movement:
        raise IdempotencyConflict(
            _(
                "This request key was already used for a different transfer. "
                "Use a new key for a new transfer."
            )
        )
    return Transfer.objects.get(pk=transfer_id)


# --- Input checks -------------------------------------------------------------


def _check_key(key: str) -> None:
    if not isinstance(key, str) or not key.strip() or len(key) > MAX_KEY_LENGTH:
        raise LedgerError(
            _("A transfer needs a request key of 1 to %(n)s characters.") % {"n": MAX_KEY_LENGTH},
            code="invalid_key",
            kind=ErrorKind.CONFLICT,
        )


def _check_amount(amount: int) -> None:
    if not isinstance(amount, int) or isinstance(amount, bool):
        raise LedgerError(
            _("Amounts are whole minutes."), code="invalid_amount", kind=ErrorKind.INVALID
        )
    if amount <= 0:
        raise LedgerError(
            _("The amount must be more than zero."), code="invalid_amount", kind=ErrorKind.INVALID
        )


def _check_new_movement(*, kind: str, debit: Account, credit: Account, amount: int) -> None:
    _check_amount(amount)
    if kind not in Transfer.Kind.values or kind == Transfer.Kind.REVERSAL:
        raise LedgerError(
            _("Unknown kind of transfer."), code="invalid_kind", kind=ErrorKind.INVALID
        )
    if debit.pk == credit.pk:
        raise LedgerError(
            _("Credits cannot move from an account to itself."),
            code="same_account",
            kind=ErrorKind.INVALID,
        )

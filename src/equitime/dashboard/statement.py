"""The member's statement: each ledger row as its reader sees it.

The ledger records a movement once, from the debit account to the credit
account; the two members on either side read it differently ("You paid Tom 1
credit", "Ben paid you 1 credit"). ``statement_row`` words one transfer for one
reader, the owner of ``account``, from the rows ``ledger.selectors.
statement_for_member`` gives: every amount signed (a real minus sign, with
words for a screen reader), a hold said to be held, not spent, and its
release said to come back to them.

    kind      state    side what the reader reads                       amount
    exchange  pending  out  1 credit held for your exchange with Tom     -1 held
    exchange  voided   out  Hold released back to you: ... with Tom      +1 released
    exchange  posted   out  You paid 1 credit to Tom for your exchange   -1
    exchange  posted   in   You received 1 credit from Ben for ...       +1
    donation  posted   in   Ben gave you 1 credit                        +1
    group     pending  out  0.33 credits held for your place in a ...    -0.33 held
    group     posted   in   You earned 1 credit for your group session,  +1
                            from the community pool

(The page shows a true minus sign, U+2212, where this table has a hyphen.)
A hold on someone else's credits in the reader's favour is never on their
statement (the selector leaves it off), so no row here speaks of it.
"""

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from equitime.core.units import credits_figure, credits_text
from equitime.ledger.models import POOL_CODE, Account, Transfer

MINUS = "\N{MINUS SIGN}"


@dataclass(frozen=True)
class StatementRow:
    transfer: Transfer
    what: str  # the movement in the reader's words
    exchange: Any  # the exchange it belongs to, for a link; None otherwise
    detail: str  # the note or reason, when no exchange title says it
    held: bool  # a hold on the reader's credits that is still held
    ended: bool  # a hold that was later paid or released (the rows after it say how)
    reversed: bool  # a posted transfer later undone by a reversal
    sign: str  # "+" or MINUS
    figure: str  # "1.5"
    note: str  # "held", "released" or ""
    spoken: str  # the amount in words, for screen readers: "minus 1 credit, held"

    @property
    def incoming(self) -> bool:
        return self.sign == "+"

    @property
    def hold(self) -> bool:
        """A hold, held still or ended: credits set aside, not spent."""
        return self.transfer.state == Transfer.State.PENDING

    @property
    def release(self) -> bool:
        """A hold's release: the credits set aside are the reader's to spend again."""
        return self.transfer.state == Transfer.State.VOIDED


# Memos the code writes (in English, ledger.services): shown in the reader's
# language. A member's memo (a donation's) is shown as they wrote it.
CODE_WRITES_MEMO = {Transfer.Kind.WELCOME_GIFT, Transfer.Kind.CLOSING}


def memo_shown(transfer: Transfer) -> str:
    return (
        _(transfer.memo) if transfer.kind in CODE_WRITES_MEMO and transfer.memo else transfer.memo
    )


def statement_row(transfer: Transfer, *, account: Account) -> StatementRow:
    """``transfer`` as the owner of ``account`` reads it on their statement."""
    incoming = transfer.credit_account_id == account.pk
    other = transfer.debit_account if incoming else transfer.credit_account
    figures = {"amount": credits_text(transfer.amount), "name": _party(other)}
    exchange = _exchange(transfer)
    what = _what(transfer, incoming=incoming, figures=figures)
    state = transfer.state
    # A hold and its release move what the reader may spend, not their balance:
    # the sign says which way, the note says it is not spending.
    if state == Transfer.State.PENDING:
        note = _("held")
        sign = "+" if incoming else MINUS
    elif state == Transfer.State.VOIDED:
        note = _("released")
        sign = MINUS if incoming else "+"
    else:
        note = ""
        sign = "+" if incoming else MINUS
    spoken_sign = _("plus") if sign == "+" else _("minus")
    spoken = f"{spoken_sign} {credits_text(transfer.amount)}" + (f", {note}" if note else "")
    resolved = state == Transfer.State.PENDING and hasattr(transfer, "resolution")
    return StatementRow(
        transfer=transfer,
        what=what,
        exchange=exchange,
        detail=""
        if exchange is not None and transfer.kind == Transfer.Kind.EXCHANGE
        else memo_shown(transfer),
        held=state == Transfer.State.PENDING and not resolved,
        ended=resolved,
        reversed=state == Transfer.State.POSTED and hasattr(transfer, "reversal"),
        sign=sign,
        figure=credits_figure(transfer.amount),
        note=note,
        spoken=spoken,
    )


def _party(account: Account) -> str:
    """The other side, as a sentence names it."""
    if account.member is not None:
        return str(account.member.display_name)
    if account.code == POOL_CODE:
        return _("the community pool")
    return account.name


def _exchange(transfer: Transfer) -> Any:
    """The exchange a hold, its release, its payment or the payment's reversal
    belongs to (reverse one-to-ones the view selects; None for the rest)."""
    for source, name in (
        (transfer, "exchange_held"),
        (transfer, "exchange_paid"),
        (transfer.pending, "exchange_held"),
        (transfer.reverses, "exchange_paid"),
    ):
        exchange = getattr(source, name, None) if source is not None else None
        if exchange is not None:
            return exchange
    return None


def _what(transfer: Transfer, *, incoming: bool, figures: dict[str, str]) -> str:
    kind, state = transfer.kind, transfer.state
    if kind == Transfer.Kind.EXCHANGE:
        if state == Transfer.State.PENDING:
            if incoming:  # never on a statement (see the module docstring)
                return _("%(amount)s held by %(name)s for your exchange") % figures
            return _("%(amount)s held for your exchange with %(name)s") % figures
        if state == Transfer.State.VOIDED:
            if incoming:  # never on a statement either
                return _("%(name)s's hold for your exchange was released") % figures
            return _("Hold released back to you: %(amount)s from your exchange with %(name)s") % (
                figures
            )
        if incoming:
            return _("You received %(amount)s from %(name)s for your exchange") % figures
        return _("You paid %(amount)s to %(name)s for your exchange") % figures
    if kind == Transfer.Kind.GROUP_SESSION:
        return _group_session(state, incoming=incoming, figures=figures)
    # Every other kind: one sentence for money in, one for money out.
    incoming_words, outgoing_words = _WORDS.get(kind, _OTHER_KIND)
    return str(incoming_words if incoming else outgoing_words) % figures


def _group_session(state: str, *, incoming: bool, figures: dict[str, str]) -> str:
    """A group session's place (held, released, paid) or the organiser's pay;
    the session's title is the row's detail (the transfer's memo)."""
    if state == Transfer.State.PENDING:
        return _("%(amount)s held for your place in a group session run by %(name)s") % figures
    if state == Transfer.State.VOIDED:
        return _("Hold released back to you: %(amount)s for your place in a group session") % (
            figures
        )
    if incoming:
        return _("You earned %(amount)s for your group session, from %(name)s") % figures
    return _("You paid %(amount)s to %(name)s for your place in a group session") % figures


# What a movement of each kind says, into the reader's account and out of it.
_WORDS: dict[str, tuple[Any, Any]] = {
    Transfer.Kind.DONATION: (
        gettext_lazy("%(name)s gave you %(amount)s"),
        gettext_lazy("You gave %(amount)s to %(name)s"),
    ),
    Transfer.Kind.WELCOME_GIFT: (
        gettext_lazy("Your welcome gift: %(amount)s from %(name)s"),
        gettext_lazy("Welcome gift of %(amount)s to %(name)s"),
    ),
    Transfer.Kind.BONUS: (
        gettext_lazy("A bonus of %(amount)s from %(name)s"),
        gettext_lazy("A bonus of %(amount)s to %(name)s"),
    ),
    Transfer.Kind.ADJUSTMENT: (
        gettext_lazy("Correction: %(amount)s added to your account"),
        gettext_lazy("Correction: %(amount)s taken from your account"),
    ),
    Transfer.Kind.REVERSAL: (
        gettext_lazy("Reversed: %(amount)s back to you from %(name)s"),
        gettext_lazy("Reversed: %(amount)s returned to %(name)s"),
    ),
    Transfer.Kind.CLOSING: (
        gettext_lazy("%(amount)s from a closed account"),
        gettext_lazy("Account closed: %(amount)s returned to %(name)s"),
    ),
}
# A kind added to the ledger and not yet worded here.
_OTHER_KIND = (gettext_lazy("%(amount)s from %(name)s"), gettext_lazy("%(amount)s to %(name)s"))

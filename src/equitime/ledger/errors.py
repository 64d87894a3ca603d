"""Why the ledger refused: each carries a message a member can act on.

A plain ``LedgerError`` says its kind where it is raised; the subclasses are
all refusals by the state of the books (409)."""

from equitime.core.errors import DomainError, ErrorKind


class LedgerError(DomainError):
    code = "ledger_refused"


class InsufficientCredit(LedgerError):
    code = "insufficient_credit"
    kind = ErrorKind.CONFLICT


class CeilingReached(LedgerError):
    code = "ceiling_reached"
    kind = ErrorKind.CONFLICT


class IdempotencyConflict(LedgerError):
    code = "idempotency_conflict"
    kind = ErrorKind.CONFLICT


class AlreadyResolved(LedgerError):
    code = "already_resolved"
    kind = ErrorKind.CONFLICT

"""Why the ledger refused: each carries a message a member can act on."""

from equitime.core.errors import DomainError


class LedgerError(DomainError):
    code = "ledger_refused"


class InsufficientCredit(LedgerError):
    code = "insufficient_credit"


class CeilingReached(LedgerError):
    code = "ceiling_reached"


class IdempotencyConflict(LedgerError):
    code = "idempotency_conflict"


class AlreadyResolved(LedgerError):
    code = "already_resolved"

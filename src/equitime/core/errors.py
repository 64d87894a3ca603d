"""The one exception type for a broken business rule.

Services raise ``DomainError`` (or a subclass) with a message a person can
read and act on, the kind of failure it is, and, where it is about one thing
the person wrote, the field. A page puts the message next to that field
(``add_domain_error``); the API answers with the status the kind stands for
(``equitime.api.problems``). It never becomes a 500.

Every raise says its kind: ``DomainError(msg, kind=ErrorKind.INVALID, code=...)``,
or raises a subclass that declares one; tests/test_errors.py reads the
source to hold every raise to it, so no new refusal silently becomes a 409.
"""

from enum import StrEnum


class ErrorKind(StrEnum):
    """What kind of failure: what the person can do about it."""

    INVALID = "invalid"  # what was written breaks a rule: change the request (422)
    FORBIDDEN = "forbidden"  # this person may not do this (403)
    NOT_FOUND = "not_found"  # no such thing, or not theirs to see (404)
    CONFLICT = "conflict"  # the state of things refuses it now (409)


class DomainError(Exception):
    """A business rule refused the request. ``message`` is shown to the person.

    ``field`` names the argument (the form or API field) it is about, if one;
    ``retryable`` says whether the same request, sent again unchanged, can
    succeed (a busy ledger), rather than something having to change first.
    """

    code = "refused"
    kind: ErrorKind | None = None
    retryable = False

    def __init__(
        self,
        message: str,
        *,
        kind: ErrorKind | None = None,
        code: str | None = None,
        field: str | None = None,
        retryable: bool | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if kind is not None:
            self.kind = ErrorKind(kind)
        if code:
            self.code = code
        self.field = field
        if retryable is not None:
            self.retryable = retryable

    def __str__(self) -> str:
        return str(self.message)


def add_domain_error(form, error: DomainError, *, fields: dict[str, str] | None = None) -> None:
    """Show a refusal on a page's form: next to its field when the form has
    it (``fields`` renames a service's name for it to the form's), else on top."""
    field = (fields or {}).get(error.field, error.field) if error.field else None
    form.add_error(field if field in form.fields else None, error.message)

"""The one exception type for a broken business rule.

Services raise ``DomainError`` (or a subclass) with a message a person can
read and act on. Views turn it into a form error or a message; later the API
turns it into a problem response. It never becomes a 500.
"""


class DomainError(Exception):
    """A business rule refused the request. ``message`` is shown to the person."""

    code = "refused"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code

    def __str__(self) -> str:
        return str(self.message)

"""Why an export cannot be had: the page shows the message, the API answers
with the status (``ExportGone`` is 410: it was there and will not be again)."""

from equitime.core.errors import DomainError, ErrorKind


class ExportError(DomainError):
    kind = ErrorKind.CONFLICT


class ExportNotReady(ExportError):
    code = "export_not_ready"


class ExportGone(ExportError):
    code = "export_expired"

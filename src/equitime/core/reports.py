"""The port through which apps below moderation ask a moderator to read something.

Listings sit below moderation, yet a listing whose words may be payment
(``core.rules.money_unclear``) is published and put in the moderation queue
as an automatic report. Listings call ``report_unclear_money`` here, which
knows no app: the moderation app puts its service behind it when Django
starts (``ModerationConfig.ready``), as notifications do for ``core.notices``.
"""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ImproperlyConfigured

_report: Callable[..., Any] | None = None


def report_with(service: Callable[..., Any]) -> None:
    """Put ``service`` behind ``report_unclear_money`` (the moderation app does)."""
    global _report
    _report = service


def report_unclear_money(*, listing, field: str, phrase: str) -> Any:
    """Ask a moderator to read ``phrase`` in ``listing``'s ``field``: it may be payment."""
    if _report is None:
        raise ImproperlyConfigured("Nothing reports: is equitime.moderation installed?")
    return _report(listing=listing, field=field, phrase=phrase)

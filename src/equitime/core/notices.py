"""Anything may notify: the port through which apps below notifications tell people.

Notifications point at exchanges and listings, so the notifications app sits
above them; exchanges and listings still tell members what happened. They
call ``notify`` here, which knows no app: the notifications app puts its own
service behind it when Django starts (``NotificationsConfig.ready``), and the
call then runs in the caller's transaction as a direct call would. Apps above
notifications import its service directly.

``seen`` is the same kind of port the other way: a member who opens or acts
on an exchange has seen what they were told about it.
"""

from collections.abc import Callable, Mapping
from typing import Any

from django.core.exceptions import ImproperlyConfigured

_notify: Callable[..., Any] | None = None
_seen: Callable[..., int] | None = None


def notify_with(service: Callable[..., Any]) -> None:
    """Put ``service`` behind ``notify`` (the notifications app does, at start-up)."""
    global _notify
    _notify = service


def seen_with(service: Callable[..., int]) -> None:
    """Put ``service`` behind ``seen`` (the notifications app does, at start-up)."""
    global _seen
    _seen = service


def notify(
    *,
    recipient,
    kind: str,
    params: Mapping[str, Any],
    variant: str = "",
    url: str = "",
    exchange=None,
    listing=None,
    email: bool = True,
) -> Any:
    """Tell ``recipient`` something, of ``kind`` (a ``Notification.Kind`` value),
    about an exchange or a listing; ``email=False`` keeps it in the app only.
    What happened is stored, not words: ``variant`` names which of the kind's
    sentences says it and ``params`` (plain values: names and titles, ids,
    instants, minutes) fill it (``notifications.messages``); each reader reads it
    in their own language. Returns the notification made."""
    if _notify is None:
        raise ImproperlyConfigured("Nothing notifies: is equitime.notifications installed?")
    return _notify(
        recipient=recipient,
        kind=kind,
        params=params,
        variant=variant,
        url=url,
        exchange=exchange,
        listing=listing,
        email=email,
    )


def recorded_variant(variant: str) -> str:
    """The variant of an exchange's sentence that adds "(Recorded by the
    coordinator ...)": a coordinator keyed it in for their colleague, whose
    name goes in the params as ``coordinator``."""
    return f"{variant}_recorded" if variant else "recorded"


def seen(*, member, exchange) -> int:
    """``member`` has seen ``exchange``: what they were told about it is read.
    Returns how many notifications that marked read."""
    if _seen is None:
        raise ImproperlyConfigured("Nothing notifies: is equitime.notifications installed?")
    return _seen(member=member, exchange=exchange)

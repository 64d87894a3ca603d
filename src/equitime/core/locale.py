"""Languages: which one a member reads Equitime in, and speaking to them in it.

A member chooses their language in their profile (``Profile.language``); pages
follow it (``members.middleware``), and so does everything written to them
while they are away: e-mails, the digest, reminders and notifications rendered
when they are read (``speaking_to``). With no choice made, a member reads the
community's ``LANGUAGE_CODE``; a visitor reads what the language switcher set
in their cookie, else what their browser asks for (Django's ``LocaleMiddleware``).

Duck-typed like ``core.zones.zone_of``, so core names no app.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.utils import timezone, translation

from equitime.core.zones import zone_of

LANGUAGE_CODES = frozenset(code for code, _name in settings.LANGUAGES)


def language_known(code: str | None) -> str:
    """``code`` when Equitime speaks it, else the community's language."""
    return code if code in LANGUAGE_CODES else settings.LANGUAGE_CODE


def language_offered(code: str | None) -> str:
    """``code`` when Equitime speaks it, else "" (a choice not made)."""
    return code if code in LANGUAGE_CODES else ""


def language_chosen(member: object | None) -> str:
    """The language ``member`` chose in their profile, or "" when they have not."""
    profile = getattr(member, "profile", None) if member is not None else None
    return language_offered(getattr(profile, "language", "") or "")


def language_of(member: object | None) -> str:
    """The language to write to ``member`` in: their choice, else the community's."""
    return language_chosen(member) or settings.LANGUAGE_CODE


@contextmanager
def speaking_to(member: object | None) -> Iterator[str]:
    """Within: gettext speaks ``member``'s language and dates read in their zone.

    For what is written to a member outside a request of theirs (an e-mail,
    the digest, a reminder); yields the language code."""
    language = language_of(member)
    with translation.override(language), timezone.override(zone_of(member)):
        yield language

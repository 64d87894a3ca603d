"""How long each kind of personal data is kept: the one reading of ``EQUITIME_RETENTION``.

    settings.EQUITIME_RETENTION ──> retention_days("messages")   the services that purge
                                └─> retention_periods()          the privacy notice, the data map

Settings count in days; people are told in years and months ("2 years", not
"730 days": ``core.durations.days_period``), and each period's ``then`` says
"this long", whatever the unit.

Every purge (``<app>/retention.py``, applied together by ``equitime
apply_retention``) and every page that tells members how long their data is
kept reads its period here, so the two cannot disagree. A period must be a
whole number of days above zero: a bad value refuses to run rather than
deleting everything at once or nothing for ever.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# An erased member keeps a row whose address is former-member-<id>@ERASED_DOMAIN
# (privacy.services), a reserved domain no mail reaches: the purges of records
# kept beside members (their API tokens) know an erased member by it.
ERASED_DOMAIN = "erased.invalid"


@dataclass(frozen=True)
class Period:
    """One kind of data, how long it is kept, and what happens then."""

    key: str
    days: int
    data: str | Promise
    then: str | Promise


# key in EQUITIME_RETENTION (without "_days") -> (the data, what happens when the period ends)
KINDS: dict[str, tuple[Promise, Promise]] = {
    "messages": (
        _(
            "Messages between the two members of an exchange, and the reasons "
            "given for declining, disputing or resolving it; the reasons given for "
            "moving or cancelling a session, counted from when the session ended"
        ),
        _(
            "deleted this long after the exchange ended "
            "(in-progress and disputed exchanges keep theirs)"
        ),
    ),
    "notifications": (
        _(
            "Notifications (on the site and their e-mail copies' delivery record), "
            "and the record of session reminders, calendar invitations and "
            "weekly digests sent"
        ),
        _("deleted this long after they were sent"),
    ),
    "audit_ip": (
        _(
            "IP addresses recorded in the audit log "
            "(sign-ins that failed, data downloads, erasures)"
        ),
        _("blanked this long after the event; the entry itself is kept"),
    ),
    "dormant_account": (
        _("Accounts of members who have not signed in"),
        _(
            "closed and erased after this long without signing in; "
            "credits return to the pool and the ledger stays balanced"
        ),
    ),
    "dormant_warning": (
        _("Warning before a dormant account is closed"),
        _("an e-mail is sent this long before closing; signing in keeps the account"),
    ),
    "closed_listings": (
        _("Closed and expired listings"),
        _("their text (title, description, place) is removed this long after they closed"),
    ),
    "idempotency_records": (
        _("Records of API requests kept so that a retry is not run twice"),
        _("deleted this long after the request"),
    ),
    "invitations": (
        _("Invitations (the invited e-mail address)"),
        _("deleted this long after they were accepted, withdrawn or expired"),
    ),
    "api_tokens": (
        _("API tokens that expired or were revoked"),
        _("deleted this long after they stopped working"),
    ),
    "exports": (
        _(
            "Files that community administrators export (members, listings, exchanges "
            "and the ledger, as CSV) and the record of each export"
        ),
        _(
            "deleted this long after they were asked for; a file asked for before a "
            "member's data was erased can no longer be downloaded, and goes the next day"
        ),
    ),
}


def retention_days(kind: str) -> int:
    """The period for ``kind`` (a key of ``KINDS``), checked."""
    name = f"{kind}_days"
    days = settings.EQUITIME_RETENTION.get(name)
    # Zero would delete everything at once; anything else is a mistake: refuse.
    if isinstance(days, bool) or not isinstance(days, int) or days <= 0:
        raise ImproperlyConfigured(
            f"EQUITIME_RETENTION['{name}'] must be a whole number of days above zero."
        )
    return days


def retention_cutoff(kind: str, *, now: datetime | None = None) -> datetime:
    """Data of ``kind`` dated before this moment is past its period."""
    return (now or timezone.now()) - timedelta(days=retention_days(kind))


def retention_periods() -> list[Period]:
    """Every period, for the privacy notice and the data map."""
    return [Period(key, retention_days(key), data, then) for key, (data, then) in KINDS.items()]


def retention_markdown() -> str:
    """The retention table of ``docs/data-map.md``, as the settings make it.
    A test compares the document with this, so the two cannot drift apart."""
    lines = [
        "| setting (`EQUITIME_RETENTION[...]`) | days | data | what happens |",
        "| --- | ---: | --- | --- |",
    ]
    for period in retention_periods():
        lines.append(f"| `{period.key}_days` | {period.days} | {period.data} | {period.then} |")
    return "\n".join(lines)

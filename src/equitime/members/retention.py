"""How long members' accounts and invitations are kept.

Dormant accounts (``EQUITIME_RETENTION["dormant_account_days"]``): a member
who has not signed in for that long (counted from their last sign-in, or
from joining if they never signed in) is warned by e-mail
``"dormant_warning_days"`` before, then their account is closed and erased by
the same service a member uses to leave (``privacy.retention`` calls
``privacy.services.member_erase``): held exchanges are ended, credits go back
to the pool with a closing transfer, so the ledger still balances.
``dormancy_warned_at`` records the warning; signing in after it
(``last_login`` later than the warning) cancels it, and a closure always
follows a warning at least the warning period old. Staff accounts are never
closed this way, nor is a member whose exchange waits for confirmation or a
moderator (the next day's run tries again).

Invitations (``"invitations_days"``): the invited address is deleted that
long after the invitation was accepted, withdrawn or expired.

Sessions: a sign-in lasts at most ``EQUITIME_SESSION_ABSOLUTE_HOURS``; the
database keeps an expired session's row (which names the member) until
something clears it, as Django's ``clearsessions`` would.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, TypedDict

from django.contrib.sessions.models import Session
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from equitime.core.locale import speaking_to
from equitime.core.retention import ERASED_DOMAIN, retention_cutoff, retention_days
from equitime.core.site import site_url
from equitime.core.tasks import email_enqueue
from equitime.core.unsubscribe import unsubscribe_headers
from equitime.members.models import Invitation, Member


class _LastActive(TypedDict):
    last_active: datetime  # the last sign-in, or the day they joined


if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    MayGo = WithAnnotations[Member, _LastActive]


def _members_that_may_go() -> QuerySet[MayGo]:
    return (
        Member.objects.filter(is_active=True, is_staff=False, is_superuser=False)
        .exclude(email__endswith=f"@{ERASED_DOMAIN}")
        .annotate(last_active=Coalesce("last_login", "date_joined"))
    )


def members_dormant_to_warn(*, now: datetime | None = None) -> QuerySet[MayGo]:
    """Members who will be closed within the warning period and have not been
    warned since they last signed in."""
    now = now or timezone.now()
    horizon = now - timedelta(
        days=retention_days("dormant_account") - retention_days("dormant_warning")
    )
    return _members_that_may_go().filter(
        Q(dormancy_warned_at__isnull=True) | Q(dormancy_warned_at__lt=F("last_active")),
        last_active__lt=horizon,
    )


def members_dormant_to_close(*, now: datetime | None = None) -> QuerySet[MayGo]:
    """Members dormant past the period who were warned, without signing in
    since, at least the warning period ago."""
    now = now or timezone.now()
    return _members_that_may_go().filter(
        last_active__lt=retention_cutoff("dormant_account", now=now),
        dormancy_warned_at__gte=F("last_active"),
        dormancy_warned_at__lte=now - timedelta(days=retention_days("dormant_warning")),
    )


def members_dormant_warn(*, now: datetime | None = None) -> int:
    """E-mail each member due a warning and stamp it; return how many."""
    now = now or timezone.now()
    closes_on = now + timedelta(days=retention_days("dormant_warning"))
    site = site_url()
    warned = 0
    # A list, not an iterator: SQLite gives no isolation between a cursor being
    # read and writes on the same connection.
    for member in list(members_dormant_to_warn(now=now).select_related("profile").order_by("pk")):
        with transaction.atomic():
            # Stamped only if nobody signed in or warned meanwhile.
            stamped = (
                Member.objects.filter(pk=member.pk)
                .filter(Q(dormancy_warned_at__isnull=True) | Q(dormancy_warned_at__lt=now))
                .filter(Q(last_login__isnull=True) | Q(last_login__lt=now))
                .update(dormancy_warned_at=now)
            )
            if not stamped:
                continue
            # Their language, and the date on their calendar.
            with speaking_to(member):
                subject = _("Equitime: your account will close unless you sign in")
                body = render_to_string(
                    "members/email/dormant_warning.txt",
                    {
                        "member": member,
                        "closes_on": closes_on,
                        "days": retention_days("dormant_account"),
                        "sign_in_link": f"{site}/accounts/login/",
                        "privacy_link": f"{site}/privacy/",
                    },
                )
            message = EmailMessage(
                subject=subject,
                body=body,
                to=[member.email],
                # Always sent (it is about the account itself), with the
                # one-click unsubscribe of every e-mail to a member.
                headers=unsubscribe_headers(member_id=member.pk),
            )
            transaction.on_commit(partial(email_enqueue, message))
        warned += 1
    return warned


def invitations_expired(*, now: datetime | None = None) -> QuerySet[Invitation]:
    cutoff = retention_cutoff("invitations", now=now)
    return Invitation.objects.filter(
        Q(accepted_at__lt=cutoff)
        | Q(revoked_at__lt=cutoff)
        | Q(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__lt=cutoff)
    )


def invitation_purge_expired(*, now: datetime | None = None) -> int:
    deleted, _ = invitations_expired(now=now).delete()
    return deleted


def sessions_expired(*, now: datetime | None = None) -> QuerySet[Session]:
    return Session.objects.filter(expire_date__lt=now or timezone.now())


def session_purge_expired(*, now: datetime | None = None) -> int:
    deleted, _ = sessions_expired(now=now).delete()
    return deleted

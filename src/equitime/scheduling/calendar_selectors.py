"""Reading calendar settings and feeds: whose feed a token opens, and which
sessions a member may download."""

from typing import TYPE_CHECKING

from django.db.models import Q
from django.http import Http404

from equitime.members.models import Member
from equitime.scheduling.ical import SEATED
from equitime.scheduling.models import CalendarSettings, Session

if TYPE_CHECKING:
    from django.contrib.auth.models import _User


def calendar_settings_of(member: "_User") -> CalendarSettings:
    """The member's settings, or the defaults (unsaved) when they have none yet."""
    found = CalendarSettings.objects.filter(member=member).first()
    return found if found is not None else CalendarSettings(member=member)


def feed_member(token: str) -> Member | None:
    """The active member whose feed ``token`` opens; None for an unknown or
    revoked token and for a suspended or otherwise inactive member alike."""
    if not token:
        return None
    return (
        Member.objects.select_related("profile")
        .filter(calendar_settings__feed_token=token, is_active=True)
        .first()
    )


def session_get_for_member(*, member: "_User", pk: int) -> Session:
    """A session the member is part of and that has a time (a party of a
    one-to-one session, the organiser of a group one, or an attendee with a
    place); 404 for anyone else, as if it did not exist."""
    part = (
        Q(exchange__provider=member)
        | Q(exchange__receiver=member)
        | Q(organiser=member)
        | Q(seats__member=member, seats__status__in=SEATED)
    )
    session = (
        Session.objects.filter(part, pk=pk, starts_at__isnull=False, minutes__isnull=False)
        .select_related("organiser", "exchange__provider", "exchange__receiver")
        .distinct()
        .first()
    )
    if session is None:
        raise Http404("No such session.")
    return session

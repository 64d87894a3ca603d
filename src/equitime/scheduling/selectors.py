"""Reading sessions: a member's upcoming ones, and the session of an exchange page."""

from datetime import datetime, timedelta
from typing import cast

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from equitime.exchanges.models import Exchange
from equitime.members.models import Member
from equitime.scheduling.models import ProposedTime, Seat, Session, SessionEvent
from equitime.scheduling.slots import MAX_SESSION_MINUTES

# A session lasts at most this long (slots.MAX_SESSION_MINUTES).
_LONGEST = timedelta(minutes=MAX_SESSION_MINUTES)
# The seats that put a session in a member's diary.
LIVE_SEATS = (Seat.Status.BOOKED, Seat.Status.WAITING)


def _mine(member: Member) -> Q:
    """One-to-one sessions the member is a party to; group sessions they
    organise or hold a place (or a place in the queue) in."""
    seated = Exists(
        Seat.objects.filter(session=OuterRef("pk"), member=member, status__in=LIVE_SEATS)
    )
    # Q | Q & Exists is a Q; django-stubs says only Combinable.
    one_to_one = Q(kind=Session.Kind.ONE_TO_ONE) & (
        Q(exchange__provider=member) | Q(exchange__receiver=member)
    )
    return cast(Q, one_to_one | (Q(kind=Session.Kind.GROUP) & (Q(organiser=member) | seated)))


def sessions_upcoming_for_member(
    *, member: Member, now: datetime | None = None
) -> QuerySet[Session]:
    """Scheduled sessions, one-to-one and group, soonest first: those to come
    and those that started within the longest a session lasts (it may be on)."""
    now = now or timezone.now()
    return (
        Session.objects.filter(_mine(member), status=Session.Status.SCHEDULED)
        .filter(starts_at__gte=now - _LONGEST)
        .select_related(
            "exchange__provider__profile", "exchange__receiver__profile", "organiser__profile"
        )
        .order_by("starts_at", "id")
    )


def sessions_awaiting_time_for_member(*, member: Member) -> QuerySet[Session]:
    """One-to-one sessions with times proposed and none chosen yet."""
    return (
        Session.objects.filter(_mine(member), status=Session.Status.PROPOSED)
        .select_related("exchange__provider__profile", "exchange__receiver__profile")
        .prefetch_related(
            Prefetch(
                "proposed_times",
                queryset=ProposedTime.objects.filter(status=ProposedTime.Status.OPEN),
                to_attr="open_times",
            )
        )
        .order_by("-updated_at", "-id")
    )


def session_for_exchange(*, exchange: Exchange) -> Session | None:
    """The exchange's session with its open times and its timeline, or None."""
    return (
        Session.objects.filter(exchange=exchange)
        .prefetch_related(
            Prefetch(
                "proposed_times",
                queryset=ProposedTime.objects.filter(status=ProposedTime.Status.OPEN)
                .select_related("proposed_by__profile")
                .order_by("starts_at", "id"),
                to_attr="open_times",
            ),
            Prefetch(
                "events",
                queryset=SessionEvent.objects.select_related("actor").order_by("created_at", "id"),
                to_attr="timeline",
            ),
        )
        .first()
    )


def exchange_get_for_party(*, member: Member, pk: int) -> Exchange:
    """The exchange, if ``member`` is one of its two parties; else 404 (a
    moderator who may read a disputed exchange does not arrange its session)."""
    return get_object_or_404(
        Exchange.objects.filter(Q(provider=member) | Q(receiver=member)).select_related(
            "provider__profile", "receiver__profile"
        ),
        pk=pk,
    )


def session_get_for_party(*, member: Member, pk: int) -> Session:
    """The one way pages and the API reach a one-to-one session: its two
    parties see it, anyone else gets 404."""
    return get_object_or_404(
        Session.objects.filter(
            Q(exchange__provider=member) | Q(exchange__receiver=member),
            kind=Session.Kind.ONE_TO_ONE,
        ).select_related("exchange__provider__profile", "exchange__receiver__profile"),
        pk=pk,
    )


def proposed_time_get_for_party(*, member: Member, pk: int) -> ProposedTime:
    return get_object_or_404(
        ProposedTime.objects.filter(
            Q(session__exchange__provider=member) | Q(session__exchange__receiver=member)
        ).select_related("session"),
        pk=pk,
    )

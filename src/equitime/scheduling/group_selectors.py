"""Reading group sessions: the upcoming ones, and one with its seats."""

from datetime import datetime

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from equitime.scheduling.models import Seat, Session


def _with_places(sessions: QuerySet[Session]) -> QuerySet[Session]:
    return sessions.annotate(
        booked=Count("seats", filter=Q(seats__status=Seat.Status.BOOKED)),
        waiting=Count("seats", filter=Q(seats__status=Seat.Status.WAITING)),
    ).select_related("organiser", "improvement_area")


def _searchable(text: str) -> str:
    """What was typed, safe to search with on every database: PostgreSQL
    refuses a NUL character in text, which a hostile or broken link can carry."""
    return text.replace("\x00", "").strip()


def group_sessions_upcoming(
    *, area: str = "", q: str = "", now: datetime | None = None
) -> QuerySet[Session]:
    """Scheduled group sessions not yet started, soonest first, each with its
    ``booked`` and ``waiting`` counts: one query, on the (kind, status,
    starts_at) index."""
    sessions = Session.objects.filter(
        kind=Session.Kind.GROUP,
        status=Session.Status.SCHEDULED,
        starts_at__gt=now or timezone.now(),
    )
    area, q = _searchable(area), _searchable(q)
    if area:
        sessions = sessions.filter(improvement_area__slug=area)
    if q:
        sessions = sessions.filter(Q(title__icontains=q) | Q(description__icontains=q))
    return _with_places(sessions).order_by("starts_at", "pk")


def group_session_get(*, pk: int) -> Session:
    """Any member may read a group session; 404 for anything else."""
    return get_object_or_404(
        _with_places(Session.objects.filter(kind=Session.Kind.GROUP)).select_related(
            "listing", "cancelled_by"
        ),
        pk=pk,
    )


def free_places(session: Session) -> int:
    booked = getattr(session, "booked", None)
    if booked is None:
        booked = session.seats.filter(status=Seat.Status.BOOKED).count()
    return max((session.capacity or 0) - booked, 0)

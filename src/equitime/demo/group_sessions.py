"""The demo's group sessions: one full with a waiting list, one with places
free, and one already held, its attendance recorded and its credits paid.

Each goes through the services a person's clicks would call. The held one
was made and signed up to "in the past": the services take ``now``, so the
demo tells them when each step happened (``time_machine`` is for tests
only). Running the demo again finds each session by organiser and title and
leaves it as it is.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from equitime.core.errors import DomainError
from equitime.members.models import Member
from equitime.scheduling import groups
from equitime.scheduling.models import Session
from equitime.scheduling.slots import Slot
from equitime.skills.models import ImprovementArea


@dataclass(frozen=True)
class DemoGroupSession:
    organiser: str  # a demo member's handle
    title: str
    description: str
    area: str  # an improvement area's slug
    benefit: str
    days_ahead: int  # negative: it has happened
    minutes: int
    capacity: int
    place: str
    video_url: str
    attendees: tuple[str, ...]  # in order of signing up; beyond capacity, they wait
    attended: tuple[str, ...] = ()  # recorded after the start (held sessions only)


GROUP_SESSIONS = (
    DemoGroupSession(
        organiser="amina.okafor",
        title="Run charts in an hour: a teaching session for ward teams",
        description="Bring a month of your ward's data. We draw a run chart together, "
        "read the four rules for spotting a signal, and plan a small test of change.",
        area="patient-safety",
        benefit="Ward teams see for themselves whether a change made things better.",
        days_ahead=5,
        minutes=60,
        capacity=4,
        place="Education Centre, Room 3",
        video_url="",
        attendees=(
            "siobhan.murphy",
            "tom.whitfield",
            "grace.mensah",
            "priya.nair",
            "wei.zhang",
            "hannah.goldberg",
        ),
    ),
    DemoGroupSession(
        organiser="rajesh.iyer",
        title="Journal club: safety-II and learning from what goes right",
        description="We read one short paper beforehand and talk through how it applies "
        "to our own incident reviews.",
        area="patient-safety",
        benefit="Teams learn from everyday work, not only from incidents.",
        days_ahead=12,
        minutes=90,
        capacity=12,
        place="",
        video_url="https://meet.example.org/journal-club",
        attendees=("fatima.hussain", "joseph.kamau", "marta.kowalska"),
    ),
    DemoGroupSession(
        organiser="siobhan.murphy",
        title="QI workshop: your first PDSA cycle",
        description="A hands-on workshop: each table plans a PDSA cycle for a real "
        "problem on their unit.",
        area="patient-safety",
        benefit="More staff can start a test of change on their own unit.",
        days_ahead=-3,
        minutes=120,
        capacity=6,
        place="Library seminar room",
        video_url="",
        attendees=("amina.okafor", "david.llewellyn", "priya.nair", "lars.devries"),
        attended=("amina.okafor", "david.llewellyn", "priya.nair"),
    ),
)


def _start(days_ahead: int, now: datetime) -> datetime:
    day = now + timedelta(days=days_ahead)
    return day.replace(hour=12, minute=30, second=0, microsecond=0)


def demo_group_sessions(people: dict[str, Member], skipped: list[str]) -> list[Session]:
    """Each demo group session, made and driven on if it is not there yet."""
    now = timezone.now()
    areas = {area.slug: area for area in ImprovementArea.objects.all()}
    found = []
    for spec in GROUP_SESSIONS:
        organiser = people[spec.organiser]
        session = Session.objects.filter(
            kind=Session.Kind.GROUP, organiser=organiser, title=spec.title
        ).first()
        if session is not None:
            found.append(session)
            continue
        starts_at = _start(spec.days_ahead, now)
        # A session already held was made a week before it happened.
        made_at = min(now, starts_at - timedelta(days=7))
        try:
            session = groups.group_session_create(
                organiser=organiser,
                title=spec.title,
                description=spec.description,
                improvement_area=areas[spec.area],
                benefit=spec.benefit,
                slot=Slot(
                    starts_at=starts_at,
                    minutes=spec.minutes,
                    place=spec.place,
                    video_url=spec.video_url,
                ),
                capacity=spec.capacity,
                now=made_at,
            )
            for n, handle in enumerate(spec.attendees):
                groups.group_sign_up(
                    session=session,
                    member=people[handle],
                    now=made_at + timedelta(hours=n + 1),
                )
            if spec.days_ahead < 0:
                session = groups.group_attendance_record(
                    session=session,
                    member=organiser,
                    attended_member_ids=[people[handle].pk for handle in spec.attended],
                    now=now,
                )
        except DomainError as error:
            skipped.append(f"group session {spec.title}: {error.message}")
            continue
        found.append(session)
    return found

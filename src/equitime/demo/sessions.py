"""The demo's one-to-one sessions: when and where some exchanges meet.

Colleagues in different countries have a session each reads on their own
clock (Dublin and Melbourne, early morning for one and evening for the
other); one exchange has two times proposed, waiting for a choice. Times are
wall-clock times in the proposer's zone a few days from the run, so the
sessions are always to come on a fresh demo; a session already there (a run
before) is left as it is. A session a rule refuses is skipped with a note.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.utils import timezone

from equitime.core import zones
from equitime.core.errors import DomainError
from equitime.exchanges.models import Exchange
from equitime.members.models import Member
from equitime.scheduling.models import Session
from equitime.scheduling.services import session_choose_time, session_propose_times
from equitime.scheduling.slots import Slot


@dataclass(frozen=True)
class DemoTime:
    days: int  # from today, on the proposer's calendar
    at: time  # on the proposer's clock
    minutes: int = 60
    place: str = ""
    video_url: str = ""


@dataclass(frozen=True)
class DemoSession:
    exchange: int  # the demo exchange's number
    proposer: str  # handle: either party
    times: tuple[DemoTime, ...]
    chosen: bool = True  # the other party chooses the first time
    note: str = ""


SESSIONS: tuple[DemoSession, ...] = (
    # Dublin and Melbourne: 08:00 for Siobhan is evening for Arjun.
    DemoSession(
        19,
        "siobhan.murphy",
        (
            DemoTime(5, time(8, 0), 45, video_url="https://meet.example.org/strength-balance"),
            DemoTime(6, time(8, 0), 45, video_url="https://meet.example.org/strength-balance"),
        ),
        note="Early morning here is evening for you.",
    ),
    DemoSession(
        10,
        "marta.kowalska",
        (DemoTime(3, time(12, 30), 60, place="Diabetes centre, meeting room 1"),),
    ),
    DemoSession(
        18,
        "chloe.tremblay",
        (
            DemoTime(4, time(16, 0), 90, video_url="https://meet.example.org/ethics"),
            DemoTime(7, time(9, 0), 90, video_url="https://meet.example.org/ethics"),
        ),
    ),
    # Two times proposed, waiting for Michael to choose one.
    DemoSession(
        22,
        "james.thornton",
        (
            DemoTime(8, time(13, 0), 60, video_url="https://meet.example.org/theatre-team"),
            DemoTime(9, time(7, 30), 60, video_url="https://meet.example.org/theatre-team"),
        ),
        chosen=False,
        note="Either works for the theatre team; after the morning list is best.",
    ),
)


def _slot(spec: DemoTime, zone: zones.ZoneInfo) -> Slot:
    local_day = timezone.localdate(timezone.now(), zone) + timedelta(days=spec.days)
    starts_at = zones.local_to_utc(datetime.combine(local_day, spec.at), zone)
    return Slot(
        starts_at=starts_at, minutes=spec.minutes, place=spec.place, video_url=spec.video_url
    )


def demo_sessions(*, people: dict[str, Member], skipped: list[str]) -> int:
    """Arrange the demo sessions not there yet; how many were made."""
    made = 0
    for spec in SESSIONS:
        exchange = Exchange.objects.filter(request_key=f"demo-exchange:{spec.exchange}").first()
        proposer = people.get(spec.proposer)
        if (
            exchange is None
            or proposer is None
            or Session.objects.filter(exchange=exchange).exists()
        ):
            continue
        zone = zones.zone_of(proposer)
        try:
            session = session_propose_times(
                exchange=exchange,
                member=proposer,
                slots=[_slot(time_spec, zone) for time_spec in spec.times],
                reason=spec.note,
            )
            if spec.chosen:
                first = session.proposed_times.order_by("starts_at").first()
                assert first is not None
                session_choose_time(proposed_time=first, member=exchange.other_party(proposer))
        except (DomainError, zones.NonexistentTime) as error:
            skipped.append(f"session of demo-exchange:{spec.exchange}: {error}")
            continue
        made += 1
    return made

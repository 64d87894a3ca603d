"""A member's CPD record: what they gave and received in a period.

    completed exchanges (by completed_at)      given | received, minutes from the
                                               ledger's posted payment
    group sessions they organised (held)       given, minutes the ledger paid them
    group sessions they attended               attended, the session's length
    (both by when attendance was recorded: when the credits moved)

An activity counts in the period in which its credits moved, so the hours
given and received are exactly what the member's statement shows for those
exchanges and sessions. Reversed, voided, cancelled and disputed exchanges
never count. Attending a group session is learning time but not "hours
received" in the ledger's sense (the pool, or a share of the places, pays
for it), so it is a third column beside given and received.

The colleague is named as the exchange page names them; their profession and
organisation are shown only while colleagues may see their profile (an
active member): a suspended member is a name alone, and an erased one is
"Former member" with nothing more. Thanks are those the member *received*;
the reflection is their own. Nothing here takes a member id from a request:
the only member is the one asking.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from equitime.cpd.forms import Period
from equitime.exchanges.models import Exchange, Reflection, Status, Thanks
from equitime.scheduling.models import Seat, Session

if TYPE_CHECKING:
    from equitime.members.models import Member

GIVEN, RECEIVED, ATTENDED = "given", "received", "attended"
EXCHANGE, GROUP_SESSION = "exchange", "group_session"


@dataclass(frozen=True)
class Colleague:
    name: str
    profession: str = ""
    organisation: str = ""


@dataclass(frozen=True)
class ThanksNote:
    author: str
    message: str
    impact: str


@dataclass(frozen=True)
class ReflectiveAccount:
    what_happened: str
    learned: str
    practice_change: str
    standards: str


@dataclass(frozen=True)
class Activity:
    kind: str  # EXCHANGE or GROUP_SESSION
    role: str  # GIVEN, RECEIVED or ATTENDED
    day: date  # on the member's clock
    minutes: int
    title: str
    skills: tuple[str, ...]
    area: str
    object_id: int  # the exchange's or the session's id (links on the page)
    colleague: Colleague | None = None
    attendees: int | None = None  # a group session the member gave
    thanks: tuple[ThanksNote, ...] = ()
    reflection: ReflectiveAccount | None = None

    @property
    def role_label(self) -> str:
        return str(ROLE_LABELS[self.role])


ROLE_LABELS = {
    GIVEN: gettext_lazy("Given"),
    RECEIVED: gettext_lazy("Received"),
    ATTENDED: gettext_lazy("Attended"),
}


@dataclass
class Row:
    """Minutes by role for one skill or improvement area."""

    name: str
    given: int = 0
    received: int = 0
    attended: int = 0

    @property
    def total(self) -> int:
        return self.given + self.received + self.attended


@dataclass
class CpdRecord:
    member_name: str
    profession: str
    organisation: str
    period: Period
    produced_at: object  # an aware datetime
    activities: list[Activity] = field(default_factory=list)

    def minutes(self, role: str) -> int:
        return sum(activity.minutes for activity in self.activities if activity.role == role)

    @property
    def given_minutes(self) -> int:
        return self.minutes(GIVEN)

    @property
    def received_minutes(self) -> int:
        return self.minutes(RECEIVED)

    @property
    def attended_minutes(self) -> int:
        return self.minutes(ATTENDED)

    @property
    def colleagues(self) -> int:
        """How many colleagues the member worked with one to one."""
        return len(
            {
                (a.colleague.name, a.colleague.organisation)
                for a in self.activities
                if a.kind == EXCHANGE and a.colleague
            }
        )

    @property
    def by_skill(self) -> list[Row]:
        """An activity with several skills counts in full under each of them."""
        return _rows(
            (skill, activity)
            for activity in self.activities
            for skill in (activity.skills or (str(_("No skill named")),))
        )

    @property
    def by_area(self) -> list[Row]:
        return _rows((activity.area, activity) for activity in self.activities)


def _rows(pairs: Iterable[tuple[str, Activity]]) -> list[Row]:
    rows: dict[str, Row] = {}
    for name, activity in pairs:
        row = rows.setdefault(name, Row(name))
        setattr(row, activity.role, getattr(row, activity.role) + activity.minutes)
    return sorted(rows.values(), key=lambda row: (-row.total, row.name.casefold()))


def colleague_as_shown(member: Member) -> Colleague:
    """A colleague as the exchange page and their profile show them to others."""
    profile = getattr(member, "profile", None)
    if not member.is_active or profile is None:
        # Suspended or erased ("Former member"): colleagues see no profile.
        return Colleague(name=member.display_name)
    organisation = profile.organisation.name if profile.organisation_id else ""
    return Colleague(
        name=member.display_name, profession=profile.profession, organisation=organisation
    )


def _skills(listing) -> tuple[str, ...]:
    if listing is None:
        return ()
    return tuple(sorted((skill.label for skill in listing.skills.all()), key=str.casefold))


def _exchanges(member: Member, period: Period) -> list[Activity]:
    exchanges = (
        Exchange.objects.filter(
            Q(provider=member) | Q(receiver=member),
            status=Status.COMPLETED,
            completed_at__gte=period.since,
            completed_at__lt=period.until,
        )
        .select_related(
            "payment",
            "improvement_area",
            "listing",
            "provider__profile__organisation",
            "receiver__profile__organisation",
        )
        .prefetch_related(
            "listing__skills",
            Prefetch(
                "thanks",
                queryset=Thanks.objects.filter(recipient=member).select_related("author"),
                to_attr="thanks_received",
            ),
            Prefetch(
                "reflections",
                queryset=Reflection.objects.filter(author=member),
                to_attr="own_reflections",
            ),
        )
        .order_by("completed_at", "id")
    )
    activities = []
    for exchange in exchanges:
        assert exchange.payment is not None and exchange.completed_at is not None
        gave = exchange.provider_id == member.pk
        own = exchange.own_reflections[0] if exchange.own_reflections else None
        activities.append(
            Activity(
                kind=EXCHANGE,
                role=GIVEN if gave else RECEIVED,
                day=exchange.completed_at.astimezone(period.zone).date(),
                minutes=exchange.payment.amount,
                title=exchange.title,
                skills=_skills(exchange.listing),
                area=exchange.improvement_area.label,
                object_id=exchange.pk,
                colleague=colleague_as_shown(exchange.receiver if gave else exchange.provider),
                thanks=tuple(
                    ThanksNote(author=t.author.display_name, message=t.message, impact=t.impact)
                    for t in exchange.thanks_received
                ),
                reflection=ReflectiveAccount(
                    what_happened=own.text,
                    learned=own.learned,
                    practice_change=own.practice_change,
                    standards=own.standards,
                )
                if own
                else None,
            )
        )
    return activities


def _group_area(session: Session) -> str:
    return session.improvement_area.label if session.improvement_area else ""


def _groups_given(member: Member, period: Period) -> list[Activity]:
    sessions = (
        Session.objects.filter(
            kind=Session.Kind.GROUP,
            organiser=member,
            status=Session.Status.HELD,
            attendance_recorded_at__gte=period.since,
            attendance_recorded_at__lt=period.until,
        )
        .select_related("pool_payment", "improvement_area", "listing")
        .prefetch_related(
            "listing__skills",
            Prefetch(
                "seats",
                queryset=Seat.objects.filter(status=Seat.Status.ATTENDED).select_related("payment"),
                to_attr="attended_seats",
            ),
        )
    )
    activities = []
    for session in sessions:
        # What the ledger paid the organiser: the pool's part and the places' shares.
        paid = (session.pool_payment.amount if session.pool_payment else 0) + sum(
            seat.payment.amount for seat in session.attended_seats if seat.payment
        )
        if not paid:  # nobody came: nothing was given, nothing paid
            continue
        assert session.starts_at is not None
        activities.append(
            Activity(
                kind=GROUP_SESSION,
                role=GIVEN,
                day=session.starts_at.astimezone(period.zone).date(),
                minutes=paid,
                title=session.title,
                skills=_skills(session.listing),
                area=_group_area(session),
                object_id=session.pk,
                attendees=len(session.attended_seats),
            )
        )
    return activities


def _groups_attended(member: Member, period: Period) -> list[Activity]:
    seats = (
        Seat.objects.filter(
            member=member,
            status=Seat.Status.ATTENDED,
            session__attendance_recorded_at__gte=period.since,
            session__attendance_recorded_at__lt=period.until,
        )
        .select_related(
            "session__organiser__profile__organisation",
            "session__improvement_area",
            "session__listing",
        )
        .prefetch_related("session__listing__skills")
    )
    activities = []
    for seat in seats:
        session = seat.session
        assert session.starts_at is not None and session.minutes is not None
        activities.append(
            Activity(
                kind=GROUP_SESSION,
                role=ATTENDED,
                day=session.starts_at.astimezone(period.zone).date(),
                minutes=session.minutes,
                title=session.title,
                skills=_skills(session.listing),
                area=_group_area(session),
                object_id=session.pk,
                colleague=colleague_as_shown(session.organiser),
            )
        )
    return activities


def cpd_record(*, member: Member, period: Period) -> CpdRecord:
    """The signed-in member's own record for ``period``; never anyone else's."""
    profile = getattr(member, "profile", None)
    organisation = profile.organisation.name if profile and profile.organisation_id else ""
    activities = [
        *_exchanges(member, period),
        *_groups_given(member, period),
        *_groups_attended(member, period),
    ]
    activities.sort(key=lambda a: (a.day, a.kind, a.object_id))
    return CpdRecord(
        member_name=member.display_name,
        profession=profile.profession if profile else "",
        organisation=organisation,
        period=period,
        produced_at=timezone.now(),
        activities=activities,
    )

"""A small history for CPD records: Siobhán gives and receives time with Chloé
and Dev, in exchanges that end in every way, and gives and attends group
sessions. Everything is made through the services, on a fixed clock."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from equitime.exchanges import services as exchanges
from equitime.exchanges.models import Exchange, Status
from equitime.exchanges.tests.factories import exchange_at, moderator_for_tests
from equitime.members.models import Member, Organisation
from equitime.scheduling import groups
from equitime.scheduling.models import CreditPolicy, Session
from equitime.scheduling.tests.factories import group_session
from equitime.skills.models import ImprovementArea

# A Tuesday in March, in London's winter time (UTC).
NOW = datetime(2026, 3, 3, 10, 0, tzinfo=UTC)
LONG_REFLECTION = ("I learned to hold the silence and let the team find the answer. " * 70)[:4000]


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@dataclass
class History:
    me: Member
    chloe: Member
    dev: Member
    given: Exchange  # me -> chloe, 90 minutes, thanked, reflected on
    received: Exchange  # chloe -> me, 60 minutes
    reversed: Exchange
    cancelled: Exchange
    voided: Exchange
    others: Exchange  # between chloe and dev only
    group_given: Session
    group_attended: Session


def _member(make_member, name, email, profession, organisation):
    return make_member(
        display_name=name, email=email, profession=profession, organisation=organisation
    )


@pytest.fixture
def history(make_member, make_listing, clock) -> History:
    trust = Organisation.objects.create(name="St Elsewhere NHS Trust", kind="nhs_trust")
    council = Organisation.objects.create(name="Brightwater Council", kind="local_authority")
    me = _member(make_member, "Siobhán Ní Bhriain", "siobhan@example.nhs.uk", "Nurse", trust)
    chloe = _member(make_member, "Chloé Martin", "chloe@example.org", "Social worker", council)
    dev = _member(make_member, "Dev Rao", "dev@example.nhs.uk", "Pharmacist", trust)
    moderator = moderator_for_tests()

    mine = make_listing(
        me, title="Coaching new ward leads", skills=("leadership-coaching", "mentoring")
    )
    given = exchange_at(Status.COMPLETED, listing=mine, receiver=chloe, minutes=90)
    exchanges.thanks_give(
        exchange=given,
        member=chloe,
        message="Siobhán made handover make sense.",
        impact='=HYPERLINK("http://evil.example") Our huddle ends with a safety check.',
    )
    exchanges.thanks_give(exchange=given, member=me, message="A pleasure, Chloé.")
    exchanges.reflection_save(
        exchange=given,
        member=me,
        text=LONG_REFLECTION,
        learned="Ask what a handover is for before how to run it.",
        practice_change="-I now start with the team's own question.",
        standards="NMC Code: Practise effectively",
    )
    exchanges.reflection_save(exchange=given, member=chloe, text="Chloé's private note")

    theirs = make_listing(chloe, title="Safeguarding for ward teams", area="staff-wellbeing")
    received = exchange_at(Status.COMPLETED, listing=theirs, receiver=me, minutes=60)

    reversed_ = exchange_at(
        Status.REVERSED, listing=mine, receiver=dev, minutes=30, moderator=moderator
    )
    cancelled = exchange_at(Status.CANCELLED, listing=mine, receiver=dev, minutes=30)
    voided = exchange_at(Status.VOIDED, listing=mine, receiver=dev, minutes=30, moderator=moderator)
    others = exchange_at(
        Status.COMPLETED,
        listing=make_listing(dev, title="Medicines reconciliation"),
        receiver=chloe,
        minutes=45,
    )

    group_given = group_session(
        me,
        policy=CreditPolicy.FREE,
        title="Run charts for ward teams",
        starts_at=NOW + timedelta(hours=1),
    )
    groups.group_sign_up(session=group_given, member=dev)
    group_attended = group_session(
        chloe,
        policy=CreditPolicy.FREE,
        title="Making every contact count",
        starts_at=NOW + timedelta(hours=1),
        minutes=45,
    )
    groups.group_sign_up(session=group_attended, member=me)
    clock.shift(timedelta(hours=3))
    groups.group_attendance_record(session=group_given, member=me, attended_member_ids=[dev.pk])
    groups.group_attendance_record(
        session=group_attended, member=chloe, attended_member_ids=[me.pk]
    )
    return History(
        me=Member.objects.get(pk=me.pk),
        chloe=chloe,
        dev=dev,
        given=given,
        received=received,
        reversed=reversed_,
        cancelled=cancelled,
        voided=voided,
        others=others,
        group_given=Session.objects.get(pk=group_given.pk),
        group_attended=Session.objects.get(pk=group_attended.pk),
    )


@pytest.fixture
def area(db):
    return ImprovementArea.objects.get(slug="patient-safety")

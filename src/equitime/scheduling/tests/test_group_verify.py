"""``verify_ledger`` holds every group session's transfers to its policy: a
session or seat changed behind the services' back is reported."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command

from equitime.ledger.verify import verify_ledger
from equitime.scheduling import groups
from equitime.scheduling.models import CreditPolicy, Seat, Session

pytestmark = pytest.mark.django_db


def problems() -> list[str]:
    return verify_ledger().problems


def held(session, organiser, came):
    return groups.group_attendance_record(
        session=session,
        member=organiser,
        attended_member_ids=[m.pk for m in came],
        now=session.starts_at + timedelta(minutes=1),
    )


def test_a_held_free_session_without_its_pool_payment_is_reported(make_group, organiser, attendees):
    session = make_group(organiser, policy=CreditPolicy.FREE)
    groups.group_sign_up(session=session, member=attendees[0])
    held(session, organiser, attendees[:1])
    assert problems() == []
    Session.objects.filter(pk=session.pk).update(pool_payment=None)
    assert any("the pool paid 0 min" in p for p in problems())


def test_a_shared_session_paid_short_is_reported(make_group, organiser, attendees):
    session = make_group(organiser, policy=CreditPolicy.SHARED, capacity=3, minutes=60)
    for member in attendees[:2]:
        groups.group_sign_up(session=session, member=member)
    held(session, organiser, attendees[:2])
    Seat.objects.filter(session=session, member=attendees[0]).update(payment=None)
    found = problems()
    assert any("not 60 min in all" in p for p in found)
    assert any("its share was not posted" in p for p in found)


def test_a_seat_that_left_still_holding_is_reported(make_group, organiser, attendees):
    session = make_group(organiser, policy=CreditPolicy.SHARED)
    groups.group_sign_up(session=session, member=attendees[0])
    Seat.objects.filter(session=session).update(status=Seat.Status.LEFT)
    assert any("its hold was not released" in p for p in problems())


def test_a_booked_shared_seat_holding_nothing_is_reported(make_group, organiser, attendees):
    session = make_group(organiser, policy=CreditPolicy.FREE)
    groups.group_sign_up(session=session, member=attendees[0])
    Session.objects.filter(pk=session.pk).update(credit_policy=CreditPolicy.SHARED)
    assert any("holds 0 min for a place that costs 20 min" in p for p in problems())


def test_verify_ledger_prints_the_group_checks(make_group, organiser):
    make_group(organiser)
    out = StringIO()
    call_command("verify_ledger", stdout=out)
    assert "group session" in out.getvalue().lower()

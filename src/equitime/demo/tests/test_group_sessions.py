"""The demo's group sessions: one full with a waiting list, one with places
free, one held with its attendance recorded; running the demo again adds none."""

import io

import pytest
from django.core.management import call_command
from django.test import override_settings

from equitime.ledger.verify import verify_ledger
from equitime.scheduling.models import Seat, Session

pytestmark = pytest.mark.django_db


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
def test_the_demo_has_three_kinds_of_group_session():
    call_command("demo", stdout=io.StringIO())
    sessions = Session.objects.filter(kind=Session.Kind.GROUP)
    assert sessions.count() == 3

    def seats(session, status):
        return session.seats.filter(status=status).count()

    upcoming = sessions.filter(status=Session.Status.SCHEDULED)
    full = [s for s in upcoming if seats(s, Seat.Status.BOOKED) == s.capacity]
    assert len(full) == 1 and seats(full[0], Seat.Status.WAITING) >= 1
    open_ = [s for s in upcoming if seats(s, Seat.Status.BOOKED) < (s.capacity or 0)]
    assert len(open_) == 1
    held = sessions.get(status=Session.Status.HELD)
    assert held.attendance_recorded_at is not None
    assert seats(held, Seat.Status.ATTENDED) >= 1 and seats(held, Seat.Status.ABSENT) >= 1
    assert held.pool_payment is not None
    report = verify_ledger()
    assert report.ok, report.problems

    call_command("demo", stdout=io.StringIO())
    assert Session.objects.filter(kind=Session.Kind.GROUP).count() == 3
    assert Seat.objects.count() == sum(
        s.seats.count() for s in Session.objects.filter(kind=Session.Kind.GROUP)
    )

"""Thirty colleagues press "Sign up" at once for the last five places: the
session's row lock lets exactly five in, and the waiting list keeps the order
in which the locks were granted."""

import pytest

from equitime.core.testing import race
from equitime.ledger.verify import verify_ledger
from equitime.members.tests.factories import make_member
from equitime.scheduling import groups
from equitime.scheduling.models import CreditPolicy, Seat
from equitime.scheduling.tests.factories import group_session

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.slow]
THREADS = 30


@pytest.mark.parametrize("policy", [CreditPolicy.FREE, CreditPolicy.SHARED])
def test_thirty_sign_ups_at_once_for_the_last_five_places(policy):
    organiser = make_member(display_name="Olu Organiser")
    session = group_session(organiser, policy=policy, capacity=7, minutes=75)
    for n in range(2):
        groups.group_sign_up(session=session, member=make_member(display_name=f"Early {n}"))
    members = [make_member(display_name=f"Racer {n}") for n in range(THREADS)]

    outcomes = race(lambda n: groups.group_sign_up(session=session, member=members[n]), THREADS)

    assert all(isinstance(outcome, Seat) for outcome in outcomes), outcomes
    seats = Seat.objects.filter(session=session, member__in=members)
    booked = seats.filter(status=Seat.Status.BOOKED)
    waiting = seats.filter(status=Seat.Status.WAITING).order_by("joined_at", "pk")
    assert booked.count() == 5
    assert waiting.count() == THREADS - 5
    # First come, first served: the places went to the first five locks, and
    # the queue's order (joined_at) is the order the seats were written in.
    assert max(booked.values_list("pk", flat=True)) < min(waiting.values_list("pk", flat=True))
    assert list(waiting.values_list("pk", flat=True)) == sorted(
        waiting.values_list("pk", flat=True)
    )
    if policy == CreditPolicy.SHARED:
        assert all(seat.hold is not None and seat.hold.amount == 10 for seat in booked)
    assert not waiting.filter(hold__isnull=False).exists()
    report = verify_ledger()
    assert report.ok, report.problems


def test_leavers_and_joiners_at_once_never_overfill_the_session():
    organiser = make_member(display_name="Olu Organiser")
    session = group_session(organiser, policy=CreditPolicy.SHARED, capacity=4, minutes=60)
    stayers = [make_member(display_name=f"Stayer {n}") for n in range(4)]
    for member in stayers:
        groups.group_sign_up(session=session, member=member)
    joiners = [make_member(display_name=f"Joiner {n}") for n in range(8)]

    def act(n):
        if n < 4:
            return groups.group_leave(session=session, member=stayers[n])
        return groups.group_sign_up(session=session, member=joiners[n - 4])

    race(act, 8)

    booked = Seat.objects.filter(session=session, status=Seat.Status.BOOKED)
    assert booked.count() == 4
    assert set(booked.values_list("member", flat=True)) <= {m.pk for m in joiners}
    report = verify_ledger()
    assert report.ok, report.problems

"""Random sequences of sign-ups, leavings, a cancellation or a record of
attendance, under either policy: after every step the books are whole
(``verify_ledger``, balances summing to zero), and at the end the organiser
earned the session's minutes once if anyone came, nothing otherwise."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from equitime.core.errors import DomainError
from equitime.ledger.models import Account
from equitime.ledger.verify import verify_ledger
from equitime.scheduling import groups
from equitime.scheduling.models import CreditPolicy, Seat
from equitime.scheduling.tests.factories import group_session

pytestmark = [pytest.mark.django_db, pytest.mark.slow]
PEOPLE = 6

steps = st.lists(
    st.tuples(st.sampled_from(["sign_up", "leave"]), st.integers(0, PEOPLE - 1)), max_size=14
)
endings = st.one_of(
    st.just(("none", 0)),
    st.just(("cancel", 0)),
    st.tuples(st.just("attend"), st.integers(0, 2**PEOPLE - 1)),
)


def balances(members) -> dict[int, int]:
    rows = Account.objects.filter(member__in=members).values_list("member", "posted_credits")
    debits = dict(Account.objects.filter(member__in=members).values_list("member", "posted_debits"))
    return {member: credits - debits[member] for member, credits in rows}


def assert_whole() -> None:
    report = verify_ledger()
    assert report.ok, report.problems


def test_random_sign_ups_and_attendance_keep_the_books_whole(make_member):
    organiser = make_member(display_name="Olu Organiser")
    people = [make_member(display_name=f"Colleague {n}") for n in range(PEOPLE)]

    @settings(
        max_examples=40,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(
        policy=st.sampled_from([CreditPolicy.FREE, CreditPolicy.SHARED]),
        capacity=st.integers(2, 4),
        minutes=st.sampled_from([45, 60, 90, 240]),
        steps=steps,
        ending=endings,
    )
    def run(policy, capacity, minutes, steps, ending):
        with transaction.atomic():
            before = balances([organiser, *people])
            session = group_session(organiser, policy=policy, capacity=capacity, minutes=minutes)
            for action, n in steps:
                try:
                    if action == "sign_up":
                        groups.group_sign_up(session=session, member=people[n])
                    else:
                        groups.group_leave(session=session, member=people[n])
                except DomainError:
                    pass  # refused (twice, not signed up, short of credits): nothing moved
                assert_whole()
                assert Seat.objects.filter(session=session, status="booked").count() <= capacity
            kind, mask = ending
            came: set[int] = set()
            if kind == "cancel":
                groups.group_session_cancel(session=session, member=organiser, reason="Ward closed")
            elif kind == "attend":
                booked = set(
                    Seat.objects.filter(session=session, status="booked").values_list(
                        "member", flat=True
                    )
                )
                came = {p.pk for i, p in enumerate(people) if mask >> i & 1} & booked
                groups.group_attendance_record(
                    session=session,
                    member=organiser,
                    attended_member_ids=came,
                    now=(session.starts_at or timezone.now()) + timedelta(minutes=1),
                )
            assert_whole()
            after = balances([organiser, *people])
            earned = after[organiser.pk] - before[organiser.pk]
            assert earned == (minutes if came else 0)
            share = groups.seat_share(session)
            for person in people:
                paid = before[person.pk] - after[person.pk]
                assert paid == (share if person.pk in came else 0)
            transaction.set_rollback(True)

    run()

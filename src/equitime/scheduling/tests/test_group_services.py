"""Group sessions' services: every rule, every refusal, and both policies'
books to the minute."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from equitime.audit.models import AuditEntry
from equitime.core.errors import DomainError
from equitime.ledger.models import Account, Transfer
from equitime.ledger.selectors import account_donatable
from equitime.ledger.services import pool_account
from equitime.ledger.tests.factories import earn
from equitime.ledger.verify import verify_ledger
from equitime.listings.models import Listing
from equitime.members import roles
from equitime.members.services import member_role_grant
from equitime.notifications.models import Notification
from equitime.scheduling import groups, signals
from equitime.scheduling.models import (
    CreditPolicy,
    SchedulingSettings,
    Seat,
    Session,
    SessionEvent,
)
from equitime.scheduling.slots import Slot
from equitime.scheduling.tests.factories import policy_set

pytestmark = pytest.mark.django_db
FREE, SHARED = CreditPolicy.FREE, CreditPolicy.SHARED


def balance(member) -> int:
    return Account.objects.get(member=member).balance


def available(member) -> int:
    return Account.objects.get(member=member).available


def made(transfer: Transfer | None) -> Transfer:
    assert transfer is not None
    return transfer


def refusal(call, **kwargs) -> DomainError:
    with pytest.raises(DomainError) as caught:
        call(**kwargs)
    return caught.value


def after_start(session):
    return session.starts_at + timedelta(minutes=5)


def assert_books_whole():
    report = verify_ledger()
    assert report.ok, report.problems


# --- Creating -------------------------------------------------------------------


def test_a_session_copies_the_communitys_policy_and_keeps_it(make_group, organiser):
    session = make_group(organiser, policy=SHARED)
    policy_set(FREE)
    session.refresh_from_db()
    assert (session.kind, session.status, session.credit_policy) == ("group", "scheduled", SHARED)
    assert session.events.get().verb == SessionEvent.Verb.CREATE


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"title": "  "}, "title_required"),
        ({"benefit": ""}, "benefit_required"),
        ({"improvement_area": None}, "improvement_area_required"),
        ({"capacity": 1}, "invalid_capacity"),
        ({"capacity": groups.MAX_CAPACITY + 1}, "invalid_capacity"),
        ({"benefit": "Happy to help for fifty pounds"}, "money"),
        ({"description": "About the man with NHS number 943.476.5919"}, "patient_data"),
    ],
)
def test_creating_refuses_what_breaks_a_rule(make_group, organiser, fields, code):
    assert refusal(make_group, organiser=organiser, **fields).code == code
    assert not Session.objects.exists()


def test_the_slot_is_checked(make_group, organiser):
    error = refusal(make_group, organiser=organiser, starts_at=timezone.now() - timedelta(hours=1))
    assert error.field == "starts_at"
    error = refusal(make_group, organiser=organiser, minutes=50)
    assert error.field == "minutes"


def test_a_listing_must_be_the_organisers_own_open_offer(
    make_group, organiser, make_listing, other_member
):
    own = make_listing(organiser)
    assert make_group(organiser, listing=own).listing == own
    someone_elses = make_listing(other_member)
    assert refusal(make_group, organiser=organiser, listing=someone_elses).code == (
        "listing_not_yours"
    )
    request = make_listing(organiser, Listing.Kind.REQUEST, title="Help with audit")
    assert refusal(make_group, organiser=organiser, listing=request).code == "listing_not_yours"


def test_a_member_who_may_not_trade_cannot_organise(make_group, make_member):
    unverified = make_member(email_verified=False)
    assert refusal(make_group, organiser=unverified).code == "email_unverified"


# --- Signing up -----------------------------------------------------------------


def test_free_sign_ups_fill_the_places_then_the_waiting_list(make_group, organiser, attendees):
    session = make_group(organiser, capacity=2)
    seats = [groups.group_sign_up(session=session, member=m) for m in attendees[:4]]
    assert [s.status for s in seats] == ["booked", "booked", "waiting", "waiting"]
    assert all(s.hold is None for s in seats)
    verbs = list(session.events.values_list("verb", flat=True))
    assert verbs == ["create", "sign_up", "sign_up", "wait", "wait"]
    told = Notification.objects.filter(recipient=organiser, kind="group_signed_up")
    assert told.count() == 4
    assert_books_whole()


def test_a_shared_place_holds_its_share_for_the_organiser(make_group, organiser, attendees):
    session = make_group(organiser, policy=SHARED, capacity=7, minutes=60)
    seat = groups.group_sign_up(session=session, member=attendees[0])
    assert made(seat.hold).amount == 8  # 60 // 7
    assert made(seat.hold).kind == Transfer.Kind.GROUP_SESSION
    assert made(seat.hold).state == Transfer.State.PENDING
    assert made(seat.hold).key == f"group-session:{session.pk}:seat:{seat.pk}:hold"
    assert available(attendees[0]) == 120 - 8
    assert_books_whole()


def test_not_enough_credits_is_a_clear_refusal(make_group, organiser, attendees):
    session = make_group(organiser, policy=SHARED, capacity=2, minutes=300)  # 150 a place
    error = refusal(groups.group_sign_up, session=session, member=attendees[0])
    assert error.code == "insufficient_credit"
    assert "150 minutes" in error.message or "2.5 credits" in error.message
    assert not Seat.objects.exists()


@pytest.mark.parametrize("how", ["organiser", "twice", "started", "cancelled", "unverified"])
def test_sign_up_refusals(make_group, organiser, attendees, make_member, how):
    session = make_group(organiser)
    member = attendees[0]
    now = None
    if how == "organiser":
        member = organiser
    elif how == "twice":
        groups.group_sign_up(session=session, member=member)
    elif how == "started":
        now = after_start(session)
    elif how == "cancelled":
        groups.group_session_cancel(session=session, member=organiser, reason="Ward closed")
    else:
        member = make_member(email_verified=False)
    error = refusal(groups.group_sign_up, session=session, member=member, now=now)
    expected = {
        "organiser": "own_session",
        "twice": "already_signed_up",
        "started": "session_started",
        "cancelled": "session_cancelled",
        "unverified": "email_unverified",
    }
    assert error.code == expected[how]


def test_a_member_on_the_waiting_list_cannot_join_it_twice(make_group, organiser, attendees):
    session = make_group(organiser, capacity=2)
    for member in attendees[:3]:
        groups.group_sign_up(session=session, member=member)
    error = refusal(groups.group_sign_up, session=session, member=attendees[2])
    assert error.code == "already_signed_up"
    assert "waiting list" in error.message


# --- Leaving and moving up ------------------------------------------------------


def test_leaving_releases_the_hold_and_the_first_waiting_moves_up(make_group, organiser, attendees):
    session = make_group(organiser, policy=SHARED, capacity=2, minutes=60)
    first, _second, third, fourth = (
        groups.group_sign_up(session=session, member=m) for m in attendees[:4]
    )
    left = groups.group_leave(session=session, member=attendees[0])
    assert left.status == Seat.Status.LEFT
    assert made(first.hold).resolution.state == Transfer.State.VOIDED
    assert available(attendees[0]) == 120
    third.refresh_from_db()
    fourth.refresh_from_db()
    assert (third.status, made(third.hold).amount) == ("booked", 30)
    assert fourth.status == "waiting"
    assert Notification.objects.filter(recipient=attendees[2], kind="group_place").exists()
    verbs = list(session.events.values_list("verb", flat=True))[-2:]
    assert verbs == ["leave", "promote"]
    assert_books_whole()


def test_a_waiting_member_short_of_credits_is_passed_over_and_told(
    make_group, organiser, attendees
):
    session = make_group(organiser, policy=SHARED, capacity=2, minutes=120)  # 60 a place
    for member in attendees[:4]:
        groups.group_sign_up(session=session, member=member)
    # The first waiting spends their credits elsewhere meanwhile.
    pool = pool_account()
    from equitime.ledger.services import account_open, transfer_create

    transfer_create(
        key="spent",
        kind=Transfer.Kind.ADJUSTMENT,
        debit_account=account_open(member=attendees[2]),
        credit_account=pool,
        amount=100,
        initiated_by=None,
    )
    groups.group_leave(session=session, member=attendees[0])
    statuses = dict(Seat.objects.filter(session=session).values_list("member", "status"))
    assert statuses[attendees[2].pk] == "waiting"
    assert statuses[attendees[3].pk] == "booked"
    skip = session.events.get(verb="skip")
    assert skip.member == attendees[2]
    told = Notification.objects.get(recipient=attendees[2], kind="group_place")
    assert "stay on the waiting list" in told.message
    assert_books_whole()


def test_a_member_who_left_may_come_back_with_a_new_hold(make_group, organiser, attendees):
    session = make_group(organiser, policy=SHARED, capacity=3, minutes=60)
    first = groups.group_sign_up(session=session, member=attendees[0])
    groups.group_leave(session=session, member=attendees[0])
    again = groups.group_sign_up(session=session, member=attendees[0])
    assert again.pk != first.pk and made(again.hold).key != made(first.hold).key
    assert available(attendees[0]) == 120 - 20
    assert_books_whole()


def test_leaving_the_waiting_list_moves_nobody(make_group, organiser, attendees):
    session = make_group(organiser, capacity=2)
    for member in attendees[:4]:
        groups.group_sign_up(session=session, member=member)
    groups.group_leave(session=session, member=attendees[2])
    statuses = list(Seat.objects.filter(session=session).values_list("status", flat=True))
    assert statuses == ["booked", "booked", "left", "waiting"]


def test_leave_refusals(make_group, organiser, attendees):
    session = make_group(organiser)
    assert refusal(groups.group_leave, session=session, member=attendees[0]).code == (
        "not_signed_up"
    )
    groups.group_sign_up(session=session, member=attendees[0])
    error = refusal(
        groups.group_leave, session=session, member=attendees[0], now=after_start(session)
    )
    assert error.code == "session_started"


# --- Signals --------------------------------------------------------------------


def test_calendars_are_told_of_every_change(make_group, organiser, attendees):
    heard = []

    def receiver(sender, session, recipients, cancel, **kwargs):
        heard.append(([m.pk for m in recipients], cancel))

    signals.session_changed.connect(receiver)
    try:
        session = make_group(organiser, capacity=2)
        groups.group_sign_up(session=session, member=attendees[0])
        groups.group_sign_up(session=session, member=attendees[2])
        groups.group_sign_up(session=session, member=attendees[1])  # waits: no calendar
        groups.group_leave(session=session, member=attendees[0])
        groups.group_session_cancel(session=session, member=organiser, reason="Ward closed")
    finally:
        signals.session_changed.disconnect(receiver)
    a, b, c = attendees[0].pk, attendees[1].pk, attendees[2].pk
    assert heard == [
        ([organiser.pk], False),
        ([a], False),
        ([c], False),
        ([a], True),
        ([b], False),
        ([organiser.pk, c, b], True),
    ]


# --- Cancelling -----------------------------------------------------------------


def test_cancelling_releases_every_hold_and_tells_everyone(make_group, organiser, attendees):
    session = make_group(organiser, policy=SHARED, capacity=2, minutes=60)
    for member in attendees[:3]:
        groups.group_sign_up(session=session, member=member)
    cancelled = groups.group_session_cancel(session=session, member=organiser, reason="Ward closed")
    assert cancelled.status == Session.Status.CANCELLED
    assert cancelled.sequence == 1
    assert all(available(m) == 120 for m in attendees[:3])
    told = Notification.objects.filter(kind="group_cancelled")
    assert set(told.values_list("recipient", flat=True)) == {m.pk for m in attendees[:3]}
    # Twice is once.
    again = groups.group_session_cancel(session=session, member=organiser, reason="Ward closed")
    assert again.status == "cancelled"
    assert_books_whole()


def test_cancel_refusals(make_group, organiser, attendees):
    session = make_group(organiser)
    error = refusal(groups.group_session_cancel, session=session, member=attendees[0], reason="No")
    assert error.code == "forbidden"
    error = refusal(groups.group_session_cancel, session=session, member=organiser, reason=" ")
    assert error.code == "reason"
    error = refusal(
        groups.group_session_cancel,
        session=session,
        member=organiser,
        reason="Happy to help for fifty pounds",
    )
    assert error.code == "money"


# --- Attendance and the books ----------------------------------------------------


def test_shared_books_to_the_minute(make_group, organiser, attendees):
    """60 minutes, seven places, five attend of seven: shares of 8, pool pays 20."""
    for member in attendees[:7]:
        earn(member, 60)
    session = make_group(organiser, policy=SHARED, capacity=7, minutes=60)
    for member in attendees[:7]:
        groups.group_sign_up(session=session, member=member)
    came = [m.pk for m in attendees[:5]]
    before = balance(organiser)
    held = groups.group_attendance_record(
        session=session, member=organiser, attended_member_ids=came, now=after_start(session)
    )
    assert held.status == Session.Status.HELD
    assert held.attendance_recorded_at is not None
    assert made(held.pool_payment).amount == 20
    assert made(held.pool_payment).key == f"group-session:{session.pk}:pool"
    assert balance(organiser) - before == 60
    seats = {s.member_id: s for s in Seat.objects.filter(session=session)}
    for member in attendees[:5]:
        assert seats[member.pk].status == "attended"
        assert made(seats[member.pk].payment).amount == 8
        assert balance(member) == 180 - 8
    for member in attendees[5:7]:
        assert seats[member.pk].status == "absent"
        assert seats[member.pk].payment is None
        assert balance(member) == available(member) == 180
    assert_books_whole()


def test_free_books_to_the_minute(make_group, organiser, attendees):
    session = make_group(organiser, policy=FREE, capacity=3, minutes=90)
    for member in attendees[:3]:
        groups.group_sign_up(session=session, member=member)
    held = groups.group_attendance_record(
        session=session,
        member=organiser,
        attended_member_ids=[attendees[0].pk, attendees[1].pk],
        now=after_start(session),
    )
    assert made(held.pool_payment).amount == 90
    assert made(held.pool_payment).debit_account == pool_account()
    assert balance(organiser) == 120 + 90
    assert all(balance(m) == 120 for m in attendees[:3])
    assert Transfer.objects.filter(kind="group_session").count() == 1
    assert_books_whole()


@pytest.mark.parametrize("policy", [FREE, SHARED])
def test_nobody_attended_nobody_is_paid(make_group, organiser, attendees, policy):
    session = make_group(organiser, policy=policy, capacity=3)
    for member in attendees[:2]:
        groups.group_sign_up(session=session, member=member)
    held = groups.group_attendance_record(
        session=session, member=organiser, attended_member_ids=[], now=after_start(session)
    )
    assert held.pool_payment is None
    assert balance(organiser) == 120
    assert all(available(m) == 120 for m in attendees[:2])
    assert_books_whole()


def test_a_session_shorter_than_its_places_holds_nothing_and_the_pool_pays(
    make_group, organiser, attendees
):
    session = make_group(organiser, policy=SHARED, capacity=20, minutes=15)
    seat = groups.group_sign_up(session=session, member=attendees[0])
    assert seat.hold is None
    held = groups.group_attendance_record(
        session=session,
        member=organiser,
        attended_member_ids=[attendees[0].pk],
        now=after_start(session),
    )
    assert made(held.pool_payment).amount == 15
    assert_books_whole()


def test_attendance_refusals(make_group, organiser, attendees):
    session = make_group(organiser)
    groups.group_sign_up(session=session, member=attendees[0])
    groups.group_sign_up(session=session, member=attendees[1])
    groups.group_sign_up(session=session, member=attendees[2])
    groups.group_sign_up(session=session, member=attendees[3])  # waits
    later = after_start(session)
    record = groups.group_attendance_record
    ids = [attendees[0].pk]
    assert refusal(record, session=session, member=attendees[0], attended_member_ids=ids).code == (
        "forbidden"
    )
    early = refusal(record, session=session, member=organiser, attended_member_ids=ids)
    assert early.code == "session_not_started"
    waiting = refusal(
        record, session=session, member=organiser, attended_member_ids=[attendees[3].pk], now=later
    )
    assert waiting.code == "not_booked"
    record(session=session, member=organiser, attended_member_ids=ids, now=later)
    again = refusal(record, session=session, member=organiser, attended_member_ids=ids, now=later)
    assert again.code == "attendance_recorded"
    # A held session cannot be cancelled either.
    error = refusal(groups.group_session_cancel, session=session, member=organiser, reason="x")
    assert error.code == "session_held"
    assert_books_whole()


def test_attendance_of_a_cancelled_session_is_refused(make_group, organiser):
    session = make_group(organiser)
    groups.group_session_cancel(session=session, member=organiser, reason="Ward closed")
    error = refusal(
        groups.group_attendance_record,
        session=session,
        member=organiser,
        attended_member_ids=[],
        now=after_start(session),
    )
    assert error.code == "session_cancelled"


def test_the_clock_decides_when_sessions_start(make_group, organiser, attendees):
    session = make_group(organiser)
    groups.group_sign_up(session=session, member=attendees[0])
    with time_machine.travel(after_start(session)):
        held = groups.group_attendance_record(
            session=session, member=organiser, attended_member_ids=[attendees[0].pk]
        )
    assert held.status == "held"


# --- The community's policy -------------------------------------------------------


def test_a_community_administrator_sets_the_policy_audited(make_member):
    admin = make_member()
    member_role_grant(member=admin, role=roles.COMMUNITY_ADMIN, by=None)
    groups.group_credit_policy_set(member=admin, policy=SHARED)
    assert SchedulingSettings.current().group_credit_policy == SHARED
    entry = AuditEntry.objects.get(action=AuditEntry.Action.SETTINGS_CHANGED)
    assert entry.actor == admin
    assert entry.data == {"setting": "group_credit_policy", "before": FREE, "after": SHARED}


def test_others_cannot_set_the_policy(make_member):
    moderator = make_member()
    member_role_grant(member=moderator, role=roles.MODERATOR, by=None)
    for member in (moderator, make_member()):
        error = refusal(groups.group_credit_policy_set, member=member, policy=SHARED)
        assert error.code == "forbidden"
    assert SchedulingSettings.current().group_credit_policy == FREE


def test_the_slot_type_is_what_services_take():
    assert Slot(starts_at=timezone.now(), minutes=60, place="x").ends_at > timezone.now()


# --- What the organiser earned is theirs to give on ----------------------------


@pytest.mark.parametrize("policy", [FREE, SHARED])
def test_credits_earned_by_a_group_session_may_be_given_on(
    make_group, organiser, attendees, policy
):
    session = make_group(organiser, policy=policy, capacity=3, minutes=60)
    for attendee in attendees[:2]:
        groups.group_sign_up(session=session, member=attendee)
    groups.group_attendance_record(
        session=session,
        member=organiser,
        attended_member_ids=[attendees[0].pk],
        now=after_start(session),
    )
    account = Account.objects.get(member=organiser)
    assert account_donatable(account=account) == 60


def test_leaving_raises_the_revision_so_coming_back_is_a_new_invitation(
    make_group, organiser, attendees
):
    session = make_group(organiser)
    groups.group_sign_up(session=session, member=attendees[0])
    before = Session.objects.get(pk=session.pk).sequence
    groups.group_leave(session=session, member=attendees[0])
    assert Session.objects.get(pk=session.pk).sequence == before + 1

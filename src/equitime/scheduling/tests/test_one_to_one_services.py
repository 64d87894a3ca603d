"""One-to-one sessions' services: every rule, every refusal, and the
cancellation that follows the exchange's."""

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest

from equitime.core.errors import DomainError, ErrorKind
from equitime.core.locale import speaking_to
from equitime.exchanges import services as exchanges
from equitime.exchanges.models import Exchange, Status
from equitime.exchanges.tests.factories import exchange_at
from equitime.notifications.models import Notification
from equitime.scheduling import signals
from equitime.scheduling.models import ProposedTime, Session, SessionEvent
from equitime.scheduling.services import (
    session_cancel,
    session_choose_time,
    session_move,
    session_propose_times,
)
from equitime.scheduling.tests.conftest import NOW, slot

pytestmark = pytest.mark.django_db
Verb = SessionEvent.Verb
Kind = Notification.Kind


@pytest.fixture
def told() -> Iterator[list[dict[str, Any]]]:
    """What ``session_changed`` announced."""
    sent: list[dict[str, Any]] = []

    def receive(sender, signal=None, **kwargs):
        sent.append(kwargs)

    signals.session_changed.connect(receive, dispatch_uid="test-one-to-one")
    yield sent
    signals.session_changed.disconnect(dispatch_uid="test-one-to-one")


def refused(kind: ErrorKind, call, *, field: str | None = None, code: str | None = None):
    with pytest.raises(DomainError) as caught:
        call()
    assert caught.value.kind is kind, caught.value.message
    if field is not None:
        assert caught.value.field == field
    if code is not None:
        assert caught.value.code == code
    return caught.value


def notices(member, kind: str) -> list[Notification]:
    return list(Notification.objects.filter(recipient=member, kind=kind))


def scheduled(exchange: Exchange) -> Session:
    """Priya proposes two times, Rob chooses the first."""
    session = session_propose_times(
        exchange=exchange, member=exchange.provider, slots=[slot(9), slot(10)]
    )
    first = session.proposed_times.order_by("starts_at").first()
    assert first is not None
    return session_choose_time(proposed_time=first, member=exchange.receiver)


# --- Proposing ---------------------------------------------------------------------------


def test_the_first_proposal_makes_the_exchanges_session(accepted, london, toronto):
    session = session_propose_times(
        exchange=accepted,
        member=london,
        slots=[slot(10), slot(9, video_url="https://meet.example/a")],
    )
    assert session.kind == Session.Kind.ONE_TO_ONE
    assert session.exchange == accepted
    assert session.organiser == london  # the provider
    assert session.title == accepted.title
    assert session.status == Session.Status.PROPOSED
    assert session.sequence == 0
    times = list(session.proposed_times.all())
    assert [t.starts_at for t in times] == [slot(9).starts_at, slot(10).starts_at]
    assert {t.status for t in times} == {ProposedTime.Status.OPEN}
    assert {t.proposed_by for t in times} == {london}
    event = session.events.get()
    assert (event.verb, event.actor, event.starts_at) == (Verb.PROPOSE, london, slot(9).starts_at)
    [notice] = notices(toronto, Kind.SESSION_PROPOSED)
    assert "Priya Shah" in notice.message
    assert notice.url == f"/exchanges/{accepted.pk}/"
    assert notice.exchange == accepted
    assert not notices(london, Kind.SESSION_PROPOSED)


def test_either_party_proposes_even_before_the_exchange_is_accepted(proposed, toronto, london):
    session = session_propose_times(exchange=proposed, member=toronto, slots=[slot()])
    assert session.proposed_times.get().proposed_by == toronto
    assert notices(london, Kind.SESSION_PROPOSED)


def test_a_new_proposal_withdraws_the_open_times(accepted, london, toronto):
    session_propose_times(exchange=accepted, member=london, slots=[slot(9), slot(10)])
    session = session_propose_times(exchange=accepted, member=toronto, slots=[slot(11)])
    assert Session.objects.filter(exchange=accepted).count() == 1
    statuses = dict(session.proposed_times.values_list("starts_at", "status"))
    assert statuses == {
        slot(9).starts_at: ProposedTime.Status.WITHDRAWN,
        slot(10).starts_at: ProposedTime.Status.WITHDRAWN,
        slot(11).starts_at: ProposedTime.Status.OPEN,
    }


def test_a_member_outside_the_exchange_may_not_propose(accepted, stranger):
    refused(
        ErrorKind.FORBIDDEN,
        lambda: session_propose_times(exchange=accepted, member=stranger, slots=[slot()]),
    )
    assert not Session.objects.exists()


@pytest.mark.parametrize("count", [0, 4])
def test_one_to_three_times(accepted, london, count):
    slots = [slot(9 + n) for n in range(count)]
    refused(
        ErrorKind.INVALID,
        lambda: session_propose_times(exchange=accepted, member=london, slots=slots),
        field="times",
    )
    assert not Session.objects.exists()


def test_the_same_time_twice_is_refused(accepted, london):
    refused(
        ErrorKind.INVALID,
        lambda: session_propose_times(exchange=accepted, member=london, slots=[slot(), slot()]),
        field="times",
    )


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        (slot(-1), "starts_at"),
        (slot(minutes=50), "minutes"),
        (slot(place=""), "place"),
        (slot(place="", video_url="http://meet.example/a"), "video_url"),
    ],
)
def test_a_bad_slot_is_refused_naming_its_field(accepted, london, bad, field):
    refused(
        ErrorKind.INVALID,
        lambda: session_propose_times(exchange=accepted, member=london, slots=[slot(), bad]),
        field=field,
    )
    assert not ProposedTime.objects.exists()


@pytest.mark.parametrize("status", [Status.DECLINED, Status.CANCELLED, Status.DELIVERED])
def test_no_session_is_arranged_for_a_closed_exchange(proposed, london, status):
    exchange = exchange_at(status, exchange=proposed)
    error = refused(
        ErrorKind.CONFLICT,
        lambda: session_propose_times(exchange=exchange, member=london, slots=[slot()]),
        code="exchange_closed",
    )
    assert exchange.get_status_display() in error.message


# --- Choosing -------------------------------------------------------------------------------


def test_the_other_party_chooses_a_time(accepted, london, toronto, told):
    session = session_propose_times(
        exchange=accepted, member=london, slots=[slot(9), slot(10, minutes=90)]
    )
    second = session.proposed_times.get(starts_at=slot(10).starts_at)
    session = session_choose_time(proposed_time=second, member=toronto)
    assert session.status == Session.Status.SCHEDULED
    assert (session.starts_at, session.minutes) == (slot(10).starts_at, 90)
    assert session.place == "Seminar room 2, Education Centre"
    assert session.sequence == 0  # first time in anyone's calendar
    assert dict(session.proposed_times.values_list("pk", "status")) == {
        second.pk: ProposedTime.Status.CHOSEN,
        session.proposed_times.get(starts_at=slot(9).starts_at).pk: ProposedTime.Status.WITHDRAWN,
    }
    assert session.events.latest("id").verb == Verb.SCHEDULE
    [notice] = notices(london, Kind.SESSION_SCHEDULED)
    # In Priya's own time: London is on GMT until 29 March.
    assert "Rob Chen" in notice.message
    assert "Wed 11 Mar, 14:00 London (GMT, UTC)" in notice.message
    [announced] = told
    assert announced["session"] == session
    assert announced["recipients"] == [london, toronto]
    assert announced["cancel"] is False


def test_the_proposer_does_not_choose_their_own_time(accepted, london):
    session = session_propose_times(exchange=accepted, member=london, slots=[slot()])
    refused(
        ErrorKind.FORBIDDEN,
        lambda: session_choose_time(proposed_time=session.proposed_times.get(), member=london),
        code="own_proposal",
    )
    assert Session.objects.get().status == Session.Status.PROPOSED


def test_a_stranger_does_not_choose(accepted, london, stranger):
    session = session_propose_times(exchange=accepted, member=london, slots=[slot()])
    refused(
        ErrorKind.FORBIDDEN,
        lambda: session_choose_time(proposed_time=session.proposed_times.get(), member=stranger),
    )


def test_a_withdrawn_time_cannot_be_chosen(accepted, london, toronto):
    session = session_propose_times(exchange=accepted, member=london, slots=[slot(9)])
    old = session.proposed_times.get()
    session_propose_times(exchange=accepted, member=london, slots=[slot(10)])
    refused(
        ErrorKind.CONFLICT,
        lambda: session_choose_time(proposed_time=old, member=toronto),
        code="time_withdrawn",
    )


def test_a_time_that_has_passed_cannot_be_chosen(accepted, london, toronto, clock):
    session = session_propose_times(exchange=accepted, member=london, slots=[slot(1)])
    clock.shift(timedelta(days=2))
    refused(
        ErrorKind.CONFLICT,
        lambda: session_choose_time(proposed_time=session.proposed_times.get(), member=toronto),
        code="time_passed",
    )


def test_a_time_of_a_cancelled_exchange_cannot_be_chosen(accepted, london, toronto):
    session = session_propose_times(exchange=accepted, member=london, slots=[slot()])
    time = session.proposed_times.get()
    exchanges.exchange_cancel(exchange=accepted, member=london, reason="Off sick")
    refused(ErrorKind.CONFLICT, lambda: session_choose_time(proposed_time=time, member=toronto))


# --- Moving -----------------------------------------------------------------------------------


def test_proposing_on_a_scheduled_session_offers_a_move_and_the_old_time_stands(
    accepted, london, toronto, told
):
    session = scheduled(accepted)
    told.clear()
    session = session_propose_times(
        exchange=accepted, member=toronto, slots=[slot(12)], reason="Night shifts that week"
    )
    assert session.status == Session.Status.SCHEDULED
    assert session.starts_at == slot(9).starts_at
    assert session.events.latest("id").reason == "Night shifts that week"
    assert "move" in notices(london, Kind.SESSION_PROPOSED)[0].message
    assert not told  # nothing changed in calendars yet
    session = session_choose_time(
        proposed_time=session.proposed_times.get(status="open"), member=london
    )
    assert session.starts_at == slot(12).starts_at
    assert session.sequence == 1
    assert session.events.latest("id").verb == Verb.MOVE
    [moved] = notices(toronto, Kind.SESSION_MOVED)
    # Rob's own time, as he reads it: Toronto is on EDT from 8 March.
    with speaking_to(toronto):
        assert "Fri 13 Mar, 10:00 Toronto (EDT, UTC\u22124)" in moved.message
    assert told[0]["cancel"] is False


def test_either_party_moves_a_scheduled_session_with_a_reason(accepted, london, toronto, told):
    session = scheduled(accepted)
    session_propose_times(exchange=accepted, member=london, slots=[slot(20)])
    told.clear()
    session = session_move(
        session=session,
        member=toronto,
        slot=slot(14, hour=15, minutes=45, place="", video_url="https://meet.example/x"),
        reason="  Rota changed  ",
    )
    assert (session.starts_at, session.minutes) == (slot(14, hour=15).starts_at, 45)
    assert (session.place, session.video_url) == ("", "https://meet.example/x")
    assert session.sequence == 1
    assert not session.proposed_times.filter(status="open").exists()
    event = session.events.latest("id")
    assert (event.verb, event.actor, event.reason) == (Verb.MOVE, toronto, "Rota changed")
    [notice] = notices(london, Kind.SESSION_MOVED)
    assert "Rota changed" in notice.message and "15:00 London" in notice.message
    assert told[0]["cancel"] is False and told[0]["recipients"] == [london, toronto]


def test_a_move_needs_a_reason_a_good_slot_and_a_party(accepted, london, stranger):
    session = scheduled(accepted)
    refused(
        ErrorKind.INVALID,
        lambda: session_move(session=session, member=london, slot=slot(12), reason=" "),
        field="reason",
    )
    refused(
        ErrorKind.INVALID,
        lambda: session_move(session=session, member=london, slot=slot(-2), reason="Rota"),
        field="starts_at",
    )
    refused(
        ErrorKind.FORBIDDEN,
        lambda: session_move(session=session, member=stranger, slot=slot(12), reason="Rota"),
    )
    assert Session.objects.get().sequence == 0


def test_a_session_without_a_time_is_not_moved(accepted, london):
    session = session_propose_times(exchange=accepted, member=london, slots=[slot()])
    refused(
        ErrorKind.CONFLICT,
        lambda: session_move(session=session, member=london, slot=slot(12), reason="Rota"),
        code="not_scheduled",
    )


# --- Cancelling ---------------------------------------------------------------------------------


def test_either_party_cancels_a_scheduled_session(accepted, london, toronto, told):
    session = scheduled(accepted)
    session_propose_times(exchange=accepted, member=london, slots=[slot(20)])
    told.clear()
    session = session_cancel(session=session, member=toronto, reason="Off sick")
    assert session.status == Session.Status.CANCELLED
    assert (session.cancelled_by, session.cancel_reason) == (toronto, "Off sick")
    assert session.cancelled_at == NOW
    assert session.sequence == 1
    assert not session.proposed_times.filter(status="open").exists()
    assert session.events.latest("id").verb == Verb.CANCEL
    assert "Off sick" in notices(london, Kind.SESSION_CANCELLED)[0].message
    assert told == [{"session": session, "recipients": [london, toronto], "cancel": True}]
    assert Exchange.objects.get(pk=accepted.pk).status == Status.ACCEPTED


def test_cancelling_a_session_with_no_time_tells_no_calendar(accepted, london, toronto, told):
    session = session_propose_times(exchange=accepted, member=london, slots=[slot()])
    session = session_cancel(session=session, member=london, reason="We spoke by phone")
    assert session.status == Session.Status.CANCELLED
    assert not told
    assert notices(toronto, Kind.SESSION_CANCELLED)


def test_a_cancelled_session_is_closed_to_every_change(accepted, london, toronto):
    session = scheduled(accepted)
    session_cancel(session=session, member=london, reason="Off sick")
    for call in (
        lambda: session_cancel(session=session, member=toronto, reason="Again"),
        lambda: session_move(session=session, member=toronto, slot=slot(12), reason="Rota"),
        lambda: session_propose_times(exchange=accepted, member=toronto, slots=[slot(12)]),
    ):
        refused(ErrorKind.CONFLICT, call, code="session_cancelled")


def test_a_cancellation_needs_a_reason_and_a_party(accepted, london, stranger):
    session = scheduled(accepted)
    refused(
        ErrorKind.INVALID,
        lambda: session_cancel(session=session, member=london, reason=""),
        field="reason",
    )
    refused(
        ErrorKind.FORBIDDEN,
        lambda: session_cancel(session=session, member=stranger, reason="Not mine"),
    )
    assert Session.objects.get().status == Session.Status.SCHEDULED


# --- The exchange closes: its session goes with it -------------------------------------------


def test_cancelling_the_exchange_cancels_its_scheduled_session(accepted, london, toronto, told):
    session = scheduled(accepted)
    told.clear()
    exchanges.exchange_cancel(exchange=accepted, member=toronto, reason="Moved wards")
    session = Session.objects.get(pk=session.pk)
    assert session.status == Session.Status.CANCELLED
    assert (session.cancelled_by, session.cancel_reason) == (toronto, "Moved wards")
    assert session.sequence == 1
    assert told == [{"session": session, "recipients": [london, toronto], "cancel": True}]


def test_declining_the_exchange_cancels_its_proposed_session(proposed, london, toronto, told):
    session = session_propose_times(exchange=proposed, member=toronto, slots=[slot()])
    exchanges.exchange_decline(exchange=proposed, member=london, reason="On leave")
    session = Session.objects.get(pk=session.pk)
    assert session.status == Session.Status.CANCELLED
    assert session.cancel_reason == "On leave"
    assert session.proposed_times.get().status == ProposedTime.Status.WITHDRAWN
    assert not told  # it was in nobody's calendar


def test_a_cancelled_exchange_without_a_reason_says_why_its_session_went(accepted, london):
    session = scheduled(accepted)
    exchanges.exchange_cancel(exchange=accepted, member=london)
    assert Session.objects.get(pk=session.pk).cancel_reason == "The exchange was cancelled."


def test_voiding_a_disputed_exchange_cancels_its_session(accepted, london, told):
    session = scheduled(accepted)
    exchange_at(Status.VOIDED, exchange=accepted)
    assert Session.objects.get(pk=session.pk).status == Session.Status.CANCELLED


def test_an_exchange_that_is_completed_keeps_its_session(accepted):
    session = scheduled(accepted)
    exchange_at(Status.COMPLETED, exchange=accepted)
    assert Session.objects.get(pk=session.pk).status == Session.Status.SCHEDULED

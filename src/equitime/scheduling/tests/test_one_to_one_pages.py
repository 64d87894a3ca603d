"""The session panel on the exchange page, its four actions, and My sessions:
as each party, as another member, logged out; and each party reading times
on their own clock (Priya in London, Rob in Toronto)."""

import re
from datetime import UTC, datetime

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from equitime.exchanges.models import Exchange, Status
from equitime.exchanges.tests.factories import exchange_at, moderator_for_tests
from equitime.scheduling.models import ProposedTime, Session
from equitime.scheduling.services import session_choose_time, session_propose_times
from equitime.scheduling.slots import Slot
from equitime.scheduling.tests.conftest import slot

pytestmark = pytest.mark.django_db

# 14:00 in London on Tuesday 10 March 2026 (GMT) is 10:00 in Toronto (EDT since the 8th).
TUESDAY = datetime(2026, 3, 10, 14, 0, tzinfo=UTC)


def page(client, exchange: Exchange) -> str:
    return client.get(reverse("exchange_detail", args=[exchange.pk])).content.decode()


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def said(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def propose_form(prefix: str = "propose", row: str = "1", **values: str) -> dict[str, str]:
    data = {
        f"{prefix}-date{row}": "2026-03-10",
        f"{prefix}-time{row}": "14:00",
        f"{prefix}-length{row}": "60",
        f"{prefix}-place{row}": "Seminar room 2",
    }
    data.update({f"{prefix}-{name}": value for name, value in values.items()})
    return data


def move_form(**values: str) -> dict[str, str]:
    data = {
        "move-date": "2026-03-12",
        "move-time": "09:30",
        "move-length": "45",
        "move-video_url": "https://meet.example/abc",
        "move-reason": "Ward round moved",
    }
    data.update({f"move-{name}": value for name, value in values.items()})
    return data


def url(name: str, exchange: Exchange, **more: int) -> str:
    return reverse(name, kwargs={"pk": exchange.pk, **more})


def scheduled_session(exchange: Exchange, when: datetime = TUESDAY) -> Session:
    session = session_propose_times(
        exchange=exchange,
        member=exchange.provider,
        slots=[Slot(starts_at=when, minutes=60, place="Seminar room 2")],
    )
    return session_choose_time(proposed_time=session.proposed_times.get(), member=exchange.receiver)


# --- The panel --------------------------------------------------------------------------


def test_a_party_is_invited_to_propose_times(client, accepted, london):
    client.force_login(london)
    html = page(client, accepted)
    assert 'data-testid="session-panel"' in html
    assert "No time is set yet" in html
    assert url("session_propose", accepted) in html
    assert "Type times on your own clock: London (GMT, UTC)" in text_of(html)


def test_the_proposer_types_times_on_their_own_clock_and_the_other_reads_theirs(
    client, accepted, london, toronto
):
    client.force_login(london)
    data = propose_form() | propose_form(row="2", date2="2026-03-30", time2="14:00")
    response = client.post(url("session_propose", accepted), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("exchange_detail", args=[accepted.pk])
    assert "Your times are sent" in said(response)[0]
    times = list(ProposedTime.objects.order_by("starts_at"))
    # 30 March: London is on BST (UTC+1) since the 29th.
    assert [t.starts_at for t in times] == [TUESDAY, datetime(2026, 3, 30, 13, 0, tzinfo=UTC)]

    mine = text_of(page(client, accepted))
    assert "Tuesday 10 March 2026, 14:00\u201315:00" in mine
    assert "Monday 30 March 2026, 14:00\u201315:00" in mine
    assert "waiting for Rob Chen to choose" in mine
    assert "Choose this time" not in mine

    client.force_login(toronto)
    theirs = text_of(page(client, accepted))
    assert "Tuesday 10 March 2026, 10:00\u201311:00" in theirs
    assert "Your time, Toronto (EDT, UTC\u22124)" in theirs
    assert "Tue 10 Mar, 14:00 in London (GMT, UTC), Priya Shah's time" in theirs
    assert "Monday 30 March 2026, 09:00\u201310:00" in theirs
    assert "Mon 30 Mar, 14:00 in London (BST, UTC+1), Priya Shah's time" in theirs
    assert theirs.count("Choose this time") == 2


def test_the_other_party_chooses_and_both_read_their_own_time(client, accepted, london, toronto):
    session = session_propose_times(
        exchange=accepted,
        member=london,
        slots=[Slot(starts_at=TUESDAY, minutes=60, place="Seminar room 2")],
    )
    time = session.proposed_times.get()
    client.force_login(toronto)
    response = client.post(url("session_choose", accepted, time_pk=time.pk))
    assert response.status_code == 302
    assert said(response) == [
        "The session is set for Tuesday 10 March 2026, 10:00\u201311:00 (your time). "
        "Your colleague is told."
    ]
    assert Session.objects.get().status == Session.Status.SCHEDULED

    theirs = text_of(page(client, accepted))
    assert "Tuesday 10 March 2026, 10:00\u201311:00 your time, Toronto (EDT, UTC\u22124)" in theirs
    assert "Tue 10 Mar, 14:00 in London (GMT, UTC), Priya Shah's time" in theirs
    assert "Seminar room 2" in theirs
    assert "Rob Chen chose a time: Tue 10 Mar, 10:00\u201311:00" in theirs  # the history

    client.force_login(london)
    mine = text_of(page(client, accepted))
    assert "Tuesday 10 March 2026, 14:00\u201315:00 your time, London (GMT, UTC)" in mine
    assert "Tue 10 Mar, 10:00 in Toronto (EDT, UTC\u22124), Rob Chen's time" in mine
    assert "Move the session" in mine and "Cancel the session" in mine


def test_members_in_one_zone_are_not_told_the_other_time(client, accepted, london, toronto):
    toronto.profile.time_zone = "Europe/London"
    toronto.profile.save()
    scheduled_session(accepted)
    client.force_login(london)
    assert 'data-testid="session-other-time"' not in page(client, accepted)


def test_the_proposer_cannot_choose_their_own_time(client, accepted, london):
    session = session_propose_times(exchange=accepted, member=london, slots=[slot()])
    client.force_login(london)
    response = client.post(url("session_choose", accepted, time_pk=session.proposed_times.get().pk))
    assert response.status_code == 302
    assert "Rob Chen chooses" in said(response)[0]
    assert Session.objects.get().status == Session.Status.PROPOSED


def test_the_skipped_hour_is_an_error_on_the_time(client, accepted, london, toronto):
    client.force_login(toronto)
    response = client.post(
        url("session_propose", accepted),
        propose_form(date1="2026-03-08", time1="02:30"),
    )
    assert response.status_code == 422
    html = text_of(response.content.decode())
    assert "02:30 does not exist in Toronto that day: the clocks go forward." in html
    assert 'id="id_propose-time1_error"' in response.content.decode()
    client.force_login(london)
    response = client.post(
        url("session_propose", accepted), propose_form(date1="2026-03-29", time1="01:30")
    )
    assert response.status_code == 422
    assert "01:30 does not exist in London that day" in text_of(response.content.decode())
    assert not ProposedTime.objects.exists()


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"date1": "2026-02-27"}, "time1", "Choose a time in the future."),
        ({"place1": ""}, "place1", "Say where: a place, or a video link."),
        ({"video_url1": "http://meet.example/a"}, "video_url1", "starts with https://"),
        ({"date1": "", "time1": ""}, "date1", "This field is required."),
        ({"date2": "2026-03-11"}, "time2", "Give the date and the start time."),
    ],
)
def test_a_bad_time_is_shown_beside_its_field(client, accepted, london, values, field, message):
    client.force_login(london)
    response = client.post(url("session_propose", accepted), propose_form(**values))
    assert response.status_code == 422
    html = response.content.decode()
    assert f'id="id_propose-{field}_error"' in html
    assert message in text_of(html)
    assert not ProposedTime.objects.exists()


def test_the_same_time_twice_is_shown_on_the_form(client, accepted, london):
    client.force_login(london)
    data = propose_form() | propose_form(row="2", date2="2026-03-10", time2="14:00")
    response = client.post(url("session_propose", accepted), data)
    assert response.status_code == 422
    assert "You proposed the same time twice" in response.content.decode()


def test_a_party_moves_the_session_with_a_reason(client, accepted, london, toronto):
    scheduled_session(accepted)
    client.force_login(toronto)
    response = client.post(url("session_move", accepted), move_form())
    assert response.status_code == 302
    assert said(response) == ["The session is moved. Your colleague is told."]
    session = Session.objects.get()
    # 09:30 in Toronto (EDT) is 13:30 UTC.
    assert session.starts_at == datetime(2026, 3, 12, 13, 30, tzinfo=UTC)
    assert (session.minutes, session.sequence) == (45, 1)
    client.force_login(london)
    mine = text_of(page(client, accepted))
    assert "Thursday 12 March 2026, 13:30\u201314:15" in mine
    assert "“Ward round moved”" in mine
    assert "https://meet.example/abc" in mine


def test_a_move_without_a_reason_is_shown_on_the_form(client, accepted, london):
    scheduled_session(accepted)
    client.force_login(london)
    response = client.post(url("session_move", accepted), move_form(reason=""))
    assert response.status_code == 422
    assert 'id="id_move-reason_error"' in response.content.decode()
    assert Session.objects.get().sequence == 0


def test_a_party_cancels_the_session_with_a_reason(client, accepted, london):
    scheduled_session(accepted)
    client.force_login(london)
    response = client.post(url("session_cancel", accepted), {"session_cancel-reason": "Off sick"})
    assert response.status_code == 302
    assert Session.objects.get().status == Session.Status.CANCELLED
    html = text_of(page(client, accepted))
    assert "Cancelled “Off sick”" in html
    assert "Propose times" not in html  # a cancelled session is closed


def test_a_cancellation_without_a_reason_is_refused(client, accepted, london):
    scheduled_session(accepted)
    client.force_login(london)
    response = client.post(url("session_cancel", accepted), {"session_cancel-reason": " "})
    assert response.status_code == 422
    assert Session.objects.get().status == Session.Status.SCHEDULED


def test_an_action_out_of_turn_goes_back_with_the_reason(client, accepted, london):
    session_propose_times(exchange=accepted, member=london, slots=[slot()])
    client.force_login(london)
    response = client.post(url("session_move", accepted), move_form())
    assert response.status_code == 302
    assert said(response) == ["No time has been chosen yet: propose times instead."]


def test_the_forms_have_pages_of_their_own(client, accepted, london):
    scheduled_session(accepted)
    client.force_login(london)
    for name, heading in (
        ("session_propose", "Propose times"),
        ("session_move", "Move the session"),
        ("session_cancel", "Cancel the session"),
    ):
        response = client.get(url(name, accepted))
        assert response.status_code == 200
        assert f"<h1>{heading}</h1>" in response.content.decode()


# --- Who may --------------------------------------------------------------------------------


def test_another_member_sees_no_exchange_and_reaches_no_action(client, accepted, stranger):
    session = scheduled_session(accepted)
    client.force_login(stranger)
    for name, data in (
        ("session_propose", propose_form(date1="2026-03-11")),
        ("session_move", move_form()),
        ("session_cancel", {"session_cancel-reason": "Not mine"}),
    ):
        assert client.post(url(name, accepted), data).status_code == 404
    time = ProposedTime.objects.get()
    assert client.post(url("session_choose", accepted, time_pk=time.pk)).status_code == 404
    session.refresh_from_db()
    assert (session.status, session.sequence) == (Session.Status.SCHEDULED, 0)


def test_a_moderator_reading_a_dispute_sees_no_session_panel(client, accepted):
    scheduled_session(accepted)
    disputed = exchange_at(Status.DISPUTED, exchange=accepted)
    client.force_login(moderator_for_tests())
    html = page(client, disputed)
    assert "The exchange" in html and 'data-testid="session-panel"' not in html
    assert (
        client.post(url("session_cancel", disputed), {"session_cancel-reason": "x"}).status_code
        == 404
    )


def test_logged_out_visitors_are_sent_to_sign_in(client, accepted):
    session = scheduled_session(accepted)
    time = ProposedTime.objects.get(session=session)
    for address in (
        url("session_propose", accepted),
        url("session_move", accepted),
        url("session_cancel", accepted),
        url("session_choose", accepted, time_pk=time.pk),
        reverse("session_list"),
    ):
        response = client.post(address, {"session_cancel-reason": "x"})
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_choosing_is_a_post(client, accepted, london, toronto):
    session = session_propose_times(exchange=accepted, member=london, slots=[slot()])
    client.force_login(toronto)
    response = client.get(url("session_choose", accepted, time_pk=session.proposed_times.get().pk))
    assert response.status_code == 405


# --- My sessions ------------------------------------------------------------------------------


def test_my_sessions_lists_what_is_coming_on_my_clock(
    client, accepted, toronto, offer, make_member
):
    scheduled_session(accepted)
    waiting = exchange_at(Status.ACCEPTED, listing=offer, receiver=make_member())
    session_propose_times(exchange=waiting, member=waiting.provider, slots=[slot(11), slot(12)])
    client.force_login(toronto)
    response = client.get(reverse("session_list"))
    html = text_of(response.content.decode())
    assert "Times are on your own clock: Toronto" in html
    assert "Tuesday 10 March 2026, 10:00\u201311:00" in html
    assert "Tue 10 Mar, 14:00 in London (GMT, UTC), Priya Shah's time" in html
    assert "Waiting for a time" not in html  # the other exchange is not Rob's

    client.force_login(accepted.provider)
    html = text_of(client.get(reverse("session_list")).content.decode())
    assert "With Priya" not in html
    assert "2 times proposed" in html


def test_my_sessions_is_linked_from_the_main_navigation(client, london):
    client.force_login(london)
    html = client.get(reverse("dashboard")).content.decode()
    assert f'href="{reverse("session_list")}"' in html


def test_my_sessions_queries_do_not_grow_with_sessions(client, london, offer, make_member):
    client.force_login(london)
    client.get(reverse("session_list"))  # warm: the session and the member

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("session_list")).status_code == 200
        return len(queries)

    exchange = exchange_at(Status.ACCEPTED, listing=offer, receiver=make_member())
    scheduled_session(exchange)
    one = count()
    for _ in range(3):
        scheduled_session(exchange_at(Status.ACCEPTED, listing=offer, receiver=make_member()))
    assert count() == one

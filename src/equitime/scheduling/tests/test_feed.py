"""The calendar page, the personal feed, one session's download, and the
calendar API: who may reach what, and that a revoked address stops at once."""

import json
from datetime import UTC, datetime

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from equitime.api.services import api_token_create
from equitime.members.tests.factories import make_member
from equitime.scheduling.ical import event_uid
from equitime.scheduling.models import CalendarSettings, Seat
from equitime.scheduling.tests.calendar_support import (
    group,
    one_to_one,
    parsed,
    provider_of,
    receiver_of,
    seat,
)

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def member():
    return make_member(display_name="Amina Shah")


def feed_path(member) -> str:
    token = CalendarSettings.objects.get(member=member).feed_token
    return reverse("calendar_feed", kwargs={"token": token})


# --- The page ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["calendar", "calendar_reminders", "calendar_feed_make", "calendar_feed_revoke"]
)
def test_signed_out_visitors_are_sent_to_sign_in(client, name):
    response = client.post(reverse(name)) if name != "calendar" else client.get(reverse(name))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_page_offers_a_feed_and_the_reminder_choices(client, member):
    client.force_login(member)

    response = client.get(reverse("calendar"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Your calendar" in page
    assert "Make my calendar feed" in page
    assert 'name="remind_day_before"' in page and 'name="remind_hour_before"' in page
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    assert not CalendarSettings.objects.filter(member=member).exists()  # looking makes nothing


def test_the_account_menu_links_the_calendar(client, member):
    client.force_login(member)

    response = client.get(reverse("dashboard"))

    assert f'href="{reverse("calendar")}"' in response.content.decode()


def test_making_a_feed_shows_its_address_and_how_to_subscribe(client, member):
    client.force_login(member)

    response = client.post(reverse("calendar_feed_make"), follow=True)

    page = response.content.decode()
    assert "Your calendar feed is ready" in page
    url = "http://testserver" + feed_path(member)
    assert f'value="{url}"' in page
    assert "webcal://testserver" + feed_path(member) in page
    assert "calendar.google.com" in page and "Subscribe from web" in page


def test_a_new_address_stops_the_old_one_at_once(client, member):
    client.force_login(member)
    client.post(reverse("calendar_feed_make"))
    old = feed_path(member)

    response = client.post(reverse("calendar_feed_make"), follow=True)

    assert "The old one no longer works" in response.content.decode()
    new = feed_path(member)
    assert new != old
    client.logout()
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200


def test_turning_the_feed_off_stops_its_address(client, member):
    client.force_login(member)
    client.post(reverse("calendar_feed_make"))
    path = feed_path(member)

    response = client.post(reverse("calendar_feed_revoke"), follow=True)

    assert "Your calendar feed is turned off" in response.content.decode()
    assert CalendarSettings.objects.get(member=member).feed_token is None
    assert client.get(path).status_code == 404


def test_reminder_choices_are_saved(client, member):
    client.force_login(member)

    response = client.post(reverse("calendar_reminders"), {"remind_day_before": "on"}, follow=True)

    assert "Your reminder choices are saved" in response.content.decode()
    settings = CalendarSettings.objects.get(member=member)
    assert (settings.remind_day_before, settings.remind_hour_before) == (True, False)


def test_the_forms_need_the_csrf_token(member):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(member)

    for name in ("calendar_feed_make", "calendar_feed_revoke", "calendar_reminders"):
        assert client.post(reverse(name)).status_code == 403
    assert not CalendarSettings.objects.filter(member=member).exists()


# --- The feed ------------------------------------------------------------------------


def test_the_owner_s_feed_lists_their_sessions_without_signing_in(client, member):
    session = one_to_one(provider=member)
    client.force_login(member)
    client.post(reverse("calendar_feed_make"))
    client.logout()

    response = client.get(feed_path(member))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    calendar, other = parsed(response.content)
    assert [str(e["uid"]) for e in calendar.walk("VEVENT")] == [event_uid(session)]
    assert [e.uid for e in other.events] == [event_uid(session)]


@pytest.mark.parametrize("token", ["x", "not-a-real-token-" + "a" * 30])
def test_an_unknown_address_is_not_found(client, token):
    response = client.get(reverse("calendar_feed", kwargs={"token": token}))

    assert response.status_code == 404


def test_a_suspended_member_s_feed_is_not_found(client, member):
    client.force_login(member)
    client.post(reverse("calendar_feed_make"))
    client.logout()
    path = feed_path(member)
    type(member).objects.filter(pk=member.pk).update(is_active=False)

    assert client.get(path).status_code == 404


def test_the_feed_answers_only_get(client, member):
    client.force_login(member)
    client.post(reverse("calendar_feed_make"))

    assert client.post(feed_path(member)).status_code == 405


def test_one_address_is_limited_in_how_often_it_is_fetched(client, member, settings):
    settings.EQUITIME_CALENDAR_FEED_RATE = "2/m"
    client.force_login(member)
    client.post(reverse("calendar_feed_make"))
    client.logout()
    path = feed_path(member)

    statuses = [client.get(path).status_code for _ in range(3)]

    assert statuses == [200, 200, 429]
    assert client.get(path)["Retry-After"] == "60"  # the clock stands at the minute's start


# --- One session's file --------------------------------------------------------------


def download(client, session):
    return client.get(reverse("session_calendar", kwargs={"pk": session.pk}))


def test_both_parties_download_a_one_to_one_session(client):
    session = one_to_one()

    for party in (provider_of(session), receiver_of(session)):
        client.force_login(party)
        response = download(client, session)
        assert response.status_code == 200
        assert response["Content-Type"] == "text/calendar; charset=utf-8"
        assert "attachment" in response["Content-Disposition"]
        calendar, other = parsed(response.content)
        assert calendar["method"] == other.method == "PUBLISH"


def test_the_organiser_and_attendees_download_a_group_session_and_nobody_else(client):
    booked, waiting, left, stranger = (make_member() for _ in range(4))
    session = group(attendees=[booked])
    seat(session, waiting, Seat.Status.WAITING)
    seat(session, left, Seat.Status.LEFT)

    expected = {session.organiser: 200, booked: 200, waiting: 404, left: 404, stranger: 404}
    for member, status in expected.items():
        client.force_login(member)
        assert download(client, session).status_code == status


def test_another_member_cannot_download_a_session_they_are_not_part_of(client):
    session = one_to_one()
    client.force_login(make_member())

    assert download(client, session).status_code == 404
    client.logout()
    response = download(client, session)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


# --- The API -------------------------------------------------------------------------


def api(client, method: str, path: str, body: dict | None = None, *, headers=None):
    return client.generic(
        method,
        "/api/v1/calendar" + path,
        json.dumps(body) if body is not None else "",
        content_type="application/json",
        headers=headers or {},
    )


def test_the_api_makes_shows_and_revokes_the_feed(client, member):
    client.force_login(member)

    assert api(client, "GET", "/feed").json() == {"url": None, "created_at": None}
    made = api(client, "POST", "/feed")
    assert made.status_code == 201
    url = made.json()["url"]
    assert url == "http://127.0.0.1:8000" + feed_path(member)
    assert api(client, "GET", "/feed").json()["url"] == url
    again = api(client, "POST", "/feed").json()["url"]
    assert again != url
    revoked = api(client, "DELETE", "/feed")
    assert revoked.status_code == 200 and revoked.json()["url"] is None
    assert client.get(again.removeprefix("http://127.0.0.1:8000")).status_code == 404


def test_the_api_reads_and_changes_the_reminder_choices(client, member):
    client.force_login(member)

    assert api(client, "GET", "/reminders").json() == {
        "remind_day_before": True,
        "remind_hour_before": True,
    }
    changed = api(client, "PATCH", "/reminders", {"remind_hour_before": False})

    assert changed.status_code == 200
    assert changed.json() == {"remind_day_before": True, "remind_hour_before": False}
    settings = CalendarSettings.objects.get(member=member)
    assert (settings.remind_day_before, settings.remind_hour_before) == (True, False)


def test_the_api_refuses_a_reminder_choice_that_is_not_yes_or_no(client, member):
    client.force_login(member)

    response = api(client, "PATCH", "/reminders", {"remind_day_before": "sometimes"})

    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/problem+json")
    assert not CalendarSettings.objects.filter(member=member).exists()


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/feed"),
        ("POST", "/feed"),
        ("DELETE", "/feed"),
        ("GET", "/reminders"),
        ("PATCH", "/reminders"),
    ],
)
def test_the_api_asks_who_is_calling(client, method, path):
    response = api(client, method, path, {} if method == "PATCH" else None)

    assert response.status_code == 401
    assert not CalendarSettings.objects.exists()


def test_a_read_only_token_reads_but_changes_nothing(client, member):
    _token, secret = api_token_create(member=member, name="reader", read_only=True)
    bearer = {"Authorization": f"Bearer {secret}"}

    assert api(client, "GET", "/feed", headers=bearer).status_code == 200
    assert api(client, "POST", "/feed", headers=bearer).status_code == 403
    assert (
        api(client, "PATCH", "/reminders", {"remind_day_before": False}, headers=bearer).status_code
        == 403
    )
    assert not CalendarSettings.objects.filter(member=member).exists()


def test_a_member_s_api_calls_touch_only_their_own_settings(client, member):
    other = make_member()
    client.force_login(other)
    api(client, "POST", "/feed")
    client.force_login(member)

    assert api(client, "GET", "/feed").json()["url"] is None
    api(client, "DELETE", "/feed")
    assert CalendarSettings.objects.get(member=other).feed_token is not None

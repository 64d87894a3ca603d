"""The group sessions' pages, as the organiser, another member and nobody
signed in see them."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from equitime.audit.models import AuditEntry
from equitime.dashboard.statement import statement_row
from equitime.ledger.models import Account, Transfer
from equitime.members import roles
from equitime.members.models import Profile
from equitime.members.services import member_role_grant
from equitime.scheduling import groups
from equitime.scheduling.group_selectors import group_sessions_upcoming
from equitime.scheduling.models import CreditPolicy, SchedulingSettings, Seat, Session
from equitime.skills.models import ImprovementArea

pytestmark = pytest.mark.django_db
LOGIN = reverse("account_login")


def url(name: str, session=None) -> str:
    return reverse(name, args=[session.pk]) if session is not None else reverse(name)


def signed_in(client, member):
    client.force_login(member)
    return client


def page(client, address) -> str:
    response = client.get(address)
    assert response.status_code == 200
    return response.content.decode()


# --- Nobody signed in ----------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["group_session_list", "group_session_create", "scheduling_settings"],
)
def test_pages_send_nobody_to_sign_in(client, db, name):
    response = client.get(url(name))
    assert response.status_code == 302 and response.url.startswith(LOGIN)


@pytest.mark.parametrize(
    "name",
    [
        "group_session_detail",
        "group_sign_up",
        "group_leave",
        "group_session_cancel",
        "group_attendance",
    ],
)
def test_session_pages_send_nobody_to_sign_in(client, make_group, organiser, name):
    session = make_group(organiser)
    method = client.get if name == "group_session_detail" else client.post
    response = method(url(name, session))
    assert response.status_code == 302 and response.url.startswith(LOGIN)
    assert not Seat.objects.exists()
    assert Session.objects.get().status == "scheduled"


# --- The list and the browse page ------------------------------------------------


def test_the_list_shows_upcoming_sessions_with_free_places(
    client, make_group, organiser, attendees
):
    session = make_group(organiser, capacity=3)
    groups.group_sign_up(session=session, member=attendees[0])
    other_area = ImprovementArea.objects.exclude(slug="patient-safety").first()
    make_group(organiser, title="Journal club", improvement_area=other_area)
    html = page(signed_in(client, attendees[1]), url("group_session_list"))
    assert "Run charts for ward teams" in html and "2 of 3 places left" in html
    assert "Journal club" in html
    filtered = page(client, url("group_session_list") + "?area=patient-safety")
    assert "Run charts for ward teams" in filtered and "Journal club" not in filtered
    assert page(client, url("group_session_list") + "?area=<script>&page=x")


def test_group_sessions_appear_on_the_browse_page(client, make_group, organiser, member):
    make_group(organiser)
    html = page(signed_in(client, member), reverse("listing_browse"))
    assert "Group sessions coming up" in html and "Run charts for ward teams" in html
    requests_only = page(client, reverse("listing_browse") + "?kind=request")
    assert "Run charts for ward teams" not in requests_only
    searched = page(client, reverse("listing_browse") + "?q=journal")
    assert "Run charts for ward teams" not in searched


def test_the_owner_of_an_offer_can_run_it_as_a_group(client, make_listing, organiser, member):
    offer = make_listing(organiser)
    link = "Run this as a group session"
    assert link in page(signed_in(client, organiser), reverse("listing_detail", args=[offer.pk]))
    assert link not in page(signed_in(client, member), reverse("listing_detail", args=[offer.pk]))


# --- Creating ----------------------------------------------------------------------


def form_data(day: date, at: str = "14:00", **extra) -> dict[str, str]:
    return {
        "title": "QI clinic",
        "description": "Bring a project.",
        "improvement_area": str(ImprovementArea.objects.get(slug="patient-safety").pk),
        "benefit": "Projects get unstuck.",
        "date": day.isoformat(),
        "time": at,
        "hours": "1.5",
        "capacity": "6",
        "place": "Library",
        "video_url": "",
    } | extra


def test_creating_a_session_reads_the_time_on_the_organisers_clock(client, organiser):
    Profile.objects.filter(member=organiser).update(time_zone="America/Toronto")
    day = (timezone.now() + timedelta(days=10)).date()
    response = signed_in(client, organiser).post(url("group_session_create"), form_data(day))
    session = Session.objects.get()
    assert response.status_code == 302 and response.url == url("group_session_detail", session)
    wall = datetime.combine(day, time(14, 0), tzinfo=ZoneInfo("America/Toronto"))
    assert session.starts_at == wall
    assert session.minutes == 90 and session.capacity == 6


def test_the_skipped_hour_is_a_form_error(client, organiser):
    Profile.objects.filter(member=organiser).update(time_zone="Europe/London")
    today = timezone.now().date()
    # The last Sunday of March, next time it comes round.
    year = today.year + (1 if today >= date(today.year, 3, 25) else 0)
    march_end = date(year, 3, 31)
    day = march_end - timedelta(days=(march_end.weekday() + 1) % 7)
    response = signed_in(client, organiser).post(
        url("group_session_create"), form_data(day, at="01:30")
    )
    assert response.status_code == 200
    assert "clocks go forward" in response.content.decode()
    assert not Session.objects.exists()


def test_a_refusal_from_the_service_is_shown_on_the_form(client, organiser):
    yesterday = (timezone.now() - timedelta(days=1)).date()
    response = signed_in(client, organiser).post(url("group_session_create"), form_data(yesterday))
    assert response.status_code == 200
    assert "Choose a time in the future." in response.content.decode()


def test_a_session_from_an_offer_is_prefilled_and_linked(client, make_listing, organiser):
    offer = make_listing(organiser, title="Statistics surgery")
    client = signed_in(client, organiser)
    html = page(client, url("group_session_create") + f"?listing={offer.pk}")
    assert "Statistics surgery" in html
    day = (timezone.now() + timedelta(days=3)).date()
    client.post(url("group_session_create"), form_data(day, listing=str(offer.pk)))
    assert Session.objects.get().listing == offer


def test_someone_elses_offer_is_not_found(client, make_listing, organiser, member):
    offer = make_listing(organiser)
    response = signed_in(client, member).get(url("group_session_create") + f"?listing={offer.pk}")
    assert response.status_code == 404


# --- One session -------------------------------------------------------------------


def test_the_page_says_what_a_place_costs(client, make_group, organiser, member):
    free = make_group(organiser)
    shared = make_group(organiser, policy=CreditPolicy.SHARED, capacity=3, minutes=60)
    client = signed_in(client, member)
    assert "Free: the community pool pays the organiser." in page(
        client, url("group_session_detail", free)
    )
    html = page(client, url("group_session_detail", shared))
    assert "Costs you 20 minutes, held when you take a place" in html
    assert "Sign up" in html


def test_the_page_shows_times_in_the_readers_zone(client, make_group, organiser, member):
    Profile.objects.filter(member=member).update(time_zone="Asia/Tokyo")
    session = make_group(organiser)
    html = page(signed_in(client, member), url("group_session_detail", session))
    local = session.starts_at.astimezone(ZoneInfo("Asia/Tokyo"))
    assert local.strftime("%H:%M") in html and "Tokyo" in html


def test_signing_up_and_leaving_through_the_page(client, make_group, organiser, attendees):
    session = make_group(organiser, capacity=2)
    for member in attendees[:2]:
        groups.group_sign_up(session=session, member=member)
    client = signed_in(client, attendees[2])
    assert "Join the waiting list" in page(client, url("group_session_detail", session))
    response = client.post(url("group_sign_up", session), follow=True)
    html = response.content.decode()
    assert "You are number 1 on the waiting list" in html
    assert "1 person waiting" in html
    signed_in(client, attendees[0]).post(url("group_leave", session))
    seat = Seat.objects.get(session=session, member=attendees[2])
    assert seat.status == "booked"
    html = page(signed_in(client, attendees[2]), url("group_session_detail", session))
    assert "You have a place." in html and "Give up my place" in html


def test_a_refused_sign_up_is_a_message_not_an_error_page(client, make_group, organiser):
    session = make_group(organiser)
    response = signed_in(client, organiser).post(url("group_sign_up", session), follow=True)
    assert response.status_code == 200
    assert "You run this session" in response.content.decode()
    assert not Seat.objects.exists()


def test_only_the_organiser_sees_the_lists_and_may_cancel(client, make_group, organiser, attendees):
    session = make_group(organiser, capacity=2)
    for member in attendees[:3]:
        groups.group_sign_up(session=session, member=member)
    html = page(signed_in(client, organiser), url("group_session_detail", session))
    assert "Attendee 2" in html and "Cancel this session" in html
    other = signed_in(client, attendees[0])
    assert "Cancel this session" not in page(other, url("group_session_detail", session))
    response = other.post(url("group_session_cancel", session), {"reason": "No"})
    assert response.status_code == 403
    assert Session.objects.get().status == "scheduled"


def test_the_organiser_cancels_with_a_reason(client, make_group, organiser, attendees):
    session = make_group(organiser)
    groups.group_sign_up(session=session, member=attendees[0])
    client = signed_in(client, organiser)
    response = client.post(url("group_session_cancel", session), {"reason": ""})
    assert response.status_code == 200 and "There is a problem" in response.content.decode()
    response = client.post(url("group_session_cancel", session), {"reason": "Ward closed"})
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.status, session.cancel_reason) == ("cancelled", "Ward closed")
    html = page(signed_in(client, attendees[0]), url("group_session_detail", session))
    assert "Ward closed" in html


def test_recording_attendance_through_the_page(client, make_group, organiser, attendees):
    session = make_group(organiser, policy=CreditPolicy.SHARED, capacity=3, minutes=60)
    for member in attendees[:3]:
        groups.group_sign_up(session=session, member=member)
    Session.objects.filter(pk=session.pk).update(starts_at=timezone.now() - timedelta(minutes=30))
    other = signed_in(client, attendees[0])
    response = other.post(url("group_attendance", session), {"attended": [attendees[0].pk]})
    assert response.status_code == 403
    client = signed_in(client, organiser)
    html = page(client, url("group_session_detail", session))
    assert "Record attendance" in html and f'value="{attendees[0].pk}"' in html
    response = client.post(
        url("group_attendance", session), {"attended": [attendees[0].pk, attendees[1].pk]}
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.status == "held"
    pool_payment = session.pool_payment
    assert pool_payment is not None and pool_payment.amount == 20
    assert "Attendance recorded." in page(client, url("group_session_detail", session))


def test_a_one_to_one_session_is_not_a_group_page(client, member):
    response = signed_in(client, member).get(reverse("group_session_detail", args=[987654]))
    assert response.status_code == 404


# --- The community's policy --------------------------------------------------------


def test_only_community_administrators_see_the_settings(client, make_member, member):
    assert signed_in(client, member).get(url("scheduling_settings")).status_code == 403
    response = client.post(url("scheduling_settings"), {"group_credit_policy": "shared"})
    assert response.status_code == 403
    moderator = make_member()
    member_role_grant(member=moderator, role=roles.MODERATOR, by=None)
    assert signed_in(client, moderator).get(url("scheduling_settings")).status_code == 403
    assert SchedulingSettings.current().group_credit_policy == "free"


def test_a_community_administrator_switches_the_policy(client, make_member):
    admin = make_member()
    member_role_grant(member=admin, role=roles.COMMUNITY_ADMIN, by=None)
    client = signed_in(client, admin)
    assert "Attendees share the cost" in page(client, url("scheduling_settings"))
    response = client.post(url("scheduling_settings"), {"group_credit_policy": "shared"})
    assert response.status_code == 302
    assert SchedulingSettings.current().group_credit_policy == "shared"
    assert AuditEntry.objects.filter(action="settings_changed", actor=admin).count() == 1
    response = client.post(url("scheduling_settings"), {"group_credit_policy": "gold"})
    assert response.status_code == 200


# --- The statement -------------------------------------------------------------------


def test_the_statement_words_group_session_credits(make_group, organiser, attendees):
    session = make_group(organiser, policy=CreditPolicy.SHARED, capacity=3, minutes=60)
    seat = groups.group_sign_up(session=session, member=attendees[0])
    account = Account.objects.get(member=attendees[0])
    hold = Transfer.objects.get(pk=seat.hold_id or 0)
    assert statement_row(hold, account=account).what == (
        "0.33 credits held for your place in a group session run by Olu Organiser"
    )
    held = groups.group_attendance_record(
        session=session,
        member=organiser,
        attended_member_ids=[attendees[0].pk],
        now=session.starts_at + timedelta(minutes=1),
    )
    assert held.pool_payment is not None
    organiser_account = Account.objects.get(member=organiser)
    row = statement_row(held.pool_payment, account=organiser_account)
    assert row.what.startswith("You earned 0.67 credits for your group session")
    assert row.detail == "Run charts for ward teams"


def test_a_search_with_a_nul_character_finds_what_the_rest_says(make_group, organiser):
    """PostgreSQL refuses NUL in text; a hostile link must still give a page."""
    session = make_group(organiser)
    assert list(group_sessions_upcoming(q="Run\x00 charts", area="\x00")) == [session]

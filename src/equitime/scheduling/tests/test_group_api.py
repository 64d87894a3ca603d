"""The group sessions' API, as the organiser, another member and nobody."""

import json
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from equitime.api.services import api_token_create
from equitime.ledger.models import Account, Transfer
from equitime.ledger.verify import verify_ledger
from equitime.scheduling import groups
from equitime.scheduling.models import CreditPolicy, Seat, Session

pytestmark = pytest.mark.django_db
BASE = "/api/v1/group-sessions"


@pytest.fixture(autouse=True)
def _generous_rate_limits(settings):
    settings.EQUITIME_API_RATE_PER_IP = "10000/m"
    settings.EQUITIME_API_RATE_PER_TOKEN = "10000/m"
    settings.EQUITIME_API_WRITE_RATE_PER_TOKEN = "10000/m"


class Api:
    def __init__(self, member=None):
        self.client = Client()
        self.headers = {}
        if member is not None:
            _, secret = api_token_create(member=member, name="test")
            self.headers["Authorization"] = f"Bearer {secret}"

    def get(self, path="", **params):
        return self.client.get(BASE + path, params, headers=self.headers)

    def post(self, path="", body=None, *, key=None):
        headers = dict(self.headers)
        if key:
            headers["Idempotency-Key"] = key
        data = json.dumps(body) if body is not None else ""
        return self.client.post(BASE + path, data, content_type="application/json", headers=headers)


def body(**extra):
    return {
        "title": "Journal club: safety-II",
        "improvement_area_id": 1,
        "benefit": "Teams learn from what goes right.",
        "starts_at": (timezone.now() + timedelta(days=5)).replace(microsecond=0).isoformat(),
        "minutes": 60,
        "capacity": 3,
        "video_url": "https://meet.example.org/abc",
    } | extra


@pytest.fixture
def area_id(area):
    return area.pk


def test_nobody_gets_401_everywhere(make_group, organiser):
    session = make_group(organiser)
    anonymous = Api()
    assert anonymous.get().status_code == 401
    assert anonymous.get(f"/{session.pk}").status_code == 401
    assert anonymous.post("", body()).status_code == 401
    for action in ("sign-up", "leave", "cancel", "attendance"):
        response = anonymous.post(f"/{session.pk}/{action}", {})
        assert response.status_code == 401, action
    assert not Seat.objects.exists()


def test_create_list_and_read(organiser, member, area_id):
    api = Api(organiser)
    sent = body(improvement_area_id=area_id)
    response = api.post("", sent, key="create-1")
    assert response.status_code == 201, response.content
    made = response.json()
    assert response["Location"] == f"{BASE}/{made['id']}"
    assert made["credit_policy"] == "free" and made["places_left"] == 3
    assert made["allowed_actions"] == ["cancel"] and made["seats"] == []
    again = api.post("", sent, key="create-1")
    assert again.json()["id"] == made["id"] and Session.objects.count() == 1
    listed = Api(member).get()
    assert [item["id"] for item in listed.json()["items"]] == [made["id"]]
    seen = Api(member).get(f"/{made['id']}").json()
    assert seen["seats"] is None and seen["allowed_actions"] == ["sign_up"]


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"starts_at": "2030-01-01T10:00:00"}, "starts_at"),
        ({"minutes": 50}, "minutes"),
        ({"capacity": 1}, "capacity"),
        ({"improvement_area_id": 999999}, "improvement_area_id"),
        ({"video_url": "", "place": ""}, "place"),
        ({"listing_id": 999999}, "listing_id"),
    ],
)
def test_create_refusals_name_their_field(organiser, area_id, extra, field):
    response = Api(organiser).post("", body(improvement_area_id=area_id) | extra)
    assert response.status_code == 422, response.content
    assert [error["field"] for error in response.json()["errors"]] == [field]
    assert not Session.objects.exists()


def test_sign_up_once_per_key_and_refusals(make_group, organiser, attendees):
    session = make_group(organiser, policy=CreditPolicy.SHARED, capacity=3, minutes=60)
    api = Api(attendees[0])
    first = api.post(f"/{session.pk}/sign-up", key="k1")
    assert first.status_code == 200
    assert first.json()["my_seat"] == {"status": "booked", "position": None, "held_minutes": 20}
    replay = api.post(f"/{session.pk}/sign-up", key="k1")
    assert replay["Idempotent-Replayed"] == "true"
    assert Transfer.objects.filter(kind="group_session").count() == 1
    twice = api.post(f"/{session.pk}/sign-up")
    assert (twice.status_code, twice.json()["code"]) == (409, "already_signed_up")
    own = Api(organiser).post(f"/{session.pk}/sign-up")
    assert (own.status_code, own.json()["code"]) == (422, "own_session")
    assert Api(attendees[1]).post("/987654/sign-up").status_code == 404


def test_not_enough_credits_is_a_409(make_group, organiser, attendees):
    session = make_group(organiser, policy=CreditPolicy.SHARED, capacity=2, minutes=300)
    response = Api(attendees[0]).post(f"/{session.pk}/sign-up")
    assert (response.status_code, response.json()["code"]) == (409, "insufficient_credit")


def test_waiting_list_position_and_leaving(make_group, organiser, attendees):
    session = make_group(organiser, capacity=2)
    for member in attendees[:2]:
        groups.group_sign_up(session=session, member=member)
    waiting = Api(attendees[2]).post(f"/{session.pk}/sign-up").json()
    assert waiting["my_seat"]["position"] == 1 and waiting["waiting"] == 1
    left = Api(attendees[0]).post(f"/{session.pk}/leave", key="leave-1")
    assert left.status_code == 200 and left.json()["my_seat"] is None
    seen = Api(attendees[2]).get(f"/{session.pk}").json()
    assert seen["my_seat"]["status"] == "booked"
    organiser_view = Api(organiser).get(f"/{session.pk}").json()
    assert [s["member"]["id"] for s in organiser_view["seats"]] == [
        attendees[1].pk,
        attendees[2].pk,
    ]
    nothing = Api(attendees[5]).post(f"/{session.pk}/leave")
    assert (nothing.status_code, nothing.json()["code"]) == (404, "not_signed_up")


def test_only_the_organiser_cancels(make_group, organiser, attendees):
    session = make_group(organiser, policy=CreditPolicy.SHARED)
    groups.group_sign_up(session=session, member=attendees[0])
    other = Api(attendees[0]).post(f"/{session.pk}/cancel", {"reason": "No"})
    assert other.status_code == 403
    blank = Api(organiser).post(f"/{session.pk}/cancel", {"reason": " "})
    assert blank.status_code == 422
    done = Api(organiser).post(f"/{session.pk}/cancel", {"reason": "Ward closed"}, key="c")
    assert done.status_code == 200 and done.json()["status"] == "cancelled"
    assert Account.objects.get(member=attendees[0]).available == 120


def test_attendance_through_the_api(make_group, organiser, attendees):
    session = make_group(organiser, policy=CreditPolicy.SHARED, capacity=3, minutes=60)
    for member in attendees[:3]:
        groups.group_sign_up(session=session, member=member)
    came = {"attended_member_ids": [attendees[0].pk, attendees[1].pk]}
    early = Api(organiser).post(f"/{session.pk}/attendance", came)
    assert (early.status_code, early.json()["code"]) == (409, "session_not_started")
    with time_machine.travel(session.starts_at + timedelta(minutes=10)):
        other = Api(attendees[0]).post(f"/{session.pk}/attendance", came)
        assert other.status_code == 403
        stranger = Api(organiser).post(
            f"/{session.pk}/attendance", {"attended_member_ids": [attendees[6].pk]}
        )
        assert stranger.status_code == 422
        assert stranger.json()["errors"][0]["field"] == "attended_member_ids"
        done = Api(organiser).post(f"/{session.pk}/attendance", came, key="att")
        assert done.status_code == 200 and done.json()["status"] == "held"
        again = Api(organiser).post(f"/{session.pk}/attendance", came, key="att")
        assert again["Idempotent-Replayed"] == "true"
    assert Account.objects.get(member=organiser).balance == 120 + 60
    report = verify_ledger()
    assert report.ok, report.problems


def test_the_schema_documents_the_group_sessions(client, member):
    client.force_login(member)
    schema = client.get("/api/v1/openapi.json").json()
    operations = {op["operationId"] for path in schema["paths"].values() for op in path.values()}
    assert {
        "group_session_list",
        "group_session_create",
        "group_session_get",
        "group_session_sign_up",
        "group_session_leave",
        "group_session_cancel",
        "group_session_attendance",
    } <= operations

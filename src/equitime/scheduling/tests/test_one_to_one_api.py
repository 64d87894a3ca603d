"""The sessions API: each endpoint as the owner, the other party, another
member and nobody; bad input answered with 422 problems; times in and out as
instants with their offsets."""

import json

import pytest
from django.test import Client

from equitime.api.services import api_token_create
from equitime.exchanges.models import Status
from equitime.exchanges.tests.factories import exchange_at
from equitime.scheduling.models import ProposedTime, Session
from equitime.scheduling.services import session_choose_time, session_propose_times
from equitime.scheduling.tests.conftest import slot

pytestmark = pytest.mark.django_db
BASE = "/api/v1"
PROBLEM = "application/problem+json"


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

    def get(self, path):
        return self.client.get(BASE + path, headers=self.headers)

    def post(self, path, body):
        return self.client.post(
            BASE + path, json.dumps(body), content_type="application/json", headers=self.headers
        )


def times_path(exchange) -> str:
    return f"/exchanges/{exchange.pk}/session/times"


# 10:00 in Toronto on 10 March 2026 (EDT) is 14:00 UTC.
TORONTO_TEN = "2026-03-10T10:00:00-04:00"
A_TIME = {"starts_at": TORONTO_TEN, "minutes": 60, "place": "Seminar room 2"}


def test_a_party_proposes_times_as_instants_with_offsets(accepted, london, toronto):
    response = Api(toronto).post(
        times_path(accepted),
        {"times": [A_TIME, {**A_TIME, "starts_at": "2026-03-11T14:00:00Z"}], "reason": "Either"},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "proposed"
    assert body["exchange_id"] == accepted.pk
    assert body["other_party"] == {"id": london.pk, "display_name": "Priya Shah"}
    assert body["my_time_zone"] == "America/Toronto"
    # Answered on Rob's clock: Toronto is on daylight time (UTC-4) since 8 March.
    assert [t["starts_at"] for t in body["proposed_times"]] == [
        "2026-03-10T10:00:00-04:00",
        "2026-03-11T10:00:00-04:00",
    ]
    assert body["allowed_actions"] == ["propose", "cancel"]  # Rob waits for Priya

    mine = Api(london).get(f"/sessions/{body['id']}").json()
    assert mine["allowed_actions"] == ["propose", "choose", "cancel"]
    assert mine["events"][0]["verb"] == "propose"
    assert mine["events"][0]["reason"] == "Either"


def test_the_other_party_chooses_then_moves_then_cancels(accepted, london, toronto):
    session = session_propose_times(exchange=accepted, member=toronto, slots=[slot(9)])
    time = session.proposed_times.get()
    priya = Api(london)

    body = priya.post(f"/sessions/{session.pk}/choose", {"proposed_time_id": time.pk}).json()
    assert (body["status"], body["sequence"]) == ("scheduled", 0)
    # On Priya's clock: London is still on GMT.
    assert body["starts_at"] == "2026-03-10T14:00:00+00:00"
    assert body["ends_at"] == "2026-03-10T15:00:00+00:00"

    body = priya.post(
        f"/sessions/{session.pk}/move",
        {
            "starts_at": "2026-03-12T09:00:00+00:00",
            "minutes": 45,
            "video_url": "https://m.example/x",
            "reason": "Clinic overran",
        },
    ).json()
    assert (body["starts_at"], body["minutes"], body["sequence"]) == (
        "2026-03-12T09:00:00+00:00",
        45,
        1,
    )
    assert body["events"][-1]["reason"] == "Clinic overran"

    body = Api(toronto).post(f"/sessions/{session.pk}/cancel", {"reason": "Off sick"}).json()
    assert (body["status"], body["cancel_reason"], body["sequence"]) == ("cancelled", "Off sick", 2)
    assert body["allowed_actions"] == []


def test_my_sessions_lists_what_is_coming(accepted, london, toronto, offer, make_member):
    session = session_propose_times(exchange=accepted, member=toronto, slots=[slot(9)])
    session_choose_time(proposed_time=session.proposed_times.get(), member=london)
    other = exchange_at(Status.ACCEPTED, listing=offer, receiver=make_member())
    session_propose_times(exchange=other, member=london, slots=[slot(10)])  # no time yet
    body = Api(toronto).get("/sessions").json()
    assert body["count"] == 1
    [item] = body["items"]
    assert (item["id"], item["kind"], item["starts_at"]) == (
        session.pk,
        "one_to_one",
        "2026-03-10T10:00:00-04:00",
    )
    assert item["uid"] == str(Session.objects.get(pk=session.pk).uid)
    assert Api(london).get("/sessions").json()["count"] == 1


# --- Who may --------------------------------------------------------------------------------


def test_another_member_is_told_nothing_exists(accepted, toronto, stranger):
    session = session_propose_times(exchange=accepted, member=toronto, slots=[slot(9)])
    time = session.proposed_times.get()
    api = Api(stranger)
    for path, body in (
        (times_path(accepted), {"times": [A_TIME]}),
        (f"/sessions/{session.pk}/choose", {"proposed_time_id": time.pk}),
        (f"/sessions/{session.pk}/move", {**A_TIME, "reason": "x"}),
        (f"/sessions/{session.pk}/cancel", {"reason": "x"}),
    ):
        response = api.post(path, body)
        assert response.status_code == 404, path
        assert response["Content-Type"] == PROBLEM
    assert api.get(f"/sessions/{session.pk}").status_code == 404
    assert api.get("/sessions").json()["count"] == 0
    assert Session.objects.get().status == Session.Status.PROPOSED


def test_nobody_signed_in_gets_401(accepted, toronto):
    session = session_propose_times(exchange=accepted, member=toronto, slots=[slot(9)])
    api = Api()
    assert api.get("/sessions").status_code == 401
    assert api.get(f"/sessions/{session.pk}").status_code == 401
    assert api.post(times_path(accepted), {"times": [A_TIME]}).status_code == 401
    assert api.post(f"/sessions/{session.pk}/cancel", {"reason": "x"}).status_code == 401


def test_the_proposer_may_not_choose_their_own_time(accepted, toronto):
    session = session_propose_times(exchange=accepted, member=toronto, slots=[slot(9)])
    response = Api(toronto).post(
        f"/sessions/{session.pk}/choose", {"proposed_time_id": session.proposed_times.get().pk}
    )
    assert response.status_code == 403
    assert response.json()["code"] == "own_proposal"


def test_a_closed_exchange_is_a_conflict(proposed, toronto):
    exchange = exchange_at(Status.DECLINED, exchange=proposed)
    response = Api(toronto).post(times_path(exchange), {"times": [A_TIME]})
    assert response.status_code == 409
    assert response.json()["code"] == "exchange_closed"


# --- Bad input ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"times": []}, "times"),
        ({"times": [A_TIME] * 4}, "times"),
        ({"times": [{**A_TIME, "starts_at": "2026-03-10T10:00:00"}]}, "times.0.starts_at"),
        ({"times": [{**A_TIME, "minutes": 50}]}, "times.0.minutes"),
        ({"times": [{**A_TIME, "starts_at": "2026-02-10T10:00:00Z"}]}, "starts_at"),
        ({"times": [{**A_TIME, "place": ""}]}, "place"),
        ({"times": [{**A_TIME, "video_url": "http://m.example/x"}]}, "video_url"),
        ({"times": [A_TIME, A_TIME]}, "times"),
    ],
)
def test_bad_times_are_422_problems_naming_the_field(accepted, london, body, field):
    response = Api(london).post(times_path(accepted), body)
    assert response.status_code == 422, response.content
    assert response["Content-Type"] == PROBLEM
    fields = [error["field"] for error in response.json()["errors"]]
    assert field in fields
    assert not ProposedTime.objects.exists()


def test_a_move_without_a_reason_is_422(accepted, london, toronto):
    session = session_propose_times(exchange=accepted, member=toronto, slots=[slot(9)])
    session_choose_time(proposed_time=session.proposed_times.get(), member=london)
    response = Api(london).post(f"/sessions/{session.pk}/move", {**A_TIME, "reason": " "})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "reason"


def test_choosing_a_time_the_session_does_not_have_is_422(accepted, london, toronto):
    session = session_propose_times(exchange=accepted, member=toronto, slots=[slot(9)])
    response = Api(london).post(f"/sessions/{session.pk}/choose", {"proposed_time_id": 999999})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "proposed_time_id", "message": "This session has no proposed time with this id."}
    ]


def test_the_schema_documents_the_sessions_api(client):
    schema = client.get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    assert {"get"} <= set(paths["/api/v1/sessions"])
    assert {"get"} <= set(paths["/api/v1/sessions/{session_id}"])
    for path in (
        "/api/v1/exchanges/{exchange_id}/session/times",
        "/api/v1/sessions/{session_id}/choose",
        "/api/v1/sessions/{session_id}/move",
        "/api/v1/sessions/{session_id}/cancel",
    ):
        operation = paths[path]["post"]
        assert operation["tags"] == ["Sessions"]
        assert {"200", "401", "404", "422"} <= set(operation["responses"])
    slot_in = schema["components"]["schemas"]["SlotIn"]["properties"]["starts_at"]
    assert slot_in["format"] == "date-time"
    assert "offset" in slot_in["description"]

"""The API writes every time on its caller's clock, ISO 8601 with the offset
(``+00:00`` for London in winter, never ``Z``), whether the caller comes with
a token or a browser session; and refuses a time sent without an offset."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.utils import timezone
from ninja import Schema
from ninja.testing import TestClient

from equitime.api import problems
from equitime.api.base import EquitimeApi, reader_time
from equitime.api.schemas import Instant
from equitime.api.services import api_token_create
from equitime.exchanges.models import Status
from equitime.exchanges.tests.factories import exchange_at
from equitime.listings.tests.factories import listing as make_listing
from equitime.members.models import Profile
from equitime.members.tests.factories import make_member

# Proposed in winter, accepted in summer (London on BST, Toronto on EDT).
PROPOSED = datetime(2026, 1, 12, 14, 0, 0, 250000, tzinfo=UTC)
ACCEPTED = datetime(2026, 7, 8, 14, 0, tzinfo=UTC)
READ = {
    "Europe/London": ("2026-01-12T14:00:00.250+00:00", "2026-07-08T15:00:00+01:00"),
    "Asia/Kolkata": ("2026-01-12T19:30:00.250+05:30", "2026-07-08T19:30:00+05:30"),
    "America/Toronto": ("2026-01-12T09:00:00.250-05:00", "2026-07-08T10:00:00-04:00"),
}


def in_zone(member, zone: str):
    Profile.objects.filter(member=member).update(time_zone=zone)
    return type(member).objects.get(pk=member.pk)


def token_for(member) -> dict[str, str]:
    _, secret = api_token_create(member=member, name="laptop")
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def exchange(db):
    provider = make_member(display_name="Priya Provider")
    listing = make_listing(provider, title="Run charts for QI")
    receiver = make_member(display_name="Rob Receiver")
    with time_machine.travel(PROPOSED, tick=False):
        exchange = exchange_at(Status.PROPOSED, listing=listing, receiver=receiver)
    with time_machine.travel(ACCEPTED, tick=False):
        return exchange_at(Status.ACCEPTED, exchange=exchange)


@pytest.mark.django_db
@pytest.mark.parametrize("zone", list(READ))
class TestOnTheCallersClock:
    def test_an_exchange_read_with_a_token(self, client, exchange, zone):
        receiver = in_zone(exchange.receiver, zone)
        proposed, accepted = READ[zone]

        body = client.get(f"/api/v1/exchanges/{exchange.pk}", headers=token_for(receiver)).json()

        assert (body["created_at"], body["accepted_at"]) == (proposed, accepted)
        # The worker's zone is put back after the request.
        assert timezone.get_current_timezone_name() == "Europe/London"

    def test_notifications_listed_for_a_browser_session(self, client, exchange, zone):
        provider = in_zone(exchange.provider, zone)
        client.force_login(provider)

        body = client.get("/api/v1/notifications").json()

        [told] = [item for item in body["items"] if item["kind"] == "exchange_proposed"]
        assert told["created_at"] == READ[zone][0]

    def test_notifications_listed_with_a_token(self, client, exchange, zone):
        receiver = in_zone(exchange.receiver, zone)

        body = client.get("/api/v1/notifications", headers=token_for(receiver)).json()

        [told] = [item for item in body["items"] if item["kind"] == "exchange_accepted"]
        assert told["created_at"] == READ[zone][1]


@pytest.mark.django_db
def test_a_member_who_changes_their_zone_reads_the_answer_on_the_new_clock(client, member):
    joined = datetime(2026, 12, 8, 14, 0, tzinfo=UTC)
    type(member).objects.filter(pk=member.pk).update(date_joined=joined)
    headers = token_for(member)

    before = client.get("/api/v1/me", headers=headers).json()
    after = client.patch(
        "/api/v1/me", {"time_zone": "Asia/Kolkata"}, "application/json", headers=headers
    ).json()

    assert before["date_joined"] == "2026-12-08T14:00:00+00:00"
    assert after["date_joined"] == "2026-12-08T19:30:00+05:30"


@pytest.mark.django_db
def test_an_answer_kept_for_an_idempotency_key_is_written_on_the_callers_clock(client):
    owner = make_member(display_name="Olu Owner")
    caller = in_zone(make_member(display_name="Kiran Kolkata"), "Asia/Kolkata")
    listing = make_listing(owner)
    headers = token_for(caller) | {"Idempotency-Key": "first-try"}
    payload = {"listing_id": listing.pk, "minutes": 60}

    with time_machine.travel(datetime(2026, 12, 8, 14, 0, tzinfo=UTC), tick=False):
        first = client.post("/api/v1/exchanges", payload, "application/json", headers=headers)
        again = client.post("/api/v1/exchanges", payload, "application/json", headers=headers)

    assert first.status_code == again.status_code == 201
    assert first.json()["created_at"] == "2026-12-08T19:30:00+05:30"
    assert again.json()["created_at"] == first.json()["created_at"]
    assert again["Idempotent-Replayed"] == "true"


@pytest.mark.django_db
def test_the_api_description_says_how_times_are_written(client):
    description = client.get("/api/v1/openapi.json").json()["info"]["description"]

    assert "2026-12-08T19:30:00+05:30" in description
    assert "refused with 422" in description


def test_utc_is_written_as_an_offset_like_any_other():
    with timezone.override(UTC):
        assert reader_time(datetime(2026, 12, 8, 14, 0, tzinfo=UTC)) == "2026-12-08T14:00:00+00:00"


# --- Times sent to the API ----------------------------------------------------------------


class StartIn(Schema):
    starts_at: Instant


def echo_api() -> TestClient:
    api = EquitimeApi(urls_namespace="times-test")
    problems.install(api)

    @api.post("/starts")
    def starts(request, payload: StartIn) -> dict[str, datetime]:
        return {"starts_at": payload.starts_at}

    return TestClient(api)


@pytest.mark.parametrize(
    "sent",
    ["2026-12-08T14:00:00Z", "2026-12-08T19:30:00+05:30", "2026-12-08T09:00:00-05:00"],
)
def test_a_time_with_its_offset_is_the_instant_it_names(sent):
    with timezone.override("Asia/Kolkata"):
        response = echo_api().post("/starts", json={"starts_at": sent})

    assert response.status_code == 200
    assert response.json() == {"starts_at": "2026-12-08T19:30:00+05:30"}


@pytest.mark.parametrize("sent", ["2026-12-08T19:30:00", "2026-12-08T19:30"])
def test_a_time_without_an_offset_is_refused_with_a_way_to_fix_it(sent):
    response = echo_api().post("/starts", json={"starts_at": sent})

    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_fields"
    [error] = body["errors"]
    assert error["field"] == "starts_at"
    assert error["message"].startswith(
        "Include the offset from UTC, as in 2026-12-08T19:30:00+05:30"
    )


def test_a_session_starting_in_a_member_s_zone_reads_back_the_same_for_another():
    """An instant sent from Toronto reads, in London, as the same moment."""
    with timezone.override("Europe/London"):
        response = echo_api().post("/starts", json={"starts_at": "2026-03-09T10:00:00-04:00"})

    assert response.json() == {"starts_at": "2026-03-09T14:00:00+00:00"}

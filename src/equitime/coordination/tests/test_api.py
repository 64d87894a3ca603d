"""The coordination API: the same rules as the pages, refusals as problems."""

import json

import pytest
from django.test import Client

from equitime.api.services import api_token_create
from equitime.audit.models import AuditEntry
from equitime.coordination import services
from equitime.coordination.models import Consent
from equitime.coordination.tests.factories import area, exchange_fields, world
from equitime.exchanges import services as exchanges
from equitime.exchanges.models import Exchange, Status
from equitime.listings.models import Listing

pytestmark = pytest.mark.django_db
BASE = "/api/v1/coordinate"


@pytest.fixture(autouse=True)
def _generous_rate_limits(settings):
    settings.EQUITIME_API_RATE_PER_IP = "10000/m"
    settings.EQUITIME_API_RATE_PER_TOKEN = "10000/m"
    settings.EQUITIME_API_WRITE_RATE_PER_TOKEN = "10000/m"


@pytest.fixture
def w():
    return world()


class Api:
    def __init__(self, member=None):
        self.client = Client()
        self.headers = {}
        if member is not None:
            _, secret = api_token_create(member=member, name="test")
            self.headers["Authorization"] = f"Bearer {secret}"

    def get(self, path):
        return self.client.get(BASE + path, headers=self.headers)

    def post(self, path, body=None, *, key=None):
        headers = dict(self.headers)
        if key:
            headers["Idempotency-Key"] = key
        return self.client.post(
            BASE + path,
            json.dumps(body) if body is not None else "",
            content_type="application/json",
            headers=headers,
        )


def listing_json() -> dict:
    return {
        "kind": "request",
        "title": "Help with the new hoist",
        "description": "I would like someone to show me the new ceiling hoist.",
        "improvement_area_id": area().pk,
        "benefit": "Safer transfers for patients.",
        "estimated_minutes": 30,
        "format": "in_person",
    }


def exchange_json(w, **overrides) -> dict:
    return {
        "colleague_id": w.colleague.pk,
        "member_gives": True,
        "title": "Moving and handling refresher",
        "improvement_area_id": area().pk,
        "benefit": "Fewer falls on the ward at night.",
        "minutes": 60,
    } | overrides


def test_the_coordinator_lists_and_records_consents(w):
    api = Api(w.coordinator)
    [row] = api.get("/consents").json()
    assert row["member"]["display_name"] == "Mary Member" and row["standing"] is True
    response = api.post("/consents", {"member_id": w.colleague.pk, "method": "in_person"})
    assert response.status_code == 201, response.content
    assert response.json()["member"]["id"] == w.colleague.pk
    again = api.post("/consents", {"member_id": w.colleague.pk, "method": "in_person"})
    assert again.status_code == 409 and again.json()["code"] == "consent_exists"
    self_consent = api.post("/consents", {"member_id": w.coordinator.pk, "method": "phone"})
    assert self_consent.status_code == 422 and self_consent.json()["code"] == "own_account"


@pytest.mark.parametrize("who", ["member", "colleague", "stranger"])
def test_non_coordinators_get_403_on_every_coordinator_endpoint(w, who):
    api = Api(getattr(w, who))
    before = (Listing.objects.count(), Exchange.objects.count(), Consent.objects.count())
    exchange = exchanges.exchange_propose_direct(
        member=w.colleague, other=w.member, **exchange_fields()
    )
    counted = (Listing.objects.count(), Exchange.objects.count(), Consent.objects.count())
    assert api.get("/consents").status_code == 403
    member = w.member.pk
    for path, body in [
        ("/consents", {"member_id": w.stranger.pk, "method": "phone"}),
        (f"/members/{member}/listings", listing_json()),
        (f"/members/{member}/exchanges", exchange_json(w)),
        (f"/members/{member}/exchanges/{exchange.pk}/accept", None),
    ]:
        assert api.post(path, body).status_code == 403, path
    assert (Listing.objects.count(), Exchange.objects.count(), Consent.objects.count()) == counted
    assert counted[1] == before[1] + 1
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.ACTED_FOR_MEMBER).exists()


def test_logged_out_gets_401(w):
    assert Api().get("/consents").status_code == 401
    assert Api().post(f"/members/{w.member.pk}/listings", listing_json()).status_code == 401


def test_a_listing_posted_for_the_member(w):
    response = Api(w.coordinator).post(f"/members/{w.member.pk}/listings", listing_json())
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["owner"]["id"] == w.member.pk
    assert body["recorded_by"] == {"id": w.coordinator.pk, "display_name": "Carla Coordinator"}
    # Everyone reads who posted it.
    shown = Api(w.stranger).client.get(
        f"/api/v1/listings/{body['id']}", headers=Api(w.stranger).headers
    )
    assert shown.json()["recorded_by"]["display_name"] == "Carla Coordinator"


def test_the_whole_exchange_through_the_api(w):
    api = Api(w.coordinator)
    response = api.post(f"/members/{w.member.pk}/exchanges", exchange_json(w), key="k1")
    assert response.status_code == 201, response.content
    exchange_id = response.json()["id"]
    assert response.json()["recorded_by"]["id"] == w.coordinator.pk
    replay = api.post(f"/members/{w.member.pk}/exchanges", exchange_json(w), key="k1")
    assert replay.json()["id"] == exchange_id and Exchange.objects.count() == 1

    exchange = Exchange.objects.get(pk=exchange_id)
    exchanges.exchange_accept(exchange=exchange, member=w.colleague)
    delivered = api.post(f"/members/{w.member.pk}/exchanges/{exchange_id}/deliver", {"minutes": 60})
    assert delivered.status_code == 200, delivered.content
    assert delivered.json()["status"] == Status.DELIVERED
    exchanges.exchange_confirm(exchange=exchange, member=w.colleague)

    # The member reads who recorded what on their exchange.
    mine = (
        Api(w.member)
        .client.get(f"/api/v1/exchanges/{exchange_id}", headers=Api(w.member).headers)
        .json()
    )
    assert mine["recorded_by"]["display_name"] == "Carla Coordinator"
    recorded = [event["verb"] for event in mine["events"] if event["recorded_by"]]
    assert recorded == ["propose", "deliver"]
    assert AuditEntry.objects.filter(action=AuditEntry.Action.ACTED_FOR_MEMBER).count() == 2


def test_refusals_are_problems_that_name_the_reason(w):
    api = Api(w.coordinator)
    as_party = api.post(
        f"/members/{w.member.pk}/exchanges", exchange_json(w, colleague_id=w.coordinator.pk)
    )
    assert as_party.status_code == 403 and as_party.json()["code"] == "coordinator_is_party"
    no_consent = api.post(f"/members/{w.stranger.pk}/listings", listing_json())
    assert no_consent.status_code == 403 and no_consent.json()["code"] == "no_consent"
    services.consent_withdraw(consent=Consent.objects.get(member=w.member), by=w.member)
    withdrawn = api.post(f"/members/{w.member.pk}/listings", listing_json())
    assert withdrawn.status_code == 403 and withdrawn.json()["code"] == "no_consent"
    assert not Listing.objects.exists()


def test_the_member_reads_and_withdraws_their_consents(w):
    api = Api(w.member)
    [row] = api.get("/my-coordinators").json()
    assert row["coordinator"]["display_name"] == "Carla Coordinator"
    response = api.post(f"/consents/{row['id']}/withdraw")
    assert response.status_code == 200 and response.json()["standing"] is False
    assert Api(w.stranger).post(f"/consents/{row['id']}/withdraw").status_code == 404


def test_the_openapi_schema_describes_the_coordination_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    coordinate = [path for path in paths if path.startswith("/api/v1/coordinate")]
    assert "/api/v1/coordinate/consents" in coordinate
    assert any(path.endswith("/deliver") for path in coordinate)

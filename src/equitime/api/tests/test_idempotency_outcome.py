"""A client that lost an answer learns what happened: GET /idempotency/{key}
shows the member's own stored outcome; exchanges and transfers show the
Idempotency-Key they were made with (issue 10, point 7)."""

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from equitime.api.models import IdempotentRequest
from equitime.api.services import api_token_create
from equitime.ledger.models import Transfer
from equitime.ledger.tests.factories import earn

pytestmark = pytest.mark.django_db

GIFTS = "/api/v1/transfers/donations"


@pytest.fixture(autouse=True)
def _credits_earned(member):
    """Only credits earned by giving time may be given on."""
    earn(member, 120)


def bearer(member) -> dict:
    _, secret = api_token_create(member=member, name="test")
    return {"Authorization": f"Bearer {secret}"}


def give(member, key, minutes=30, to=None):
    body = {"minutes": minutes, **({"member_id": to.pk} if to else {})}
    return Client().post(
        GIFTS,
        json.dumps(body),
        content_type="application/json",
        headers={**bearer(member), "Idempotency-Key": key},
    )


def outcome(key, headers=None, client=None):
    return (client or Client()).get(f"/api/v1/idempotency/{key}", headers=headers or {})


def test_the_owner_reads_the_stored_answer_with_the_resources_address(
    member, other_member, make_member
):
    given = give(member, "gift/2026-12-06_#1", to=other_member)
    assert given.status_code == 201
    transfer = Transfer.objects.get(kind="donation")
    url = f"/api/v1/transfers/{transfer.pk}"
    assert given["Location"] == url

    response = outcome("gift/2026-12-06_%231", bearer(member))  # "#" escaped in a URL

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["key"] == "gift/2026-12-06_#1"
    assert body["status"] == 201
    assert body["body"] == given.json()
    assert body["path"] == GIFTS
    assert body["resource_url"] == url
    again = Client().get(url, headers=bearer(member)).json()
    assert (again["id"], again["idempotency_key"]) == (transfer.pk, "gift/2026-12-06_#1")
    assert Client().get(url, headers=bearer(make_member())).status_code == 404


def test_another_members_key_is_not_found(member, other_member):
    give(member, "mine")

    response = outcome("mine", bearer(other_member))

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_signed_out_is_401(member):
    give(member, "mine")

    response = outcome("mine")

    assert response.status_code == 401


def test_the_owner_through_the_browser_session_reads_it_too(client, member):
    give(member, "from-a-script")
    client.force_login(member)

    assert outcome("from-a-script", client=client).json()["status"] == 201


def test_a_refused_request_left_nothing_so_its_key_is_not_found(member, other_member):
    refused = give(member, "too-much", minutes=600, to=other_member)
    assert refused.status_code == 409

    assert outcome("too-much", bearer(member)).status_code == 404


def test_a_forgotten_key_is_not_found(member):
    give(member, "old")
    IdempotentRequest.objects.update(created_at=timezone.now() - timedelta(days=2))

    assert outcome("old", bearer(member)).status_code == 404


def test_transfers_show_the_key_they_were_given_with_to_the_giver_only(member, other_member):
    give(member, "gift-7", to=other_member)
    long_key = "g" * 200
    give(member, long_key)

    mine = Client().get("/api/v1/transfers?kind=donation", headers=bearer(member)).json()
    theirs = Client().get("/api/v1/transfers?kind=donation", headers=bearer(other_member)).json()

    assert [t["idempotency_key"] for t in mine["items"]] == [long_key, "gift-7"]
    assert [t["idempotency_key"] for t in theirs["items"]] == [None]


def test_exchanges_show_the_key_they_were_proposed_with(member, other_member):
    from equitime.skills.models import ImprovementArea

    area = ImprovementArea.objects.get(slug="patient-safety")
    body = {
        "member_id": other_member.pk,
        "member_gives": True,
        "title": "Reviewed a poster",
        "improvement_area_id": area.pk,
        "benefit": "Clearer falls data.",
        "minutes": 30,
    }
    for key in ("direct-1", "d" * 100):
        response = Client().post(
            "/api/v1/exchanges/direct",
            json.dumps(body),
            content_type="application/json",
            headers={**bearer(member), "Idempotency-Key": key},
        )
        assert response.status_code == 201
        assert response.json()["idempotency_key"] == key
        assert response["Location"] == f"/api/v1/exchanges/{response.json()['id']}"

    mine = Client().get("/api/v1/exchanges", headers=bearer(member)).json()["items"]
    theirs = Client().get("/api/v1/exchanges", headers=bearer(other_member)).json()["items"]
    assert sorted(e["idempotency_key"] for e in mine) == sorted(["direct-1", "d" * 100])
    assert [e["idempotency_key"] for e in theirs] == [None, None]


def test_the_outcome_endpoint_is_in_the_openapi_schema(client):
    schema = client.get("/api/v1/openapi.json").json()

    operation = schema["paths"]["/api/v1/idempotency/{key}"]["get"]
    assert operation["operationId"] == "idempotency_get"
    assert set(operation["responses"]) >= {"200", "401", "404"}


def test_a_record_left_unanswered_by_an_older_version_is_taken_over(member, other_member):
    # Before issue 10 the record was committed on its own, then the work: a
    # worker killed in between left it unanswered, and the key answered 409.
    IdempotentRequest.objects.create(member=member, key="stuck", fingerprint="0" * 64)

    response = give(member, "stuck", to=other_member)

    assert response.status_code == 201, response.content
    assert Transfer.objects.filter(kind="donation").count() == 1
    assert IdempotentRequest.objects.get(key="stuck").status_code == 201

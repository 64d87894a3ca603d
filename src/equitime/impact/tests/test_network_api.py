"""GET /api/v1/impact/network: the page's figures as JSON, for the page's readers;
401, 403 and 422 as problem documents."""

import pytest
from django.utils import timezone

from equitime.api.services import api_token_create
from equitime.impact.links import links_rebuild
from equitime.impact.tests.network_factories import (
    administrator,
    exchanged,
    lead_of,
    month,
    organisation,
    staff,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/impact/network"
PERIOD = {"first": "2026-01", "last": "2026-06"}


@pytest.fixture
def community():
    trust, council, charity = (
        organisation("Northshire Trust"),
        organisation("Calder Council"),
        organisation("Carers Together"),
    )
    nurses, officers, carers = (
        staff(trust, 3, "Nurse"),
        staff(council, 2, "Officer"),
        staff(charity, 1, "Carer"),
    )
    exchanged(nurses[0], officers[0], 60, at=month(2026, 2))
    exchanged(officers[1], nurses[1], 90, at=month(2026, 2))
    exchanged(nurses[2], officers[0], 30, at=month(2026, 2))
    exchanged(carers[0], nurses[0], 45, at=month(2026, 3))
    links_rebuild(now=timezone.now())
    return {
        "trust": trust,
        "council": council,
        "charity": charity,
        "admin": administrator(),
        "member": nurses[0],
    }


def bearer(member) -> dict[str, str]:
    _token, secret = api_token_create(member=member, name="network", read_only=True)
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_an_administrator_gets_the_whole_network(client, community):
    response = client.get(URL, PERIOD, **bearer(community["admin"]))

    assert response.status_code == 200
    body = response.json()
    assert (body["first"], body["last"], body["organisation"]) == ("2026-01", "2026-06", None)
    trust, council, charity = community["trust"], community["council"], community["charity"]
    nodes = {node["id"]: node for node in body["nodes"]}
    assert set(nodes) == {trust.pk, council.pk, charity.pk}
    assert nodes[trust.pk]["bridge"] is True and nodes[trust.pk]["bridge_rank"] == 1
    assert nodes[trust.pk]["minutes_across"] == 180
    assert nodes[trust.pk]["links_withheld"] == 1
    assert nodes[trust.pk]["holds_together"].startswith("It links 2 organisations")
    links = {
        frozenset((link["organisation_a"], link["organisation_b"])): link for link in body["links"]
    }
    shown = links[frozenset((trust.pk, council.pk))]
    assert (shown["minutes"], shown["exchanges"], shown["withheld"]) == (180, 3, False)
    small = links[frozenset((trust.pk, charity.pk))]
    assert (small["minutes"], small["exchanges"], small["withheld"]) == (None, None, True)
    measures = body["measures"]
    assert measures["organisations"] == 3 and measures["groups"] == 1
    assert measures["largest_group"] == 3 and measures["bridges"] == [trust.pk]
    assert measures["isolated"] == []
    assert measures["density"] == pytest.approx(2 / 3, abs=1e-6)
    assert body["summary"][0].startswith("3 of 3 organisations exchanged hours")
    assert body["links_count"] == 2


def test_links_come_a_page_at_a_time_the_strongest_first(client, community):
    auth = bearer(community["admin"])
    first = client.get(URL, {**PERIOD, "links_page_size": 1}, **auth).json()
    second = client.get(URL, {**PERIOD, "links_page_size": 1, "links_page": 2}, **auth).json()
    beyond = client.get(URL, {**PERIOD, "links_page_size": 1, "links_page": 3}, **auth).json()

    assert first["links_count"] == second["links_count"] == 2
    assert [link["withheld"] for link in first["links"] + second["links"]] == [False, True]
    assert beyond["links"] == []
    too_big = client.get(URL, {**PERIOD, "links_page_size": 5001}, **auth)
    assert too_big.status_code == 422


def test_a_lead_gets_their_neighbourhood(client, community):
    lead = lead_of(community["charity"], by=community["admin"])
    response = client.get(URL, PERIOD, **bearer(lead))

    assert response.status_code == 200
    body = response.json()
    assert body["organisation"] == community["charity"].pk
    assert body["measures"] is None
    assert {node["id"] for node in body["nodes"]} == {
        community["charity"].pk,
        community["trust"].pk,
    }
    assert [node["focus"] for node in body["nodes"]] == [True, False]
    assert len(body["links"]) == 1 and body["links"][0]["withheld"] is True


def test_a_lead_asking_for_another_organisation_gets_422(client, community):
    lead = lead_of(community["charity"], by=community["admin"])
    response = client.get(URL, {**PERIOD, "organisation": community["trust"].pk}, **bearer(lead))

    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert [error["field"] for error in response.json()["errors"]] == ["organisation"]


def test_a_member_without_a_role_gets_403(client, community):
    response = client.get(URL, PERIOD, **bearer(community["member"]))
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"


def test_without_credentials_401(client, community):
    response = client.get(URL, PERIOD)
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"first": "2026-13"}, "first"),
        ({"first": "2026-06", "last": "2026-01"}, "first"),
        ({"last": "2999-01"}, "last"),
        ({"organisation": "999999"}, "organisation"),
        ({"organisation": "x"}, "organisation"),
        ({"first": "2026-001"}, "first"),
    ],
    ids=["month-13", "backwards", "future", "unknown", "not-a-number", "too-long"],
)
def test_bad_filters_get_422_naming_the_field(client, community, query, field):
    response = client.get(URL, query, **bearer(community["admin"]))
    assert response.status_code == 422
    assert field in {error["field"] for error in response.json()["errors"]}


def test_the_signed_in_session_works_too(client, community):
    client.force_login(community["admin"])
    assert client.get(URL, PERIOD).status_code == 200


def test_the_schema_describes_the_endpoint(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"][URL]["get"]
    assert operation["operationId"] == "impact_network_get"
    assert {"200", "401", "403", "422"} <= set(operation["responses"])

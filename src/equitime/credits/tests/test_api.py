"""The credits API: balance, history and giving credits, as the member, as
another member, anonymously and with a read-only token."""

import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from equitime.api.services import api_token_create
from equitime.exchanges import services as exchanges
from equitime.ledger import services
from equitime.ledger.models import Account, Transfer
from equitime.ledger.tests.factories import earn
from equitime.ledger.verify import verify_ledger
from equitime.listings.models import Format, Listing
from equitime.listings.services import listing_create
from equitime.skills.models import ImprovementArea

pytestmark = pytest.mark.django_db

BASE = "/api/v1/transfers"


@pytest.fixture(autouse=True)
def _generous_rate_limits(settings):
    settings.EQUITIME_API_RATE_PER_IP = "10000/m"
    settings.EQUITIME_API_RATE_PER_TOKEN = "10000/m"
    settings.EQUITIME_API_WRITE_RATE_PER_TOKEN = "10000/m"


class Api:
    def __init__(self, member=None, *, read_only=False):
        self.client = Client()
        self.headers = {}
        if member is not None:
            _, secret = api_token_create(member=member, name="test", read_only=read_only)
            self.headers["Authorization"] = f"Bearer {secret}"

    def get(self, path="", **params):
        return self.client.get(BASE + path, params, headers=self.headers)

    def give(self, body=None, *, key="gift-1", raw=None):
        headers = dict(self.headers)
        if key is not None:
            headers["Idempotency-Key"] = key
        return self.client.post(
            BASE + "/donations",
            raw if raw is not None else json.dumps(body),
            content_type="application/json",
            headers=headers,
        )


def assert_problem(response, status, code):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == code, body
    return body


def field_errors(response) -> dict[str, str]:
    body = assert_problem(response, 422, "invalid_fields")
    return {error["field"]: error["message"] for error in body["errors"]}


def balance(member) -> int:
    return Account.objects.get(member=member).balance


def assert_ledger_whole():
    report = verify_ledger()
    assert report.ok, report.problems


def offer_from(member):
    return listing_create(
        owner=member,
        kind=Listing.Kind.OFFER,
        title="Run charts for ward audits",
        description="An hour on run charts.",
        benefit="Faster learning from falls audits.",
        improvement_area=ImprovementArea.objects.get(slug="patient-safety"),
        estimated_minutes=60,
        format=Format.REMOTE,
        skills=[],
    )


# --- Balance ---------------------------------------------------------------------------


def test_my_balance_in_minutes(member, other_member):
    exchange = exchanges.exchange_propose_from_listing(
        listing=offer_from(other_member), member=member, minutes=45
    )
    exchanges.exchange_accept(exchange=exchange, member=other_member)

    response = Api(member).get("/balance")

    assert response.status_code == 200
    assert response.json() == {"balance_minutes": 120, "held_minutes": 45, "available_minutes": 75}


def test_the_balance_needs_authentication():
    assert_problem(Api().get("/balance"), 401, "unauthenticated")
    assert_problem(Api().get(""), 401, "unauthenticated")


def test_a_read_only_token_reads_the_balance_and_history_but_cannot_give(member, other_member):
    reader = Api(member, read_only=True)
    assert reader.get("/balance").status_code == 200
    assert reader.get("").status_code == 200
    response = reader.give({"member_id": other_member.pk, "minutes": 15})
    assert_problem(response, 403, "read_only")
    assert balance(member) == 120


# --- History ---------------------------------------------------------------------------


def test_history_is_mine_newest_first_from_my_side(member, other_member, make_member):
    stranger = make_member()
    earn(stranger, 15)  # a transfer neither of them is part of
    exchange = exchanges.exchange_propose_from_listing(
        listing=offer_from(other_member), member=member, minutes=60
    )
    exchanges.exchange_accept(exchange=exchange, member=other_member)
    exchanges.exchange_deliver(exchange=exchange, member=other_member, minutes=60)
    exchanges.exchange_confirm(exchange=exchange, member=member)

    response = Api(member).get("")

    assert response.status_code == 200
    page = response.json()
    assert page["count"] == 3  # welcome gift, hold, payment; never others' transfers
    payment, hold, gift = page["items"]
    assert payment["kind"] == "exchange"
    assert payment["state"] == "posted"
    assert payment["direction"] == "out"
    assert payment["minutes"] == 60
    assert payment["counterparty"] == {"id": other_member.pk, "display_name": "Ben Carter"}
    assert payment["counterparty_name"] == "Ben Carter"
    assert payment["exchange_id"] == exchange.pk
    assert payment["hold_id"] == hold["id"]
    assert hold["state"] == "pending"
    assert hold["resolved"] is True
    assert hold["exchange_id"] == exchange.pk
    assert gift["kind"] == "welcome_gift"
    assert gift["kind_label"] == "Welcome gift"
    assert gift["direction"] == "in"
    assert gift["minutes"] == 120
    assert gift["counterparty"] is None
    assert gift["counterparty_name"] == "Community pool"
    assert gift["exchange_id"] is None
    assert gift["reversed"] is False

    # The provider sees the same payment coming in.
    theirs = Api(other_member).get("", kind="exchange").json()["items"]
    assert [(t["state"], t["direction"]) for t in theirs] == [("posted", "in"), ("pending", "in")]
    assert theirs[0]["counterparty"]["id"] == member.pk


def test_history_filters_by_kind_and_pages(member, other_member):
    earn(member, 45)
    for n in range(3):
        services.donation_make(key=f"d{n}", donor=member, recipient=other_member, amount=15)
    api = Api(member)
    assert api.get("", kind="donation").json()["count"] == 3
    assert api.get("", kind="welcome_gift").json()["count"] == 1
    assert api.get("", kind="bonus").json()["count"] == 0
    page = api.get("", kind="donation", page=2, page_size=2).json()
    assert (page["count"], len(page["items"])) == (3, 1)
    for params in ({"kind": "gift"}, {"page": 0}, {"page_size": "many"}):
        assert_problem(api.get("", **params), 422, "invalid_fields")


def test_a_voided_hold_and_a_reversal_read_as_such(member, other_member):
    earn(member, 15)
    exchange = exchanges.exchange_propose_from_listing(
        listing=offer_from(other_member), member=member, minutes=30
    )
    exchanges.exchange_accept(exchange=exchange, member=other_member)
    exchanges.exchange_cancel(exchange=exchange, member=member)
    donation = services.donation_make(key="d", donor=member, recipient=other_member, amount=15)
    services.transfer_reverse(key="r", transfer=donation, initiated_by=None, memo="Mistake")

    items = Api(member).get("").json()["items"]

    reversal, given, void, hold, _earned, _gift = items
    assert (reversal["kind"], reversal["direction"], reversal["minutes"]) == ("reversal", "in", 15)
    assert (given["kind"], given["reversed"]) == ("donation", True)
    assert (void["state"], void["exchange_id"], void["hold_id"]) == (
        "voided",
        exchange.pk,
        hold["id"],
    )
    assert (hold["state"], hold["resolved"]) == ("pending", True)


@pytest.mark.usefixtures("no_page_cache")
def test_history_query_count_does_not_grow(member, other_member):
    api = Api(member)
    api.get("")  # the token's first use is noted once; measure after it

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert api.get("").status_code == 200
        return len(captured)

    few = queries()
    earn(member, 75)
    for n in range(5):
        services.donation_make(key=f"d{n}", donor=member, recipient=other_member, amount=15)
    assert queries() == few


# --- Giving ---------------------------------------------------------------------------


def test_giving_credits_to_a_colleague(member, other_member):
    earn(member, 45)
    response = Api(member).give({"member_id": other_member.pk, "minutes": 45, "memo": "Thanks!"})

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kind"] == "donation"
    assert body["state"] == "posted"
    assert body["direction"] == "out"
    assert body["minutes"] == 45
    assert body["memo"] == "Thanks!"
    assert body["counterparty"]["id"] == other_member.pk
    assert (balance(member), balance(other_member)) == (120, 165)
    assert Transfer.objects.get(pk=body["id"]).key == f"api:{member.pk}:gift-1"
    assert_ledger_whole()


def test_giving_credits_to_the_community_pool(member):
    earn(member, 75)
    response = Api(member).give({"minutes": 60})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["counterparty"] is None
    assert body["counterparty_name"] == "Community pool"
    assert balance(member) == 135
    assert Api(member).give({"member_id": None, "minutes": 15}, key="g2").status_code == 201
    assert balance(member) == 120
    assert_ledger_whole()


def test_giving_needs_an_idempotency_key(member, other_member):
    body = assert_problem(
        Api(member).give({"member_id": other_member.pk, "minutes": 15}, key=None),
        400,
        "idempotency_key_required",
    )
    assert "Idempotency-Key" in body["detail"]
    assert_problem(
        Api(member).give({"minutes": 15}, key="not valid"), 400, "invalid_idempotency_key"
    )
    assert balance(member) == 120


def test_giving_the_welcome_gift_on_is_refused_and_says_why(member, other_member):
    response = Api(member).give({"member_id": other_member.pk, "minutes": 60})
    body = assert_problem(response, 409, "not_donatable")
    assert body["detail"].startswith("You can give 0 credits. Only credits you earned by giving")
    assert balance(member) == 120


def test_credits_earned_by_giving_time_may_be_given_and_no_more(member, other_member):
    earn(member, 60)

    given = Api(member).give({"member_id": other_member.pk, "minutes": 60})
    more = Api(member).give({"member_id": other_member.pk, "minutes": 15}, key="g2")

    assert given.status_code == 201, given.content
    assert assert_problem(more, 409, "not_donatable")["detail"].startswith("You can give 0 credits")
    assert (balance(member), balance(other_member)) == (120, 180)


@pytest.mark.parametrize(
    "body,field",
    [
        ({}, "minutes"),
        ({"minutes": 20}, "minutes"),
        ({"minutes": 0}, "minutes"),
        ({"minutes": -15}, "minutes"),
        ({"minutes": "15"}, None),  # a numeric string is read as a number
        ({"minutes": 60_015}, "minutes"),
        ({"minutes": 15, "memo": "x" * 201}, "memo"),
        ({"minutes": 15, "memo": "Null\x00byte"}, "memo"),
        ({"minutes": 15, "member_id": "Ben"}, "member_id"),
        ({"minutes": 15, "member_id": 10**6}, "member_id"),
        ({"minutes": 15, "member_id": 10**40}, "member_id"),
    ],
)
def test_giving_refuses_invalid_fields(member, body, field):
    earn(member, 15)
    response = Api(member).give(body)
    if field is None:
        assert response.status_code == 201
        return
    assert field in field_errors(response)
    assert balance(member) == 135


def test_giving_to_myself_is_refused(member):
    assert field_errors(Api(member).give({"member_id": member.pk, "minutes": 15})) == {
        "member_id": "You cannot give credits to yourself."
    }


def test_giving_to_a_suspended_member_is_refused(member, other_member):
    other_member.is_active = False
    other_member.save(update_fields=["is_active"])
    assert field_errors(Api(member).give({"member_id": other_member.pk, "minutes": 15})) == {
        "member_id": "There is no member with this id."
    }


@pytest.mark.parametrize("raw", ["{", "minutes=15", "[15]", '"15"'])
def test_giving_refuses_a_body_that_is_not_json(member, raw):
    assert_problem(Api(member).give(raw=raw), 400, "unreadable_body")


def test_an_unconfirmed_member_may_not_give(make_member, other_member):
    unconfirmed = make_member(email_verified=False)
    response = Api(unconfirmed).give({"member_id": other_member.pk, "minutes": 15})
    assert_problem(response, 403, "email_unverified")


def test_giving_needs_authentication(other_member):
    response = Api().give({"member_id": other_member.pk, "minutes": 15})
    assert_problem(response, 401, "unauthenticated")


def test_the_schema_documents_the_required_key_and_the_enums(client):
    schema = client.get("/api/v1/openapi.json").json()
    give = schema["paths"]["/api/v1/transfers/donations"]["post"]
    assert give["operationId"] == "donation_make"
    assert give["tags"] == ["Credits"]
    key = next(p for p in give["parameters"] if p["name"] == "Idempotency-Key")
    assert key["required"] is True
    assert "201" in give["responses"] and "content" in give["responses"]["201"]
    out = schema["components"]["schemas"]["TransferOut"]["properties"]
    assert out["kind"]["enum"] == list(Transfer.Kind.values)
    assert out["state"]["enum"] == list(Transfer.State.values)


def test_history_can_be_read_oldest_first(member, other_member):
    earn(member, 90)
    for n in range(3):
        services.donation_make(
            key=f"o{n}", donor=member, recipient=other_member, amount=15 * (n + 1)
        )
    api = Api(member)

    newest = [t["id"] for t in api.get("").json()["items"]]
    oldest = [t["id"] for t in api.get("", ordering="created_at").json()["items"]]

    assert oldest == list(reversed(newest))
    assert api.get("", ordering="-created_at").json()["items"][0]["minutes"] == 45
    assert_problem(api.get("", ordering="amount"), 422, "invalid_fields")

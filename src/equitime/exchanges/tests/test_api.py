"""The exchanges API: proposing, every move, messages, thanks and reflections.

Each endpoint is called as each party (provider, receiver), as a member outside
the exchange (404), as a moderator (sees and resolves disputed exchanges only),
anonymously (401) and with a read-only token (reads work, writes 403). Every
move is made by the party who may (and the ledger moves as it should) and
refused for the party who may not, out of turn, and with bad input.
"""

import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from equitime.api.services import api_token_create
from equitime.exchanges import services
from equitime.exchanges.api import ACTIONS
from equitime.exchanges.models import Exchange, ExchangeEvent, Reflection, Status, Thanks
from equitime.ledger.models import Account, Transfer
from equitime.ledger.verify import verify_ledger
from equitime.listings.models import Listing
from equitime.listings.services import listing_pause
from equitime.notifications.models import Notification

pytestmark = pytest.mark.django_db

BASE = "/api/v1/exchanges"
Verb = ExchangeEvent.Verb


@pytest.fixture(autouse=True)
def _generous_rate_limits(settings):
    # These tests make many writes with one token; the limits have tests of their own.
    settings.EQUITIME_API_RATE_PER_IP = "10000/m"
    settings.EQUITIME_API_RATE_PER_TOKEN = "10000/m"
    settings.EQUITIME_API_WRITE_RATE_PER_TOKEN = "10000/m"


class Api:
    """A client calling the API with one member's personal access token."""

    def __init__(self, member=None, *, read_only=False):
        self.member = member
        self.client = Client()
        self.headers = {}
        if member is not None:
            _, secret = api_token_create(member=member, name="test", read_only=read_only)
            self.headers["Authorization"] = f"Bearer {secret}"

    def get(self, path, **params):
        return self.client.get(BASE + path, params, headers=self.headers)

    def post(self, path, body=None, *, raw=None, headers=None, method="post"):
        data = raw if raw is not None else (json.dumps(body) if body is not None else "")
        call = getattr(self.client, method)
        return call(
            BASE + path,
            data,
            content_type="application/json",
            headers={**self.headers, **(headers or {})},
        )

    def put(self, path, body=None, **kwargs):
        return self.post(path, body, method="put", **kwargs)


@pytest.fixture
def as_provider(provider):
    return Api(provider)


@pytest.fixture
def as_receiver(receiver):
    return Api(receiver)


@pytest.fixture
def as_stranger(stranger):
    return Api(stranger)


@pytest.fixture
def as_moderator(moderator):
    return Api(moderator)


def credits(member) -> tuple[int, int, int]:
    """(available, held, balance) in minutes."""
    account = Account.objects.get(member=member)
    return account.available, account.held, account.balance


def assert_problem(response, status, code):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status
    assert body["code"] == code, body
    return body


def field_errors(response) -> dict[str, str]:
    body = assert_problem(response, 422, "invalid_fields")
    return {error["field"]: error["message"] for error in body["errors"]}


def fresh(exchange) -> Exchange:
    return Exchange.objects.get(pk=exchange.pk)


def assert_ledger_whole():
    report = verify_ledger()
    assert report.ok, report.problems


# Exchanges in each state, made through the services (the API's own moves are
# tested one by one below).


# --- The whole loop ----------------------------------------------------------------


def test_the_whole_loop_through_the_api(offer, provider, receiver, as_provider, as_receiver):
    """Propose, accept, deliver 90 minutes, confirm: 90 minutes move, once."""
    created = as_receiver.post(
        "", {"listing_id": offer.pk, "minutes": 90, "message": "Could we look at my data?"}
    )
    assert created.status_code == 201, created.content
    exchange = created.json()
    assert exchange["status"] == "proposed"
    assert exchange["role"] == "receiver"
    assert exchange["provider"] == {"id": provider.pk, "display_name": "Priya Provider"}
    assert exchange["receiver"] == {"id": receiver.pk, "display_name": "Rob Receiver"}
    assert exchange["proposed_by"]["id"] == receiver.pk
    assert exchange["listing_id"] == offer.pk
    assert exchange["title"] == offer.title
    assert exchange["benefit"] == offer.benefit
    assert exchange["improvement_area"]["slug"] == "patient-safety"
    assert exchange["proposed_minutes"] == 90
    assert exchange["logged_minutes"] is None
    assert exchange["allowed_actions"] == ["cancel"]
    assert exchange["waiting_for_me"] is False
    assert [m["body"] for m in exchange["messages"]] == ["Could we look at my data?"]
    assert [e["verb"] for e in exchange["events"]] == ["propose"]
    pk = exchange["id"]

    seen = as_provider.get(f"/{pk}").json()
    assert seen["role"] == "provider"
    assert seen["allowed_actions"] == ["accept", "decline", "cancel"]
    assert seen["waiting_for_me"] is True

    accepted = as_provider.post(f"/{pk}/accept")
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["status"] == "accepted"
    assert accepted.json()["held_minutes"] == 90
    assert accepted.json()["allowed_actions"] == ["deliver", "cancel"]
    assert credits(receiver) == (30, 90, 120)

    delivered = as_provider.post(f"/{pk}/deliver", {"minutes": 90})
    assert delivered.status_code == 200, delivered.content
    assert delivered.json()["status"] == "delivered"
    assert delivered.json()["logged_minutes"] == 90
    assert as_receiver.get(f"/{pk}").json()["allowed_actions"] == ["confirm", "dispute"]

    confirmed = as_receiver.post(f"/{pk}/confirm")
    assert confirmed.status_code == 200, confirmed.content
    body = confirmed.json()
    assert body["status"] == "completed"
    assert body["status_label"] == "Completed"
    assert body["paid_minutes"] == 90
    assert body["held_minutes"] is None
    assert body["completed_at"] is not None
    assert body["allowed_actions"] == []
    assert [e["verb"] for e in body["events"]] == ["propose", "accept", "deliver", "confirm"]
    assert [e["actor"]["id"] for e in body["events"]] == [
        receiver.pk,
        provider.pk,
        provider.pk,
        receiver.pk,
    ]
    assert body["events"][2]["minutes"] == 90
    assert body["events"][3]["from_status"] == "delivered"

    # Balances in minutes, read through the API: 120 + 90 and 120 - 90.
    provider_balance = as_provider.client.get(
        "/api/v1/transfers/balance", headers=as_provider.headers
    ).json()
    receiver_balance = as_receiver.client.get(
        "/api/v1/transfers/balance", headers=as_receiver.headers
    ).json()
    assert provider_balance == {"balance_minutes": 210, "held_minutes": 0, "available_minutes": 210}
    assert receiver_balance == {"balance_minutes": 30, "held_minutes": 0, "available_minutes": 30}
    assert Transfer.objects.filter(kind="exchange", state="posted").count() == 1
    assert_ledger_whole()


# --- Reading ---------------------------------------------------------------------------


def test_list_shows_only_my_exchanges_newest_first(
    make_listing, make_member, provider, receiver, stranger, as_receiver
):
    first = services.exchange_propose_from_listing(
        listing=make_listing(provider, title="First"), member=receiver, minutes=30
    )
    second = services.exchange_propose_from_listing(
        listing=make_listing(provider, title="Second"), member=receiver, minutes=30
    )
    # Not the receiver's: between two other members.
    services.exchange_propose_from_listing(
        listing=make_listing(provider, title="Other"), member=stranger, minutes=30
    )

    response = as_receiver.get("")

    assert response.status_code == 200
    page = response.json()
    assert page["count"] == 2
    assert [item["id"] for item in page["items"]] == [second.pk, first.pk]
    item = page["items"][0]
    assert item["role"] == "receiver"
    assert item["allowed_actions"] == ["cancel"]
    assert "events" not in item and "messages" not in item


def test_list_filters_by_status_role_and_open(
    make_listing, provider, receiver, accepted, as_provider
):
    # The provider receives time in another exchange, still proposed.
    answered = services.exchange_propose_from_listing(
        listing=make_listing(receiver, kind=Listing.Kind.OFFER, title="Receiver's offer"),
        member=provider,
        minutes=30,
    )

    def ids(**params):
        response = as_provider.get("", **params)
        assert response.status_code == 200, response.content
        return [item["id"] for item in response.json()["items"]]

    assert set(ids()) == {accepted.pk, answered.pk}
    assert ids(status="accepted") == [accepted.pk]
    assert ids(status="proposed") == [answered.pk]
    assert ids(status="completed") == []
    assert ids(role="provider") == [accepted.pk]
    assert ids(role="receiver") == [answered.pk]
    assert ids(role="receiver", status="accepted") == []
    assert set(ids(open="true")) == {accepted.pk, answered.pk}
    services.exchange_cancel(exchange=answered, member=provider)
    assert ids(open="false") == [answered.pk]
    assert ids(open="true") == [accepted.pk]


def test_list_orders_by_proposal_or_by_latest_news(make_listing, provider, receiver, as_receiver):
    first = services.exchange_propose_from_listing(
        listing=make_listing(provider, title="First"), member=receiver, minutes=30
    )
    second = services.exchange_propose_from_listing(
        listing=make_listing(provider, title="Second"), member=receiver, minutes=30
    )
    services.exchange_accept(exchange=first, member=provider)  # news on the older one

    def ids(**params):
        return [item["id"] for item in as_receiver.get("", **params).json()["items"]]

    assert ids() == [second.pk, first.pk]
    assert ids(ordering="created_at") == [first.pk, second.pk]
    assert ids(ordering="-updated_at") == [first.pk, second.pk]
    assert ids(ordering="updated_at") == [second.pk, first.pk]


@pytest.mark.parametrize(
    "params",
    [
        {"status": "lost"},
        {"ordering": "title"},
        {"role": "bystander"},
        {"open": "maybe"},
        {"page": "0"},
        {"page": "x"},
        {"page_size": "-1"},
    ],
)
def test_list_refuses_bad_query_parameters(as_receiver, params):
    response = as_receiver.get("", **params)
    assert_problem(response, 422, "invalid_fields")


def test_list_pages(make_listing, provider, receiver, as_receiver):
    for n in range(3):
        services.exchange_propose_from_listing(
            listing=make_listing(provider, title=f"Offer {n}"), member=receiver, minutes=15
        )
    page = as_receiver.get("", page_size=2, page=2).json()
    assert page["count"] == 3
    assert len(page["items"]) == 1
    assert as_receiver.get("", page=40).json()["items"] == []


@pytest.mark.usefixtures("no_page_cache")
def test_list_query_count_does_not_grow_with_exchanges(
    make_listing, make_member, receiver, as_receiver
):
    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            response = as_receiver.get("")
        assert response.status_code == 200
        return len(queries), response.json()["count"]

    provider = make_member(display_name="One")
    services.exchange_propose_from_listing(
        listing=make_listing(provider), member=receiver, minutes=15
    )
    count_queries()  # the token's first use is noted once; measure after it
    few, count = count_queries()
    assert count == 1
    for n in range(5):
        other = make_member(display_name=f"Provider {n}")
        services.exchange_propose_from_listing(
            listing=make_listing(other, title=f"Offer {n}"), member=receiver, minutes=15
        )
    many, count = count_queries()
    assert count == 6
    assert many == few


def test_detail_for_each_party(accepted, provider, receiver, as_provider, as_receiver):
    for api, role, actions in (
        (as_provider, "provider", ["deliver", "cancel"]),
        (as_receiver, "receiver", ["cancel"]),
    ):
        response = api.get(f"/{accepted.pk}")
        assert response.status_code == 200
        body = response.json()
        assert body["id"] == accepted.pk
        assert body["role"] == role
        assert body["allowed_actions"] == actions
        assert body["held_minutes"] == 60
        assert body["accepted_at"] is not None
        assert body["my_reflection"] is None


def test_detail_is_404_for_a_stranger_and_for_what_does_not_exist(
    accepted, as_stranger, as_provider
):
    assert_problem(as_stranger.get(f"/{accepted.pk}"), 404, "not_found")
    assert_problem(as_provider.get(f"/{accepted.pk + 1000}"), 404, "not_found")
    assert_problem(as_provider.get("/99999999999999999999999"), 404, "not_found")


def test_a_moderator_sees_a_disputed_exchange_but_not_others(
    proposed, disputed, make_listing, make_member, as_moderator
):
    other = services.exchange_propose_from_listing(
        listing=make_listing(make_member()), member=make_member(), minutes=15
    )
    response = as_moderator.get(f"/{disputed.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "disputed"
    assert body["role"] is None
    assert body["allowed_actions"] == ["resolve"]
    assert body["dispute_reason"] == "It was 30 min."
    assert_problem(as_moderator.get(f"/{other.pk}"), 404, "not_found")
    # Their own list is theirs only: a moderator is not a party here.
    assert as_moderator.get("").json()["count"] == 0


def test_anonymous_callers_are_asked_to_authenticate(proposed):
    anonymous = Api()
    for response in (
        anonymous.get(""),
        anonymous.get(f"/{proposed.pk}"),
        anonymous.post("", {"listing_id": proposed.listing_id, "minutes": 15}),
        anonymous.post(f"/{proposed.pk}/accept"),
        anonymous.put(f"/{proposed.pk}/reflection", {"text": "Notes"}),
    ):
        body = assert_problem(response, 401, "unauthenticated")
        assert "token" in body["detail"]
        assert response["WWW-Authenticate"].startswith("Bearer")


# --- Read-only tokens ------------------------------------------------------------------

WRITES = [
    ("post", "", lambda ex: {"listing_id": ex.listing_id, "minutes": 15}),
    (
        "post",
        "/direct",
        lambda ex: {
            "member_id": ex.provider_id,
            "member_gives": False,
            "title": "Help",
            "improvement_area_id": ex.improvement_area_id,
            "benefit": "Safer care.",
            "minutes": 15,
        },
    ),
    ("post", "/{pk}/accept", lambda ex: None),
    ("post", "/{pk}/decline", lambda ex: {"reason": "Busy"}),
    ("post", "/{pk}/cancel", lambda ex: {}),
    ("post", "/{pk}/deliver", lambda ex: {"minutes": 60}),
    ("post", "/{pk}/confirm", lambda ex: None),
    ("post", "/{pk}/dispute", lambda ex: {"reason": "No"}),
    ("post", "/{pk}/resolve", lambda ex: {"outcome": "void", "note": "Fine"}),
    ("post", "/{pk}/messages", lambda ex: {"body": "Hello"}),
    ("post", "/{pk}/thanks", lambda ex: {"message": "Thanks"}),
    ("put", "/{pk}/reflection", lambda ex: {"text": "Notes"}),
]


def test_a_read_only_token_reads_but_never_writes(proposed, receiver, provider):
    reader = Api(receiver, read_only=True)
    assert reader.get("").status_code == 200
    assert reader.get(f"/{proposed.pk}").status_code == 200
    before = (Exchange.objects.count(), Notification.objects.count(), fresh(proposed).status)
    for method, path, body in WRITES:
        response = reader.post(path.format(pk=proposed.pk), body(proposed), method=method)
        assert_problem(response, 403, "read_only")
    assert (Exchange.objects.count(), Notification.objects.count(), fresh(proposed).status) == (
        before
    )


@pytest.mark.parametrize("method,path,body", WRITES)
def test_every_write_needs_authentication(proposed, method, path, body):
    response = Api().post(path.format(pk=proposed.pk), body(proposed), method=method)
    assert_problem(response, 401, "unauthenticated")


# --- Proposing -----------------------------------------------------------------------


def test_answering_a_request_makes_the_caller_the_provider(
    make_listing, provider, receiver, as_provider
):
    request = make_listing(receiver, kind=Listing.Kind.REQUEST, title="Help with a run chart")
    response = as_provider.post("", {"listing_id": request.pk, "minutes": 45})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["role"] == "provider"
    assert body["receiver"]["id"] == receiver.pk
    assert Notification.objects.filter(
        recipient=receiver, kind=Notification.Kind.EXCHANGE_PROPOSED
    ).exists()


@pytest.mark.parametrize(
    "body,field",
    [
        ({"minutes": 60}, "listing_id"),
        ({"listing_id": "one", "minutes": 60}, "listing_id"),
        ({"listing_id": 1}, "minutes"),
        ({"listing_id": 1, "minutes": 20}, "minutes"),
        ({"listing_id": 1, "minutes": 0}, "minutes"),
        ({"listing_id": 1, "minutes": -15}, "minutes"),
        ({"listing_id": 1, "minutes": 40 * 60 + 15}, "minutes"),
        ({"listing_id": 1, "minutes": "an hour"}, "minutes"),
        ({"listing_id": 1, "minutes": 1.5}, "minutes"),
        ({"listing_id": 1, "minutes": 60, "message": "x" * 4001}, "message"),
        ({"listing_id": 1, "minutes": 60, "message": 42}, "message"),
    ],
)
def test_proposing_refuses_invalid_fields(as_receiver, body, field):
    errors = field_errors(as_receiver.post("", body))
    assert field in errors
    assert Exchange.objects.count() == 0


def test_proposing_on_a_listing_that_is_not_there_or_not_open(offer, provider, as_receiver):
    errors = field_errors(as_receiver.post("", {"listing_id": offer.pk + 1000, "minutes": 60}))
    assert errors == {"listing_id": "There is no open listing with this id."}
    errors = field_errors(as_receiver.post("", {"listing_id": 10**30, "minutes": 60}))
    assert "listing_id" in errors
    listing_pause(listing=offer, member=provider)
    errors = field_errors(as_receiver.post("", {"listing_id": offer.pk, "minutes": 60}))
    assert "listing_id" in errors
    assert Exchange.objects.count() == 0


def test_proposing_on_my_own_listing_is_refused(offer, as_provider):
    body = assert_problem(
        as_provider.post("", {"listing_id": offer.pk, "minutes": 60}), 422, "own_listing"
    )
    assert body["detail"] == "This is your own listing."


def test_a_message_asking_for_money_is_refused(offer, as_receiver):
    response = as_receiver.post(
        "", {"listing_id": offer.pk, "minutes": 60, "message": "I can pay £20 cash"}
    )
    body = assert_problem(response, 422, "money")
    assert "No money changes hands" in body["detail"]
    assert Exchange.objects.count() == 0


def test_an_unconfirmed_member_may_not_propose(offer, make_member):
    unconfirmed = Api(make_member(email_verified=False))
    response = unconfirmed.post("", {"listing_id": offer.pk, "minutes": 60})
    assert_problem(response, 403, "email_unverified")


@pytest.mark.parametrize(
    "raw",
    ["{not json", "minutes=60", '"a string"', "[1, 2]", "\xff\xfe"],
)
def test_a_body_that_is_not_json_is_400(offer, as_receiver, raw):
    response = as_receiver.post("", raw=raw)
    assert_problem(response, 400, "unreadable_body")


def test_an_empty_body_is_422(as_receiver):
    assert_problem(as_receiver.post(""), 422, "invalid_fields")


def direct_body(colleague, area, **fields):
    body = {
        "member_id": colleague.pk,
        "member_gives": True,
        "title": "Reviewed a QI poster",
        "improvement_area_id": area.pk,
        "benefit": "A clearer poster on falls prevention.",
        "minutes": 30,
        "message": "Thanks for asking me.",
    }
    return {**body, **fields}


@pytest.mark.parametrize("gives,role", [(True, "provider"), (False, "receiver")])
def test_a_direct_exchange_names_who_gave(area, provider, receiver, as_provider, gives, role):
    response = as_provider.post("/direct", direct_body(receiver, area, member_gives=gives))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["role"] == role
    assert body["listing_id"] is None
    assert body["title"] == "Reviewed a QI poster"
    assert body["improvement_area"]["id"] == area.pk
    assert body["proposed_minutes"] == 30
    assert [m["body"] for m in body["messages"]] == ["Thanks for asking me."]
    exchange = Exchange.objects.get(pk=body["id"])
    assert exchange.proposed_by == provider
    # The colleague accepts it, like any proposal.
    colleague = Api(receiver)
    assert colleague.get(f"/{exchange.pk}").json()["allowed_actions"] == [
        "accept",
        "decline",
        "cancel",
    ]
    assert colleague.post(f"/{exchange.pk}/accept").json()["status"] == "accepted"
    assert_ledger_whole()


@pytest.mark.parametrize(
    "fields,field",
    [
        ({"member_id": 10**6}, "member_id"),
        ({"member_id": 10**40}, "member_id"),
        ({"member_gives": "perhaps"}, "member_gives"),
        ({"title": ""}, "title"),
        ({"title": "   "}, "title"),
        ({"title": "x" * 121}, "title"),
        ({"title": "Null\x00byte"}, "title"),
        ({"improvement_area_id": 10**6}, "improvement_area_id"),
        ({"benefit": ""}, "benefit"),
        ({"benefit": "x" * 251}, "benefit"),
        ({"minutes": 10}, "minutes"),
        ({"minutes": None}, "minutes"),
    ],
)
def test_a_direct_exchange_refuses_invalid_fields(area, receiver, as_provider, fields, field):
    errors = field_errors(as_provider.post("/direct", direct_body(receiver, area, **fields)))
    assert field in errors, errors
    assert Exchange.objects.count() == 0


def test_a_direct_exchange_with_myself_is_refused(area, provider, as_provider):
    errors = field_errors(as_provider.post("/direct", direct_body(provider, area)))
    assert errors == {"member_id": "Choose a colleague, not yourself."}


def test_a_direct_exchange_with_a_suspended_member_is_refused(area, receiver, as_provider):
    receiver.is_active = False
    receiver.save(update_fields=["is_active"])
    errors = field_errors(as_provider.post("/direct", direct_body(receiver, area)))
    assert errors == {"member_id": "There is no member with this id."}


# --- Accept and decline ------------------------------------------------------------------


def test_accepting_holds_the_credits(proposed, provider, receiver, as_provider, as_receiver):
    # The receiver proposed, so only the provider may accept.
    body = assert_problem(as_receiver.post(f"/{proposed.pk}/accept"), 403, "forbidden")
    assert body["detail"] == "Only the other party can accept this exchange."
    assert fresh(proposed).status == Status.PROPOSED

    response = as_provider.post(f"/{proposed.pk}/accept")
    assert response.status_code == 200
    assert response.json()["status"] == "accepted"
    assert credits(receiver) == (60, 60, 120)

    # Asking again changes nothing.
    again = as_provider.post(f"/{proposed.pk}/accept")
    assert again.status_code == 200
    assert credits(receiver) == (60, 60, 120)
    assert Transfer.objects.filter(state="pending").count() == 1
    assert (
        Notification.objects.filter(
            recipient=receiver, kind=Notification.Kind.EXCHANGE_ACCEPTED
        ).count()
        == 1
    )
    assert_ledger_whole()


def test_accepting_without_enough_credit_says_why(offer, provider, receiver, as_provider):
    exchange = services.exchange_propose_from_listing(listing=offer, member=receiver, minutes=180)
    body = assert_problem(as_provider.post(f"/{exchange.pk}/accept"), 409, "insufficient_credit")
    assert body["detail"] == (
        "Rob Receiver has 2 credits available, not enough to hold 3 for this exchange. "
        "Ask them to propose fewer hours."
    )
    assert fresh(exchange).status == Status.PROPOSED
    assert credits(receiver) == (120, 0, 120)


def test_a_stranger_cannot_reach_any_move(accepted, as_stranger):
    for method, path, body in WRITES[2:]:
        response = as_stranger.post(path.format(pk=accepted.pk), body(accepted), method=method)
        assert_problem(response, 404, "not_found")
    assert fresh(accepted).status == Status.ACCEPTED


def test_declining_needs_a_reason(proposed, receiver, as_provider, as_receiver):
    assert field_errors(as_provider.post(f"/{proposed.pk}/decline", {"reason": "  "})) == {
        "reason": "This field is required."
    }
    assert "reason" in field_errors(as_provider.post(f"/{proposed.pk}/decline", {}))
    assert "reason" in field_errors(
        as_provider.post(f"/{proposed.pk}/decline", {"reason": "x" * 1001})
    )
    assert_problem(
        as_receiver.post(f"/{proposed.pk}/decline", {"reason": "Changed my mind"}),
        403,
        "forbidden",
    )

    response = as_provider.post(f"/{proposed.pk}/decline", {"reason": "Away that month"})

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "declined"
    assert body["decline_reason"] == "Away that month"
    assert body["events"][-1]["note"] == "Away that month"
    # Declined is final.
    body = assert_problem(as_provider.post(f"/{proposed.pk}/accept"), 409, "invalid_transition")
    assert "Declined" in body["detail"]


def test_declining_after_accepting_is_out_of_turn(accepted, as_provider):
    response = as_provider.post(f"/{accepted.pk}/decline", {"reason": "Oops"})
    assert_problem(response, 409, "invalid_transition")


# --- Cancel ---------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["provider", "receiver"])
def test_either_party_cancels_and_the_hold_is_released(accepted, receiver, request, who):
    api = Api(request.getfixturevalue(who))
    response = api.post(f"/{accepted.pk}/cancel", {"reason": "Plans changed"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "cancelled"
    assert body["cancelled_by"]["id"] == api.member.pk
    assert body["held_minutes"] is None
    assert credits(receiver) == (120, 0, 120)
    assert_ledger_whole()


def test_cancelling_needs_no_body(proposed, as_receiver):
    response = as_receiver.post(f"/{proposed.pk}/cancel")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "cancelled"


def test_cancelling_after_the_time_is_logged_is_out_of_turn(delivered, as_receiver):
    response = as_receiver.post(f"/{delivered.pk}/cancel", {})
    body = assert_problem(response, 409, "invalid_transition")
    assert (
        body["detail"]
        == "This exchange is now \u201cHours logged\u201d, so it cannot be cancelled."
    )


def test_a_cancel_reason_must_not_ask_for_money(proposed, as_receiver):
    response = as_receiver.post(f"/{proposed.pk}/cancel", {"reason": "Pay me $50 instead"})
    assert_problem(response, 422, "money")
    assert fresh(proposed).status == Status.PROPOSED


# --- Deliver, confirm, dispute ---------------------------------------------------------


def test_only_the_provider_logs_the_time(accepted, as_provider, as_receiver):
    assert_problem(as_receiver.post(f"/{accepted.pk}/deliver", {"minutes": 60}), 403, "forbidden")
    for minutes in (20, 0, -60, 2415, "1h"):
        errors = field_errors(as_provider.post(f"/{accepted.pk}/deliver", {"minutes": minutes}))
        assert "minutes" in errors
    assert fresh(accepted).status == Status.ACCEPTED

    response = as_provider.post(f"/{accepted.pk}/deliver", {"minutes": 45})
    assert response.status_code == 200
    assert response.json()["logged_minutes"] == 45


def test_logging_time_before_accepting_is_out_of_turn(proposed, as_provider):
    response = as_provider.post(f"/{proposed.pk}/deliver", {"minutes": 60})
    assert_problem(response, 409, "invalid_transition")


def test_only_the_receiver_confirms(delivered, provider, receiver, as_provider, as_receiver):
    body = assert_problem(as_provider.post(f"/{delivered.pk}/confirm"), 403, "forbidden")
    assert body["detail"] == "Only the member who received the time can confirm it."
    assert fresh(delivered).status == Status.DELIVERED
    assert as_receiver.post(f"/{delivered.pk}/confirm").json()["status"] == "completed"
    assert credits(provider)[2] == 180
    assert credits(receiver)[2] == 60
    assert_ledger_whole()


def test_confirming_more_than_held_without_the_credit_says_why(
    accepted, provider, receiver, as_provider, as_receiver
):
    # 60 held, 180 logged: the receiver has only 60 more available.
    as_provider.post(f"/{accepted.pk}/deliver", {"minutes": 180, "confirm_over_agreed": True})
    body = assert_problem(as_receiver.post(f"/{accepted.pk}/confirm"), 409, "insufficient_credit")
    assert body["detail"].startswith("3 hours were logged but 1 were held")
    assert fresh(accepted).status == Status.DELIVERED
    assert credits(receiver) == (60, 60, 120)


def test_confirming_before_the_time_is_logged_is_out_of_turn(accepted, as_receiver):
    assert_problem(as_receiver.post(f"/{accepted.pk}/confirm"), 409, "invalid_transition")


def test_only_the_receiver_disputes_and_says_why(delivered, as_provider, as_receiver):
    assert_problem(as_provider.post(f"/{delivered.pk}/dispute", {"reason": "Hm"}), 403, "forbidden")
    assert "reason" in field_errors(as_receiver.post(f"/{delivered.pk}/dispute", {"reason": ""}))
    response = as_receiver.post(f"/{delivered.pk}/dispute", {"reason": "We met for 30 minutes."})
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "disputed"
    assert body["dispute_reason"] == "We met for 30 minutes."
    assert body["held_minutes"] == 60
    assert body["allowed_actions"] == []


def test_disputing_a_completed_exchange_is_out_of_turn(completed, as_receiver):
    response = as_receiver.post(f"/{completed.pk}/dispute", {"reason": "Late"})
    assert_problem(response, 409, "invalid_transition")


# --- Resolve --------------------------------------------------------------------------


def test_a_moderator_resolves_by_moving_some_minutes(
    disputed, provider, receiver, moderator, as_moderator
):
    response = as_moderator.post(
        f"/{disputed.pk}/resolve",
        {"outcome": "post", "minutes": 30, "note": "Both agree it was half an hour."},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "completed"
    assert body["paid_minutes"] == 30
    assert body["resolution_note"] == "Both agree it was half an hour."
    assert body["events"][-1]["verb"] == "resolve_post"
    assert credits(provider) == (150, 0, 150)
    assert credits(receiver) == (90, 0, 90)
    # They still see the exchange they resolved.
    assert as_moderator.get(f"/{disputed.pk}").status_code == 200
    assert_ledger_whole()


def test_a_moderator_closes_a_dispute_without_credits(disputed, receiver, as_moderator):
    response = as_moderator.post(
        f"/{disputed.pk}/resolve",
        {"outcome": "void", "minutes": 45, "note": "No session took place."},
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "voided"
    assert response.json()["paid_minutes"] is None
    assert credits(receiver) == (120, 0, 120)
    assert_ledger_whole()


@pytest.mark.parametrize(
    "body,field",
    [
        ({"outcome": "post", "note": "Half"}, "minutes"),
        ({"outcome": "post", "minutes": 25, "note": "Half"}, "minutes"),
        ({"outcome": "void", "note": ""}, "note"),
        ({"outcome": "split", "note": "Half"}, "outcome"),
        ({"note": "Half"}, "outcome"),
    ],
)
def test_a_resolution_refuses_invalid_fields(disputed, as_moderator, body, field):
    errors = field_errors(as_moderator.post(f"/{disputed.pk}/resolve", body))
    assert field in errors
    assert fresh(disputed).status == Status.DISPUTED


def test_the_parties_cannot_resolve_their_own_dispute(disputed, as_provider, as_receiver):
    for api in (as_provider, as_receiver):
        response = api.post(f"/{disputed.pk}/resolve", {"outcome": "void", "note": "Mine"})
        body = assert_problem(response, 403, "forbidden")
        assert "moderator" in body["detail"]
    assert fresh(disputed).status == Status.DISPUTED


def test_a_moderator_cannot_reach_an_exchange_that_is_not_disputed(delivered, as_moderator):
    response = as_moderator.post(f"/{delivered.pk}/resolve", {"outcome": "void", "note": "x"})
    assert_problem(response, 404, "not_found")
    response = as_moderator.post(f"/{delivered.pk}/confirm")
    assert_problem(response, 404, "not_found")


def test_a_moderator_makes_no_party_move_on_a_disputed_exchange(disputed, as_moderator):
    assert_problem(as_moderator.post(f"/{disputed.pk}/cancel"), 403, "forbidden")
    assert_problem(as_moderator.post(f"/{disputed.pk}/confirm"), 403, "forbidden")
    response = as_moderator.post(f"/{disputed.pk}/messages", {"body": "I am looking at it."})
    assert_problem(response, 403, "forbidden")
    response = as_moderator.put(f"/{disputed.pk}/reflection", {"text": "Notes"})
    assert_problem(response, 403, "forbidden")
    assert fresh(disputed).status == Status.DISPUTED


def test_a_member_who_is_not_a_moderator_cannot_resolve(disputed, as_stranger):
    response = as_stranger.post(f"/{disputed.pk}/resolve", {"outcome": "void", "note": "x"})
    assert_problem(response, 404, "not_found")


# --- Messages, thanks, reflections ------------------------------------------------------


def test_the_parties_write_to_each_other(proposed, provider, receiver, as_provider, as_receiver):
    response = as_provider.post(f"/{proposed.pk}/messages", {"body": "Tuesday at 10?"})
    assert response.status_code == 201, response.content
    message = response.json()
    assert message["author"] == {"id": provider.pk, "display_name": "Priya Provider"}
    assert message["body"] == "Tuesday at 10?"
    as_receiver.post(f"/{proposed.pk}/messages", {"body": "Perfect."})

    thread = as_receiver.get(f"/{proposed.pk}").json()["messages"]
    assert [(m["author"]["id"], m["body"]) for m in thread] == [
        (provider.pk, "Tuesday at 10?"),
        (receiver.pk, "Perfect."),
    ]
    assert Notification.objects.filter(
        recipient=receiver, kind=Notification.Kind.EXCHANGE_MESSAGE
    ).exists()


@pytest.mark.parametrize(
    "body,status,code",
    [
        ({"body": ""}, 422, "invalid_fields"),
        ({"body": "x" * 4001}, 422, "invalid_fields"),
        ({}, 422, "invalid_fields"),
        ({"body": "Bank transfer of 50 quid?"}, 422, "money"),
        ({"body": "Her NHS number is 943 476 5919"}, 422, "patient_data"),
    ],
)
def test_a_message_is_checked(proposed, as_provider, body, status, code):
    assert_problem(as_provider.post(f"/{proposed.pk}/messages", body), status, code)
    assert proposed.messages.count() == 0


def test_thanks_wait_for_completion_and_are_given_once(
    delivered, provider, receiver, as_provider, as_receiver
):
    thanks = {"message": "That was so helpful.", "impact": "Our audit is done."}
    body = assert_problem(as_receiver.post(f"/{delivered.pk}/thanks", thanks), 409, "refused")
    assert body["detail"] == "Thanks can be left once the exchange is completed."
    services.exchange_confirm(exchange=delivered, member=receiver)

    response = as_receiver.post(f"/{delivered.pk}/thanks", thanks)

    assert response.status_code == 201, response.content
    given = response.json()
    assert given["author"]["id"] == receiver.pk
    assert given["recipient"]["id"] == provider.pk
    assert given["impact"] == "Our audit is done."
    assert given["show_on_profile"] is True
    assert_problem(as_receiver.post(f"/{delivered.pk}/thanks", thanks), 409, "refused")
    reply = as_provider.post(
        f"/{delivered.pk}/thanks", {"message": "Likewise!", "show_on_profile": False}
    )
    assert reply.status_code == 201
    assert reply.json()["show_on_profile"] is False
    shown = as_provider.get(f"/{delivered.pk}").json()["thanks"]
    assert {t["message"] for t in shown} == {"That was so helpful.", "Likewise!"}
    assert Thanks.objects.count() == 2
    assert "message" in field_errors(as_provider.post(f"/{delivered.pk}/thanks", {"message": ""}))


def test_a_reflection_is_private_and_replaced(
    completed, provider, receiver, as_provider, as_receiver, as_stranger
):
    response = as_receiver.put(f"/{completed.pk}/reflection", {"text": "I learned KM curves."})
    assert response.status_code == 200, response.content
    assert response.json()["text"] == "I learned KM curves."
    response = as_receiver.put(f"/{completed.pk}/reflection", {"text": "And Cox models."})
    assert response.json()["text"] == "And Cox models."
    assert Reflection.objects.get().text == "And Cox models."

    assert as_receiver.get(f"/{completed.pk}").json()["my_reflection"]["text"] == "And Cox models."
    assert as_provider.get(f"/{completed.pk}").json()["my_reflection"] is None
    assert_problem(
        as_stranger.put(f"/{completed.pk}/reflection", {"text": "Mine"}), 404, "not_found"
    )
    assert "text" in field_errors(as_receiver.put(f"/{completed.pk}/reflection", {"text": " "}))
    assert_problem(as_receiver.put(f"/{completed.pk}/reflection", raw="{"), 400, "unreadable_body")


# --- Bodies that are not JSON, on every write with a body -----------------------------------


@pytest.mark.parametrize(
    "method,path", [(m, p) for m, p, _ in WRITES if not p.endswith(("/accept", "/confirm"))]
)
def test_every_write_with_a_body_refuses_non_json(proposed, as_provider, method, path):
    response = as_provider.post(path.format(pk=proposed.pk), raw="{oops", method=method)
    assert_problem(response, 400, "unreadable_body")


# --- Session callers -------------------------------------------------------------------


def test_a_signed_in_browser_reads_and_needs_csrf_to_write(proposed, provider):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(provider)
    assert browser.get(f"{BASE}/{proposed.pk}").json()["role"] == "provider"
    response = browser.post(f"{BASE}/{proposed.pk}/accept", content_type="application/json")
    assert_problem(response, 403, "csrf_failed")
    assert fresh(proposed).status == Status.PROPOSED


# --- The OpenAPI document --------------------------------------------------------------


def test_the_schema_documents_every_operation_with_links_from_a_proposal(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    paths = schema["paths"]
    operations = {
        op["operationId"]: op
        for path, item in paths.items()
        if path.startswith("/api/v1/exchanges")
        for op in item.values()
        # An exchange's session is arranged under its path, by the scheduling app.
        if op["tags"] != ["Sessions"]
    }
    assert set(operations) == {
        "exchange_list",
        "exchange_get",
        "exchange_propose",
        "exchange_propose_direct",
        "exchange_accept",
        "exchange_decline",
        "exchange_cancel",
        "exchange_deliver",
        "exchange_confirm",
        "exchange_dispute",
        "exchange_resolve",
        "exchange_message_post",
        "exchange_thanks_give",
        "exchange_reflection_save",
    }
    for op in operations.values():
        assert op["summary"]
        assert op["tags"] == ["Exchanges"]
        assert {"401", "404", "422"} <= set(op["responses"])
    for name in ("exchange_propose", "exchange_propose_direct"):
        created = operations[name]["responses"]["201"]
        # The links sit beside the content, which stays.
        assert created["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/ExchangeOut"
        }
        links = created["links"]
        assert {link["operationId"] for link in links.values()} == {
            "exchange_get",
            "exchange_accept",
            "exchange_cancel",
        }
        for link in links.values():
            assert link["parameters"] == {"exchange_id": "$response.body#/id"}
            assert link["operationId"] in operations
        assert any(p["name"] == "Idempotency-Key" for p in operations[name]["parameters"])
    statuses = schema["components"]["schemas"]["ExchangeSummaryOut"]["properties"]["status"]
    assert statuses["enum"] == list(Status.values)


def test_every_action_the_api_offers_has_an_endpoint():
    assert set(ACTIONS) == set(services.MAY)
    paths = {
        path
        for path in json.loads(Client().get("/api/v1/openapi.json").content)["paths"]
        if path.startswith("/api/v1/exchanges/{exchange_id}/")
    }
    for action in set(ACTIONS.values()):
        assert f"/api/v1/exchanges/{{exchange_id}}/{action}" in paths

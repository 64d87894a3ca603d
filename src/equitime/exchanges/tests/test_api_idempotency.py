"""Idempotency-Key on the API's writes that make exchanges or move credits.

A retry with the same key and body gets the first answer again and changes
nothing; the same key with another body is refused; a request that failed may
be retried with its key; and ten requests sent at once with one key make one
exchange, or move credits once, on SQLite and PostgreSQL alike.
"""

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from equitime.api.models import IdempotentRequest
from equitime.api.services import api_token_create
from equitime.core.testing import race
from equitime.exchanges import services
from equitime.exchanges.models import Exchange, Status
from equitime.ledger import services as ledger
from equitime.ledger.models import Account, Transfer
from equitime.ledger.tests.factories import earn
from equitime.ledger.verify import verify_ledger
from equitime.listings.services import listing_pause, listing_resume

THREADS = 10


@pytest.fixture(autouse=True)
def _generous_rate_limits(settings):
    settings.EQUITIME_API_RATE_PER_IP = "10000/m"
    settings.EQUITIME_API_RATE_PER_TOKEN = "10000/m"
    settings.EQUITIME_API_WRITE_RATE_PER_TOKEN = "10000/m"


def bearer(member) -> dict:
    _, secret = api_token_create(member=member, name="test")
    return {"Authorization": f"Bearer {secret}"}


def post(path, body, headers, key=None, client=None):
    headers = {**headers, **({"Idempotency-Key": key} if key is not None else {})}
    return (client or Client()).post(
        "/api/v1" + path, json.dumps(body), content_type="application/json", headers=headers
    )


def problem_code(response) -> str:
    return response.json()["code"]


def balance(member) -> int:
    return Account.objects.get(member=member).balance


def assert_ledger_whole():
    report = verify_ledger()
    assert report.ok, report.problems


def assert_replay(first, again):
    assert again.status_code == first.status_code
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first


# --- Replays, reuse and bad keys ---------------------------------------------------


@pytest.mark.django_db
class TestProposals:
    def test_the_same_key_and_body_answers_again_and_makes_one_exchange(self, offer, receiver):
        headers = bearer(receiver)
        body = {"listing_id": offer.pk, "minutes": 60, "message": "Tuesday?"}

        first = post("/exchanges", body, headers, key="propose-1")
        again = post("/exchanges", body, headers, key="propose-1")

        assert first.status_code == 201
        assert_replay(first, again)
        assert Exchange.objects.count() == 1
        exchange = Exchange.objects.get()
        assert exchange.request_key == f"api:{receiver.pk}:propose-1"
        assert exchange.messages.count() == 1

    def test_a_direct_proposal_is_replayed_too(self, area, provider, receiver):
        headers = bearer(provider)
        body = {
            "member_id": receiver.pk,
            "member_gives": True,
            "title": "Reviewed a poster",
            "improvement_area_id": area.pk,
            "benefit": "Clearer falls data.",
            "minutes": 30,
        }
        first = post("/exchanges/direct", body, headers, key="direct-1")
        again = post("/exchanges/direct", body, headers, key="direct-1")
        assert first.status_code == 201
        assert_replay(first, again)
        assert Exchange.objects.count() == 1

    def test_the_same_key_with_another_body_is_refused(self, offer, receiver):
        headers = bearer(receiver)
        post("/exchanges", {"listing_id": offer.pk, "minutes": 60}, headers, key="k")

        response = post("/exchanges", {"listing_id": offer.pk, "minutes": 90}, headers, key="k")

        assert response.status_code == 422
        assert problem_code(response) == "idempotency_key_reused"
        # The same key on another endpoint is another request too.
        response = post("/transfers/donations", {"minutes": 15}, headers, key="k")
        assert problem_code(response) == "idempotency_key_reused"
        assert Exchange.objects.get().proposed_minutes == 60

    @pytest.mark.parametrize("key", ["", "has space", "caf\u00e9", "x" * 256, "tab\there"])
    def test_an_invalid_key_is_400(self, offer, receiver, key):
        response = post(
            "/exchanges", {"listing_id": offer.pk, "minutes": 60}, bearer(receiver), key=key
        )
        assert response.status_code == 400, response.content
        assert problem_code(response) == "invalid_idempotency_key"
        assert Exchange.objects.count() == 0

    def test_the_longest_key_is_stored_as_a_digest(self, offer, receiver):
        key = "k" * 255
        response = post(
            "/exchanges", {"listing_id": offer.pk, "minutes": 60}, bearer(receiver), key=key
        )
        assert response.status_code == 201
        request_key = Exchange.objects.get().request_key
        assert request_key is not None
        assert request_key.startswith(f"api:{receiver.pk}:#")
        assert len(request_key) <= 64

    def test_a_refused_proposal_can_be_retried_with_its_key(self, offer, provider, receiver):
        headers = bearer(receiver)
        body = {"listing_id": offer.pk, "minutes": 60}
        listing_pause(listing=offer, member=provider)
        refused = post("/exchanges", body, headers, key="retry-me")
        assert refused.status_code == 422
        assert not IdempotentRequest.objects.exists()

        listing_resume(listing=offer, member=provider)
        response = post("/exchanges", body, headers, key="retry-me")

        assert response.status_code == 201
        assert "Idempotent-Replayed" not in response
        assert Exchange.objects.count() == 1

    def test_two_members_may_use_the_same_key(self, offer, receiver, stranger):
        body = {"listing_id": offer.pk, "minutes": 60}
        first = post("/exchanges", body, bearer(receiver), key="same")
        second = post("/exchanges", body, bearer(stranger), key="same")
        assert first.status_code == second.status_code == 201
        assert first.json()["id"] != second.json()["id"]
        assert "Idempotent-Replayed" not in second

    def test_a_retry_after_the_key_is_forgotten_still_makes_no_second_exchange(
        self, offer, receiver
    ):
        headers = bearer(receiver)
        body = {"listing_id": offer.pk, "minutes": 60}
        first = post("/exchanges", body, headers, key="old")
        IdempotentRequest.objects.update(created_at=timezone.now() - timedelta(days=2))

        again = post("/exchanges", body, headers, key="old")

        # The API ran it again; the service found the exchange its key made.
        assert again.status_code == 201
        assert "Idempotent-Replayed" not in again
        assert again.json()["id"] == first.json()["id"]
        assert Exchange.objects.count() == 1

    def test_without_a_key_each_request_is_new(self, offer, receiver):
        headers = bearer(receiver)
        body = {"listing_id": offer.pk, "minutes": 60}
        assert post("/exchanges", body, headers).status_code == 201
        assert post("/exchanges", body, headers).status_code == 201
        assert Exchange.objects.count() == 2


@pytest.mark.django_db
class TestMoves:
    def test_an_accept_that_failed_for_credit_can_be_retried_with_its_key(
        self, offer, provider, receiver, make_member
    ):
        exchange = services.exchange_propose_from_listing(
            listing=offer, member=receiver, minutes=180
        )
        headers = bearer(provider)
        refused = post(f"/exchanges/{exchange.pk}/accept", None, headers, key="accept-1")
        assert refused.status_code == 409
        assert problem_code(refused) == "insufficient_credit"

        earn(receiver, 60)
        accepted = post(f"/exchanges/{exchange.pk}/accept", None, headers, key="accept-1")
        again = post(f"/exchanges/{exchange.pk}/accept", None, headers, key="accept-1")

        assert accepted.status_code == 200
        assert accepted.json()["status"] == "accepted"
        assert_replay(accepted, again)
        assert Transfer.objects.filter(kind="exchange", state="pending").count() == 1
        assert_ledger_whole()

    def test_a_replayed_confirm_moves_credits_once(self, offer, provider, receiver):
        exchange = services.exchange_propose_from_listing(
            listing=offer, member=receiver, minutes=60
        )
        services.exchange_accept(exchange=exchange, member=provider)
        services.exchange_deliver(exchange=exchange, member=provider, minutes=60)
        headers = bearer(receiver)

        first = post(f"/exchanges/{exchange.pk}/confirm", None, headers, key="c")
        again = post(f"/exchanges/{exchange.pk}/confirm", None, headers, key="c")

        assert first.status_code == 200
        assert_replay(first, again)
        assert (balance(provider), balance(receiver)) == (180, 60)
        assert Exchange.objects.get().status == Status.COMPLETED


@pytest.mark.django_db
class TestDonations:
    def test_the_same_key_and_body_gives_once(self, member, other_member):
        earn(member, 30)
        headers = bearer(member)
        body = {"member_id": other_member.pk, "minutes": 30, "memo": "For the workshop"}

        first = post("/transfers/donations", body, headers, key="gift-1")
        again = post("/transfers/donations", body, headers, key="gift-1")

        assert first.status_code == 201
        assert_replay(first, again)
        assert (balance(member), balance(other_member)) == (120, 150)
        assert Transfer.objects.get(kind="donation").key == f"api:{member.pk}:gift-1"

    def test_the_same_key_with_another_body_is_refused(self, member, other_member):
        earn(member, 30)
        headers = bearer(member)
        post("/transfers/donations", {"minutes": 30}, headers, key="gift")
        response = post("/transfers/donations", {"minutes": 45}, headers, key="gift")
        assert response.status_code == 422
        assert problem_code(response) == "idempotency_key_reused"
        assert balance(member) == 120

    def test_a_gift_refused_for_credit_can_be_retried_with_its_key(
        self, member, other_member, make_member
    ):
        headers = bearer(member)
        body = {"member_id": other_member.pk, "minutes": 180}
        refused = post("/transfers/donations", body, headers, key="big-gift")
        assert refused.status_code == 409
        assert problem_code(refused) == "not_donatable"

        earn(member, 180)
        response = post("/transfers/donations", body, headers, key="big-gift")

        assert response.status_code == 201
        assert (balance(member), balance(other_member)) == (120, 300)
        assert_ledger_whole()

    def test_a_retry_after_the_key_is_forgotten_gives_nothing_twice(self, member):
        earn(member, 60)
        headers = bearer(member)
        first = post("/transfers/donations", {"minutes": 60}, headers, key="pool-gift")
        IdempotentRequest.objects.update(created_at=timezone.now() - timedelta(days=2))

        again = post("/transfers/donations", {"minutes": 60}, headers, key="pool-gift")

        assert again.status_code == 201
        assert again.json()["id"] == first.json()["id"]
        assert balance(member) == 120
        assert Transfer.objects.filter(kind="donation").count() == 1

    def test_the_longest_key_fits_the_ledger(self, member):
        earn(member, 15)
        response = post("/transfers/donations", {"minutes": 15}, bearer(member), key="g" * 255)
        assert response.status_code == 201
        key = Transfer.objects.get(kind="donation").key
        assert key.startswith(f"api:{member.pk}:#")
        assert len(key) <= ledger.MAX_KEY_LENGTH


# --- Ten at once ----------------------------------------------------------------------


def send_at_once(send, count=THREADS):
    """Call ``send(client)`` from ``count`` threads released together, each with
    its own test client and database connection; return the responses."""
    return race(lambda n: send(Client()), count)


def assert_one_ran_and_the_rest_replayed_or_waited(responses, status):
    ran = [r for r in responses if r.status_code == status and "Idempotent-Replayed" not in r]
    assert len(ran) == 1, [(r.status_code, r.content) for r in responses]
    for response in responses:
        assert response.status_code != 500, response.content
        if response is ran[0]:
            continue
        if response.status_code == 409:
            assert problem_code(response) == "idempotency_in_progress"
            assert response["Retry-After"] == "1"
        else:
            assert response["Idempotent-Replayed"] == "true"
            assert response.status_code == status
            assert response.json() == ran[0].json()
    return ran[0]


# Transactional: each thread has its own connection and sees what others commit.
# Serialized rollback puts the migration-made data (taxonomy, pool) back after.
AT_ONCE = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@AT_ONCE
@pytest.mark.slow
def test_ten_proposals_at_once_with_one_key_make_one_exchange(offer, receiver):
    headers = bearer(receiver)
    body = {"listing_id": offer.pk, "minutes": 60, "message": "Once, please."}

    responses = send_at_once(
        lambda client: post("/exchanges", body, headers, key="at-once", client=client)
    )

    created = assert_one_ran_and_the_rest_replayed_or_waited(responses, 201)
    assert Exchange.objects.count() == 1
    exchange = Exchange.objects.get()
    assert created.json()["id"] == exchange.pk
    assert exchange.messages.count() == 1
    assert exchange.events.count() == 1
    # A retry once they have all finished gets the first answer.
    assert_replay(created, post("/exchanges", body, headers, key="at-once"))


@AT_ONCE
@pytest.mark.slow
def test_ten_gifts_at_once_with_one_key_move_credits_once(member, other_member):
    earn(member, 45)
    headers = bearer(member)
    body = {"member_id": other_member.pk, "minutes": 45}

    responses = send_at_once(
        lambda client: post("/transfers/donations", body, headers, key="gift", client=client)
    )

    given = assert_one_ran_and_the_rest_replayed_or_waited(responses, 201)
    assert Transfer.objects.filter(kind="donation").count() == 1
    assert given.json()["minutes"] == 45
    assert_replay(given, post("/transfers/donations", body, headers, key="gift"))
    assert (balance(member), balance(other_member)) == (120, 165)
    assert_ledger_whole()


@AT_ONCE
@pytest.mark.slow
def test_ten_accepts_at_once_with_one_key_hold_once(offer, provider, receiver):
    exchange = services.exchange_propose_from_listing(listing=offer, member=receiver, minutes=60)
    headers = bearer(provider)

    responses = send_at_once(
        lambda client: post(
            f"/exchanges/{exchange.pk}/accept", None, headers, key="accept", client=client
        )
    )

    assert_one_ran_and_the_rest_replayed_or_waited(responses, 200)
    assert Transfer.objects.filter(kind="exchange", state="pending").count() == 1
    assert Account.objects.get(member=receiver).held == 60
    assert_ledger_whole()

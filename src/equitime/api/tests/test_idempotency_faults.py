"""A worker killed anywhere inside an idempotent request leaves no half-done
request behind (issue 10, point 6).

A separate process runs the request against the test database and dies
(``os._exit``) at one step boundary: after the key's record is written, after
the operation ran, after the answer was stored, after the commit. A retry with
the same key must then either replay the answer (the commit happened) or run
the operation now, exactly once, and the ledger must verify. The database is
shared with the child, so these tests commit (transactional, serialized).
"""

import json
import os
import subprocess
import sys

import pytest
from django.db import connection
from django.test import Client

from equitime.api.models import IdempotentRequest
from equitime.api.services import api_token_create
from equitime.exchanges import services as exchanges
from equitime.exchanges.models import Exchange, Status
from equitime.ledger.models import Account, Transfer
from equitime.ledger.tests.factories import earn
from equitime.ledger.verify import verify_ledger
from equitime.listings.models import Format, Listing
from equitime.listings.services import listing_create
from equitime.skills.models import ImprovementArea, Skill

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True)]

STEPS = ["recorded", "ran", "answered", "committed"]

# The child: Django on the parent's (test) database, the step hook replaced by
# one that kills the process at the named boundary, one request sent.
CHILD = r"""
import json, os, sys
from django.conf import settings
settings.DATABASES["default"] = json.loads(os.environ["FAULT_DATABASE"])
import django
django.setup()
from django.test import Client
from equitime.api import idempotency

def die_at(name):
    if name == os.environ["FAULT_STEP"]:
        sys.stdout.flush()
        os._exit(1)

idempotency._step = die_at
request = json.loads(os.environ["FAULT_REQUEST"])
response = Client().post(
    request["path"], json.dumps(request["body"]), content_type="application/json",
    headers=request["headers"],
)
print(response.status_code, response.content.decode())
"""


def _database() -> str:
    config = dict(connection.settings_dict)
    config["NAME"] = str(config["NAME"])
    config["CONN_MAX_AGE"] = 0
    config.pop("TEST", None)
    return json.dumps(config, default=str)


def run_child_until(step: str, *, path: str, body, headers: dict, tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "equitime.settings",
        "EQUITIME_DATA_DIR": str(tmp_path),
        "FAULT_DATABASE": _database(),
        "FAULT_STEP": step,
        "FAULT_REQUEST": json.dumps({"path": path, "body": body, "headers": headers}),
    }
    # Our own interpreter running our own code.
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", CHILD],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1, (result.returncode, result.stdout, result.stderr)
    return result


def post(path, body, headers):
    return Client().post(path, json.dumps(body), content_type="application/json", headers=headers)


def bearer(member) -> dict:
    _, secret = api_token_create(member=member, name="fault test")
    return {"Authorization": f"Bearer {secret}"}


def balance(member) -> int:
    return Account.objects.get(member=member).balance


def assert_ledger_whole():
    report = verify_ledger()
    assert report.ok, report.problems


@pytest.fixture(autouse=True)
def _generous_rate_limits(settings):
    settings.EQUITIME_API_RATE_PER_IP = "10000/m"
    settings.EQUITIME_API_RATE_PER_TOKEN = "10000/m"
    settings.EQUITIME_API_WRITE_RATE_PER_TOKEN = "10000/m"


@pytest.mark.slow
@pytest.mark.parametrize("step", STEPS)
def test_a_gift_killed_at_any_step_is_given_exactly_once_on_retry(
    step, member, other_member, tmp_path
):
    earn(member, 30)  # only credits earned by giving time may be given on
    path = "/api/v1/transfers/donations"
    body = {"member_id": other_member.pk, "minutes": 30, "memo": "Thanks"}
    headers = {**bearer(member), "Idempotency-Key": f"gift-{step}"}

    run_child_until(step, path=path, body=body, headers=headers, tmp_path=tmp_path)
    committed = step == "committed"
    assert Transfer.objects.filter(kind="donation").count() == (1 if committed else 0)
    # Nothing half-done: a record is there with its answer, or not at all.
    assert list(IdempotentRequest.objects.values_list("status_code", flat=True)) == (
        [201] if committed else []
    )

    retry = post(path, body, headers)

    assert retry.status_code == 201, retry.content
    assert (retry.get("Idempotent-Replayed") == "true") is committed
    transfer = Transfer.objects.get(kind="donation")
    assert retry.json()["id"] == transfer.pk
    assert retry.json()["idempotency_key"] == f"gift-{step}"
    assert (balance(member), balance(other_member)) == (120, 150)
    assert_ledger_whole()


@pytest.mark.slow
@pytest.mark.parametrize("step", ["ran", "answered"])
def test_a_confirm_killed_before_its_commit_pays_exactly_once_on_retry(step, make_member, tmp_path):
    provider, receiver = make_member(), make_member()
    offer = listing_create(
        owner=provider,
        kind=Listing.Kind.OFFER,
        improvement_area=ImprovementArea.objects.get(slug="patient-safety"),
        estimated_minutes=60,
        format=Format.REMOTE,
        skills=[Skill.objects.get(slug="survival-analysis")],
        title="Survival analysis in R",
        description="Kaplan-Meier curves, step by step.",
        benefit="Better evidence on readmissions.",
    )
    exchange = exchanges.exchange_propose_from_listing(listing=offer, member=receiver, minutes=60)
    exchanges.exchange_accept(exchange=exchange, member=provider)
    exchanges.exchange_deliver(exchange=exchange, member=provider, minutes=60)
    path = f"/api/v1/exchanges/{exchange.pk}/confirm"
    headers = {**bearer(receiver), "Idempotency-Key": "confirm-1"}

    run_child_until(step, path=path, body={}, headers=headers, tmp_path=tmp_path)
    exchange.refresh_from_db()
    assert exchange.status == Status.DELIVERED

    retry = post(path, {}, headers)

    assert retry.status_code == 200, retry.content
    assert "Idempotent-Replayed" not in retry
    assert Exchange.objects.get().status == Status.COMPLETED
    assert Transfer.objects.filter(kind="exchange", state="posted").count() == 1
    assert (balance(provider), balance(receiver)) == (180, 60)
    assert_ledger_whole()

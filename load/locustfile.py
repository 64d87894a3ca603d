"""The mixed load: members writing and reading through the JSON API, and pages.

Run by ``load/run.py`` (headless), which sets:

- ``LOAD_SEED``: the members made by ``load/seed.py`` (ids, tokens, sessions, offers);
- ``LOAD_RESULTS``: where every request's outcome is written at the end;
- ``LOAD_WRITES_PER_USER`` / ``LOAD_READS_PER_USER``: each user's pace.

Writers (one write each per pace) carry exchanges through their life as two
members would: a member takes up a colleague's offer (``POST /exchanges``),
the colleague accepts (the hold), logs the time given, and the first confirms
(the credits move); some give credits to a colleague instead. Each step is
queued for the member who must take it next, and any writer takes it with
that member's token. Every POST carries a new Idempotency-Key, and now and then
one is sent twice, as a client retrying would. Readers browse and search
through the API with Bearer tokens, and open pages with a session cookie.

Request names start with ``W`` (a write) or ``R`` (a read), which is how
``run.py`` counts achieved writes/s and reads/s. A 409 or 422 is the domain
refusing (not enough credit, already accepted): counted apart from errors.
"""

from __future__ import annotations

import json
import os
import random
import time
import uuid
from collections import deque

from locust import FastHttpUser, constant_throughput, events, task

SEED = json.load(open(os.environ["LOAD_SEED"]))  # noqa: SIM115 - read once at import
MEMBERS = SEED["members"]
COOKIE = SEED["session_cookie"]
WORDS = SEED["search_words"]
WRITES_PER_USER = float(os.environ.get("LOAD_WRITES_PER_USER", "1"))
READS_PER_USER = float(os.environ.get("LOAD_READS_PER_USER", "2"))

# Steps waiting for the member who must take them: (step, exchange id, member, minutes).
PENDING: deque[tuple[str, int, dict, int, dict]] = deque()
RECORDS: list[tuple[str, int, float]] = []
WINDOW: dict[str, float] = {}


@events.request.add_listener
def _record(request_type, name, response_time, response_length, response=None, **kwargs):
    status = getattr(response, "status_code", 0) or 0
    RECORDS.append((name, int(status), float(response_time)))


@events.test_start.add_listener
def _started(**kwargs):
    WINDOW["start"] = time.time()


@events.test_stop.add_listener
def _stopped(**kwargs):
    WINDOW["stop"] = time.time()
    with open(os.environ["LOAD_RESULTS"], "w") as out:
        json.dump({"window": WINDOW, "records": RECORDS, "pending": len(PENDING)}, out)


def _bearer(member: dict, key: bool = False) -> dict[str, str]:
    headers = {"Authorization": f"Bearer {member['token']}"}
    if key:
        headers["Idempotency-Key"] = str(uuid.uuid4())
    return headers


class Writer(FastHttpUser):
    wait_time = constant_throughput(WRITES_PER_USER)
    fixed_count = int(os.environ.get("LOAD_WRITERS", "50"))

    @task
    def write(self):
        # Steps are taken before new proposals, so exchanges finish (see run.py).
        if PENDING and random.random() < 0.8:
            self.step(*PENDING.popleft())
        elif random.random() < 0.85:
            self.propose()
        else:
            self.donate()

    def _post(self, name, path, member, body=None):
        headers = _bearer(member, key=True)
        response = self.client.post(path, json=body, headers=headers, name=name)
        if random.random() < 0.03:  # a client retrying: the same key and body
            self.client.post(path, json=body, headers=headers, name=name + " (retry)")
        return response

    def propose(self):
        receiver, provider = random.sample(MEMBERS, 2)
        minutes = random.choice((15, 15, 30))
        response = self._post(
            "W propose",
            "/api/v1/exchanges",
            receiver,
            {"listing_id": provider["listing"], "minutes": minutes, "message": "Next week?"},
        )
        if response.status_code == 201:
            PENDING.append(("accept", response.json()["id"], provider, minutes, receiver))

    def step(self, step, exchange_id, actor, minutes, other):
        path = f"/api/v1/exchanges/{exchange_id}/{step}"
        if step == "accept":
            if self._post("W accept", path, actor).status_code == 200:
                PENDING.append(("deliver", exchange_id, actor, minutes, other))
        elif step == "deliver":
            if self._post("W deliver", path, actor, {"minutes": minutes}).status_code == 200:
                PENDING.append(("confirm", exchange_id, other, minutes, actor))
        else:
            self._post("W confirm", path, actor)

    def donate(self):
        giver, colleague = random.sample(MEMBERS, 2)
        self._post(
            "W donate",
            "/api/v1/transfers/donations",
            giver,
            {"member_id": colleague["id"], "minutes": 15, "memo": "Thank you for the help"},
        )


class Reader(FastHttpUser):
    wait_time = constant_throughput(READS_PER_USER)
    fixed_count = int(os.environ.get("LOAD_READERS", "100"))

    def on_start(self):
        self.member = random.choice(MEMBERS)

    def api(self, name, path):
        return self.client.get(path, headers=_bearer(self.member), name=name)

    def page(self, name, path):
        cookie = f"{COOKIE}={self.member['session']}"
        return self.client.get(path, headers={"Cookie": cookie}, name=name)

    @task(4)
    def api_search(self):
        self.api("R api listings search", f"/api/v1/listings?q={random.choice(WORDS)}")

    @task(3)
    def api_browse(self):
        self.api("R api listings", f"/api/v1/listings?page={random.randint(1, 5)}")

    @task(3)
    def api_exchanges(self):
        response = self.api("R api exchanges", "/api/v1/exchanges?page_size=10")
        if response.status_code == 200 and response.json()["items"]:
            exchange = random.choice(response.json()["items"])
            self.api("R api exchange", f"/api/v1/exchanges/{exchange['id']}")

    @task(2)
    def api_balance(self):
        self.api("R api balance", "/api/v1/transfers/balance")

    @task(2)
    def api_transfers(self):
        self.api("R api transfers", "/api/v1/transfers?page_size=20")

    @task(1)
    def api_members(self):
        self.api("R api members", "/api/v1/members")

    @task(1)
    def api_notifications(self):
        self.api("R api notifications", "/api/v1/notifications")

    @task(2)
    def page_browse(self):
        self.page("R page listings", "/listings/")

    @task(2)
    def page_search(self):
        self.page("R page search", f"/listings/?q={random.choice(WORDS)}")

    @task(1)
    def page_dashboard(self):
        self.page("R page dashboard", "/dashboard/")

    @task(1)
    def page_members(self):
        self.page("R page members", "/members/")

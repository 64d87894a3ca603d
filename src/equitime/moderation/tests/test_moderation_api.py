"""The moderation API: reporting a listing, the moderators' queue, deciding
reports, suspending and reinstating members.

Each endpoint is called anonymously (401), as a plain member, as the listing's
owner, as the member who reported it, as a moderator, as a community
administrator and with a read-only token (reads work, writes 403). Hostile
input is a 4xx problem, never a 500; a decision leaves behind what the page's
leaves behind (the listing, every report, notifications, the audit log).
"""

import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from equitime.api.services import api_token_create
from equitime.audit.models import AuditEntry
from equitime.exchanges.models import Status as ExchangeStatus
from equitime.listings.models import Listing
from equitime.listings.services import listing_close, listing_pause
from equitime.members.models import Member
from equitime.moderation.models import ListingFlag
from equitime.moderation.services import listing_flag, listing_flag_dismiss, member_suspend
from equitime.notifications.models import Notification

pytestmark = pytest.mark.django_db

BASE = "/api/v1"
Reason = ListingFlag.Reason
NHS_NUMBER = "943 476 5919"  # passes the modulus-11 check


@pytest.fixture(autouse=True)
def _generous_rate_limits(settings):
    # Many writes with one token; the limits have tests of their own.
    settings.EQUITIME_API_RATE_PER_IP = "10000/m"
    settings.EQUITIME_API_RATE_PER_TOKEN = "10000/m"
    settings.EQUITIME_API_WRITE_RATE_PER_TOKEN = "10000/m"


class Api:
    """A client calling the API with one member's personal access token (or none)."""

    def __init__(self, member=None, *, read_only=False):
        self.client = Client()
        self.headers = {}
        if member is not None:
            _, secret = api_token_create(member=member, name="test", read_only=read_only)
            self.headers["Authorization"] = f"Bearer {secret}"

    def get(self, path, **params):
        return self.client.get(BASE + path, params, headers=self.headers)

    def post(self, path, body=None, *, raw=None):
        data = raw if raw is not None else (json.dumps(body) if body is not None else "")
        return self.client.post(
            BASE + path, data, content_type="application/json", headers=self.headers
        )


@pytest.fixture
def stranger(make_member):
    return make_member(display_name="Sam Stranger")


@pytest.fixture
def people(stranger, owner, reporter, moderator, admin):
    return {
        "anonymous": None,
        "member": stranger,
        "owner": owner,
        "reporter": reporter,
        "moderator": moderator,
        "admin": admin,
    }


def problem(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status and body["code"] == code, body
    return body


def fields(body: dict) -> set[str]:
    return {error["field"] for error in body.get("errors", [])}


def report_path(listing) -> str:
    return f"/listings/{listing.pk}/reports"


def decide_path(listing, decision: str) -> str:
    return f"/moderation/listings/{listing.pk}/{decision}"


# --- Who may do what ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", (401, "unauthenticated")),
        ("member", (201, None)),
        ("owner", (422, "own_listing")),
        ("moderator", (201, None)),
        ("admin", (201, None)),
    ],
)
def test_who_may_report_a_listing(people, listing, role, expected):
    member = people[role]
    status, code = expected

    response = Api(member).post(report_path(listing), {"reason": Reason.ASKS_FOR_MONEY})

    flags = ListingFlag.objects.filter(listing=listing)
    if code is not None:
        problem(response, status, code)
        assert not flags.exists()
        return
    assert response.status_code == 201, response.content
    body = response.json()
    flag = flags.get()
    assert flag.flagged_by == member and flag.status == ListingFlag.Status.OPEN
    assert body == {
        "id": flag.pk,
        "listing_id": listing.pk,
        "reason": "asks_for_money",
        "reason_label": "It asks for or offers money",
        "note": "",
        "status": "open",
        "created_at": body["created_at"],
    }


MODERATOR_READS = ["/moderation/reports", "/moderation/disputes", "/moderation/suspended-members"]


@pytest.mark.parametrize("path", MODERATOR_READS)
@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", (401, "unauthenticated")),
        ("member", (403, "forbidden")),
        ("owner", (403, "forbidden")),
        ("reporter", (403, "forbidden")),
        ("moderator", (200, None)),
        ("admin", (200, None)),
    ],
)
def test_only_moderators_read_the_queue(people, flag, path, role, expected):
    status, code = expected

    response = Api(people[role]).get(path)

    if code is not None:
        problem(response, status, code)
    else:
        assert response.status_code == 200, response.content
        assert set(response.json()) == {"items", "count", "count_is_capped", "next", "previous"}


DECIDERS = [
    ("anonymous", (401, "unauthenticated")),
    ("member", (403, "forbidden")),
    ("owner", (403, "forbidden")),
    ("reporter", (403, "forbidden")),
    ("moderator", (200, None)),
    ("admin", (200, None)),
]


@pytest.mark.parametrize("decision", ["uphold", "dismiss"])
@pytest.mark.parametrize(("role", "expected"), DECIDERS)
def test_only_moderators_decide_reports(people, listing, flag, decision, role, expected):
    member = people[role]
    status, code = expected

    response = Api(member).post(decide_path(listing, decision), {"note": "Checked with both."})

    flag.refresh_from_db()
    listing.refresh_from_db()
    if code is not None:
        problem(response, status, code)
        assert flag.status == ListingFlag.Status.OPEN and flag.decided_by is None
        assert listing.status == Listing.Status.OPEN
        return
    assert response.status_code == 200, response.content
    assert flag.decided_by == member
    if decision == "uphold":
        assert flag.status == ListingFlag.Status.UPHELD
        assert listing.status == Listing.Status.CLOSED
    else:
        assert flag.status == ListingFlag.Status.DISMISSED
        assert listing.status == Listing.Status.OPEN


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", (401, "unauthenticated")),
        ("member", (403, "forbidden")),
        ("owner", (403, "forbidden")),  # the member named: nobody suspends themselves
        ("reporter", (403, "forbidden")),
        ("moderator", (200, None)),
        ("admin", (200, None)),
    ],
)
def test_who_may_suspend_a_member(people, owner, role, expected):
    member = people[role]
    status, code = expected

    response = Api(member).post(f"/members/{owner.pk}/suspend", {"reason": "Asked for money."})

    owner.refresh_from_db()
    if code is not None:
        problem(response, status, code)
        assert owner.is_active and owner.suspended_at is None
        return
    assert response.status_code == 200, response.content
    assert not owner.is_active and owner.suspended_by == member
    assert owner.suspension_reason == "Asked for money."


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", (401, "unauthenticated")),
        ("member", (403, "forbidden")),
        ("owner", (401, "unauthenticated")),  # suspended: their token no longer works
        ("reporter", (403, "forbidden")),
        ("moderator", (200, None)),
        ("admin", (200, None)),
    ],
)
def test_who_may_reinstate_a_member(people, owner, moderator, role, expected):
    client = Api(people[role])  # the token is made before the suspension
    member_suspend(member=owner, by=moderator, reason="Asked for money.")
    status, code = expected

    response = client.post(f"/members/{owner.pk}/reinstate")

    owner.refresh_from_db()
    if code is not None:
        problem(response, status, code)
        assert not owner.is_active and owner.suspended_at is not None
        return
    assert response.status_code == 200, response.content
    assert owner.is_active and owner.suspended_at is None


# --- Read-only tokens -----------------------------------------------------------------


def test_a_read_only_token_reads_the_queue_but_changes_nothing(listing, flag, moderator, owner):
    api = Api(moderator, read_only=True)

    for path in MODERATOR_READS:
        assert api.get(path).status_code == 200
    writes = [
        (report_path(listing), {"reason": Reason.INAPPROPRIATE}),
        (decide_path(listing, "uphold"), {"note": "Closing it."}),
        (decide_path(listing, "dismiss"), {"note": "It may stay."}),
        (f"/members/{owner.pk}/suspend", {"reason": "Asked for money."}),
        (f"/members/{owner.pk}/reinstate", None),
    ]
    for path, body in writes:
        problem(api.post(path, body), 403, "read_only")

    flag.refresh_from_db()
    owner.refresh_from_db()
    assert ListingFlag.objects.filter(listing=listing).count() == 1
    assert flag.status == ListingFlag.Status.OPEN
    assert owner.is_active
    assert not AuditEntry.objects.filter(
        action__in=[AuditEntry.Action.MODERATION_DECISION, AuditEntry.Action.MEMBER_SUSPENDED]
    ).exists()


# --- Reporting ------------------------------------------------------------------------


def test_a_report_keeps_its_note(listing, reporter):
    response = Api(reporter).post(
        report_path(listing),
        {"reason": Reason.OTHER, "note": "  It is a sales pitch for a private course.  "},
    )

    assert response.status_code == 201, response.content
    flag = ListingFlag.objects.get(listing=listing)
    assert flag.reason == Reason.OTHER
    assert flag.note == "It is a sales pitch for a private course."
    assert response.json()["note"] == flag.note


def test_a_second_open_report_by_the_same_member_is_refused(listing, flag, reporter):
    response = Api(reporter).post(report_path(listing), {"reason": Reason.INAPPROPRIATE})

    problem(response, 409, "already_flagged")
    assert ListingFlag.objects.filter(listing=listing).count() == 1


def test_after_a_decision_the_member_may_report_again(listing, flag, reporter, moderator):
    listing_flag_dismiss(flag=flag, moderator=moderator, note="It may stay.")

    response = Api(reporter).post(report_path(listing), {"reason": Reason.INAPPROPRIATE})

    assert response.status_code == 201, response.content


def test_others_cannot_report_a_listing_they_cannot_see(listing, owner, stranger, moderator):
    listing_pause(listing=listing, member=owner)

    problem(Api(stranger).post(report_path(listing), {"reason": Reason.OTHER}), 404, "not_found")
    # A moderator sees every listing, and may report a paused one.
    response = Api(moderator).post(report_path(listing), {"reason": Reason.ASKS_FOR_MONEY})
    assert response.status_code == 201, response.content


def test_a_closed_listing_cannot_be_reported(listing, owner, moderator):
    listing_close(listing=listing, member=owner)

    response = Api(moderator).post(report_path(listing), {"reason": Reason.ASKS_FOR_MONEY})

    problem(response, 409, "listing_closed")
    assert not ListingFlag.objects.exists()


def test_the_owner_hears_first_that_they_cannot_report_their_own(listing, owner):
    # As on the page: whether they may report at all comes before the form.
    response = Api(owner).post(report_path(listing), {"reason": Reason.OTHER, "note": ""})

    problem(response, 422, "own_listing")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"reason": "spam"}, "reason"),
        ({}, "reason"),
        ({"reason": None}, "reason"),
        ({"reason": ["other"]}, "reason"),
        ({"reason": Reason.OTHER, "note": "x" * 1001}, "note"),
        ({"reason": Reason.OTHER, "note": 42}, "note"),
        ({"reason": Reason.OTHER, "note": "A\x00B"}, "note"),
    ],
)
def test_a_report_with_bad_fields_is_refused(listing, reporter, body, field):
    response = Api(reporter).post(report_path(listing), body)

    body = problem(response, 422, "invalid_fields")
    assert field in fields(body)
    assert not ListingFlag.objects.exists()


def test_something_else_needs_a_note(listing, reporter):
    response = Api(reporter).post(report_path(listing), {"reason": Reason.OTHER, "note": "  "})

    body = problem(response, 422, "note_required")
    assert fields(body) == {"note"}
    assert not ListingFlag.objects.exists()


def test_a_note_with_patient_data_is_refused_and_not_repeated(listing, reporter):
    note = f"It names the patient with NHS number {NHS_NUMBER}."

    response = Api(reporter).post(report_path(listing), {"reason": Reason.OTHER, "note": note})

    body = problem(response, 422, "patient_data")
    assert fields(body) == {"note"}
    assert NHS_NUMBER not in response.content.decode()
    assert not ListingFlag.objects.exists()


@pytest.mark.parametrize(
    ("raw", "status", "code"),
    [
        ("reason=other", 400, "unreadable_body"),
        ('{"reason": ', 400, "unreadable_body"),
        ('["other"]', 400, "unreadable_body"),
        ('"other"', 400, "unreadable_body"),
        ("null", 400, "unreadable_body"),
    ],
)
def test_a_body_that_is_not_a_json_object_is_refused(listing, reporter, raw, status, code):
    response = Api(reporter).post(report_path(listing), raw=raw)

    problem(response, status, code)
    assert not ListingFlag.objects.exists()


@pytest.mark.parametrize(
    ("listing_id", "status", "code"),
    [
        ("999999", 404, "not_found"),
        ("99999999999999999999999999", 404, "not_found"),
        ("-1", 404, "not_found"),
        ("abc", 422, "invalid_fields"),
    ],
)
def test_a_listing_that_is_not_there(reporter, listing_id, status, code):
    response = Api(reporter).post(f"/listings/{listing_id}/reports", {"reason": Reason.OTHER})

    problem(response, status, code)


# --- The queue ------------------------------------------------------------------------


def test_the_queue_groups_open_reports_by_listing(
    make_listing, listing, owner, flag, reporter, second_reporter, moderator
):
    listing_flag(listing=listing, member=second_reporter, reason=Reason.OTHER, note="A sales pitch")
    other = make_listing(owner, title="Coaching for new ward managers")
    later = listing_flag(listing=other, member=reporter, reason=Reason.INAPPROPRIATE)
    decided = make_listing(owner, title="Already decided")
    listing_flag_dismiss(
        flag=listing_flag(listing=decided, member=reporter, reason=Reason.OTHER, note="Odd"),
        moderator=moderator,
        note="It may stay.",
    )

    response = Api(moderator).get("/moderation/reports")

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == 2
    first, second = body["items"]
    assert first["listing"]["id"] == listing.pk
    assert first["listing"]["owner"]["display_name"] == owner.display_name
    assert first["report_count"] == 2
    assert first["reasons"] == ["asks_for_money", "other"]
    assert [report["reported_by"]["id"] for report in first["reports"]] == [
        reporter.pk,
        second_reporter.pk,
    ]
    assert first["reports"][0]["note"] == "It asks for £50 an hour."
    assert first["reports"][0]["status"] == "open"
    assert first["reports"][0]["decided_by"] is None
    assert second["listing"]["id"] == other.pk
    assert [report["id"] for report in second["reports"]] == [later.pk]


def test_the_queue_is_paginated(make_listing, owner, reporter, moderator):
    for number in range(3):
        listing_flag(
            listing=make_listing(owner, title=f"Listing {number}"),
            member=reporter,
            reason=Reason.INAPPROPRIATE,
        )
    api = Api(moderator)

    page = api.get("/moderation/reports", page=2, page_size=2).json()

    assert page["count"] == 3 and len(page["items"]) == 1
    problem(api.get("/moderation/reports", page=0), 422, "invalid_fields")
    problem(api.get("/moderation/reports", page="x"), 422, "invalid_fields")


def test_the_queue_reads_in_a_fixed_number_of_queries(
    make_listing, owner, reporter, second_reporter, moderator
):
    api = Api(moderator)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert api.get("/moderation/reports").status_code == 200
        return len(captured)

    listing_flag(listing=make_listing(owner), member=reporter, reason=Reason.OTHER, note="One")
    queries()  # the token's first use is noted once
    few = queries()
    for number in range(4):
        listing = make_listing(owner, title=f"Listing {number}")
        listing_flag(listing=listing, member=reporter, reason=Reason.INAPPROPRIATE)
        listing_flag(listing=listing, member=second_reporter, reason=Reason.ASKS_FOR_MONEY)

    assert queries() == few


def test_disputed_exchanges_wait_for_a_moderator(make_dispute, moderator):
    exchange = make_dispute(reason="We only met for twenty minutes.")
    make_dispute(title="A second dispute")

    response = Api(moderator).get("/moderation/disputes")

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == 2
    first = body["items"][0]
    assert first["id"] == exchange.pk
    assert first["status"] == ExchangeStatus.DISPUTED
    assert first["dispute_reason"] == "We only met for twenty minutes."
    assert first["role"] is None  # the moderator is not a party
    assert first["allowed_actions"] == ["resolve"]
    # The exchange's detail is theirs to read, to resolve it.
    assert Api(moderator).get(f"/exchanges/{exchange.pk}").status_code == 200


def test_the_disputes_read_in_a_fixed_number_of_queries(make_dispute, moderator):
    api = Api(moderator)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert api.get("/moderation/disputes").status_code == 200
        return len(captured)

    make_dispute()
    queries()  # the token's first use is noted once
    few = queries()
    for number in range(3):
        make_dispute(title=f"Dispute {number}")

    assert queries() == few


def test_suspended_members_are_listed(owner, stranger, moderator):
    member_suspend(member=owner, by=moderator, reason="Asked for money.")

    response = Api(moderator).get("/moderation/suspended-members")

    assert response.status_code == 200, response.content
    [item] = response.json()["items"]
    assert item["id"] == owner.pk and item["suspended"] is True
    assert item["suspended_by"] == {"id": moderator.pk, "display_name": moderator.display_name}
    assert item["suspension_reason"] == "Asked for money."


# --- Deciding reports -----------------------------------------------------------------


def test_upholding_closes_the_listing_and_tells_everyone(
    listing, owner, flag, reporter, second_reporter, moderator
):
    second = listing_flag(listing=listing, member=second_reporter, reason=Reason.INAPPROPRIATE)

    response = Api(moderator).post(
        decide_path(listing, "uphold"), {"note": "Asking for payment breaks rule 2."}
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["decision"] == "upheld"
    assert body["note"] == "Asking for payment breaks rule 2."
    assert body["listing"]["id"] == listing.pk and body["listing"]["status"] == "closed"
    assert [report["id"] for report in body["reports"]] == [flag.pk, second.pk]
    assert {report["status"] for report in body["reports"]} == {"upheld"}
    assert body["reports"][0]["decided_by"]["id"] == moderator.pk
    listing.refresh_from_db()
    assert listing.status == Listing.Status.CLOSED
    assert set(ListingFlag.objects.values_list("status", flat=True)) == {"upheld"}
    # The owner hears why; each reporter hears the outcome.
    told = Notification.objects.filter(listing=listing)
    assert told.get(recipient=owner).kind == Notification.Kind.LISTING_MODERATED
    assert "Asking for payment breaks rule 2." in told.get(recipient=owner).message
    assert {n.recipient for n in told.filter(kind=Notification.Kind.REPORT_DECIDED)} == {
        reporter,
        second_reporter,
    }
    entry = AuditEntry.objects.get(action=AuditEntry.Action.MODERATION_DECISION)
    assert entry.actor == moderator
    assert entry.data["decision"] == "upheld"
    assert entry.data["flags"] == [flag.pk, second.pk]
    assert entry.data["listing_status_after"] == "closed"


def test_dismissing_leaves_the_listing_and_tells_the_reporters(listing, owner, flag, moderator):
    response = Api(moderator).post(
        decide_path(listing, "dismiss"), {"note": "Expenses for travel are allowed."}
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["decision"] == "dismissed" and body["listing"]["status"] == "open"
    listing.refresh_from_db()
    flag.refresh_from_db()
    assert listing.status == Listing.Status.OPEN
    assert flag.status == ListingFlag.Status.DISMISSED
    assert flag.decision_note == "Expenses for travel are allowed."
    assert not Notification.objects.filter(recipient=owner, listing=listing).exists()
    told = Notification.objects.get(recipient=flag.flagged_by, listing=listing)
    assert "Expenses for travel are allowed." in told.message
    entry = AuditEntry.objects.get(action=AuditEntry.Action.MODERATION_DECISION)
    assert entry.actor == moderator and entry.data["decision"] == "dismissed"


@pytest.mark.parametrize("decision", ["uphold", "dismiss"])
def test_a_moderator_does_not_decide_on_their_own_listing(
    make_listing, make_moderator, reporter, decision
):
    moderator = make_moderator("Mod Owner")
    own = make_listing(moderator, title="My own offer")
    listing_flag(listing=own, member=reporter, reason=Reason.ASKS_FOR_MONEY)

    response = Api(moderator).post(decide_path(own, decision), {"note": "Nothing wrong here."})

    problem(response, 422, "own_listing")
    own.refresh_from_db()
    assert own.status == Listing.Status.OPEN
    assert ListingFlag.objects.get(listing=own).status == ListingFlag.Status.OPEN
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.MODERATION_DECISION).exists()


def test_a_moderator_does_not_decide_on_a_listing_they_reported(listing, flag, moderator):
    listing_flag(listing=listing, member=moderator, reason=Reason.INAPPROPRIATE)

    response = Api(moderator).post(decide_path(listing, "dismiss"), {"note": "Fine."})

    problem(response, 409, "own_report")
    assert set(ListingFlag.objects.values_list("status", flat=True)) == {"open"}


def test_reports_decided_already_are_not_decided_again(listing, flag, moderator, admin):
    listing_flag_dismiss(flag=flag, moderator=admin, note="It may stay.")

    response = Api(moderator).post(decide_path(listing, "uphold"), {"note": ""})

    problem(response, 409, "already_decided")
    listing.refresh_from_db()
    assert listing.status == Listing.Status.OPEN


def test_a_listing_nobody_reported_has_nothing_to_decide(listing, moderator):
    problem(Api(moderator).post(decide_path(listing, "uphold"), {"note": "?"}), 409, "no_reports")


def test_deciding_on_a_listing_that_is_not_there(moderator):
    response = Api(moderator).post("/moderation/listings/999999/uphold", {"note": "Closing."})

    problem(response, 404, "not_found")


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({}, "invalid_fields"),
        ({"note": ""}, "invalid_fields"),
        ({"note": "   "}, "invalid_fields"),
        ({"note": "x" * 1001}, "invalid_fields"),
        ({"note": ["Closing."]}, "invalid_fields"),
        ({"note": f"The patient, NHS number {NHS_NUMBER}, is named."}, "patient_data"),
    ],
)
def test_a_decision_needs_a_fit_note(listing, flag, moderator, body, code):
    response = Api(moderator).post(decide_path(listing, "uphold"), body)

    assert fields(problem(response, 422, code)) == {"note"}
    assert NHS_NUMBER not in response.content.decode()
    flag.refresh_from_db()
    assert flag.status == ListingFlag.Status.OPEN


def test_a_decision_that_is_not_json_is_refused(listing, flag, moderator):
    problem(
        Api(moderator).post(decide_path(listing, "uphold"), raw="note=x"), 400, "unreadable_body"
    )


# --- Suspending and reinstating ---------------------------------------------------------


def test_suspending_pauses_listings_and_is_audited(listing, owner, moderator):
    owner_api = Api(owner)

    response = Api(moderator).post(f"/members/{owner.pk}/suspend", {"reason": "Asked for money."})

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["id"] == owner.pk and body["suspended"] is True
    assert body["suspended_by"]["id"] == moderator.pk
    assert body["suspension_reason"] == "Asked for money."
    listing.refresh_from_db()
    assert listing.status == Listing.Status.PAUSED
    entry = AuditEntry.objects.get(action=AuditEntry.Action.MEMBER_SUSPENDED)
    assert entry.actor == moderator and entry.data["listings_paused"] == 1
    # Their token no longer works.
    problem(owner_api.get("/me"), 401, "unauthenticated")


def test_reinstating_is_audited(owner, moderator, admin):
    member_suspend(member=owner, by=moderator, reason="Asked for money.")

    response = Api(admin).post(f"/members/{owner.pk}/reinstate")

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["suspended"] is False and body["suspended_by"] is None
    assert body["suspension_reason"] == ""
    entry = AuditEntry.objects.get(action=AuditEntry.Action.MEMBER_REINSTATED)
    assert entry.actor == admin
    assert Api(owner).get("/me").status_code == 200


def test_the_services_refuse_what_a_moderator_may_not_do(owner, moderator, admin):
    api = Api(moderator)

    problem(api.post(f"/members/{moderator.pk}/suspend", {"reason": "Me."}), 422, "own_account")
    problem(api.post(f"/members/{admin.pk}/suspend", {"reason": "Them."}), 403, "forbidden")
    problem(api.post(f"/members/{owner.pk}/reinstate"), 409, "not_suspended")
    assert api.post(f"/members/{owner.pk}/suspend", {"reason": "Money."}).status_code == 200
    problem(
        api.post(f"/members/{owner.pk}/suspend", {"reason": "Again."}), 409, "already_suspended"
    )
    assert Member.objects.get(pk=admin.pk).is_active
    assert AuditEntry.objects.filter(action=AuditEntry.Action.MEMBER_SUSPENDED).count() == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [({}, "reason"), ({"reason": ""}, "reason"), ({"reason": "x" * 501}, "reason")],
)
def test_a_suspension_needs_a_reason(owner, moderator, body, field):
    response = Api(moderator).post(f"/members/{owner.pk}/suspend", body)

    assert fields(problem(response, 422, "invalid_fields")) == {field}
    owner.refresh_from_db()
    assert owner.is_active


@pytest.mark.parametrize("member_id", ["999999", "99999999999999999999999999"])
def test_suspending_a_member_who_is_not_there(moderator, member_id):
    response = Api(moderator).post(f"/members/{member_id}/suspend", {"reason": "Money."})

    problem(response, 404, "not_found")


def test_the_schema_documents_every_moderation_operation():
    schema = Client().get(f"{BASE}/openapi.json").json()
    operations = {
        operation["operationId"]: operation
        for item in schema["paths"].values()
        for operation in item.values()
        if "Moderation" in operation.get("tags", [])
    }

    assert set(operations) == {
        "listing_report",
        "moderation_report_list",
        "moderation_dispute_list",
        "moderation_suspended_list",
        "moderation_paying_one_member_list",
        "moderation_listing_uphold",
        "moderation_listing_dismiss",
        "member_suspend",
        "member_reinstate",
    }
    for operation in operations.values():
        assert operation["summary"]
        assert {"401", "403", "404", "422"} <= set(operation["responses"])

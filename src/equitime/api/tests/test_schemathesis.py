"""Schemathesis against the live schema: every operation fuzzed, and the
OpenAPI links followed from POST /listings and POST /exchanges.

The schema is loaded from the Django app itself (WSGI, no server), as a
member who has listings, exchanges in several states and credit history, with
a real personal access token and the rate limits raised for the run. Each
request goes through the whole stack in its own transaction, as in
production, so these tests are transactional.

Checks, and why some are left out:

- ``not_a_server_error``: bad input is never a 500;
- ``status_code_conformance``, ``content_type_conformance``,
  ``response_schema_conformance``, ``response_headers_conformance``: every
  answer is one the schema declares, with its media type, shape and headers
  (problem documents as application/problem+json, Retry-After on 429);
- ``negative_data_rejection``: data the schema forbids is refused with a 4xx;
- ``missing_required_header``, ``unsupported_method``,
  ``allow_header_conformance``: a method a path does not take is a 405 with Allow;
- ``ignored_auth``: an operation that needs credentials refuses a request without;
- ``use_after_free``, ``ensure_resource_availability`` (stateful only):
  something created can be read back.

Left out: ``positive_data_acceptance``, since valid-looking data is often
refused by the rules (404 for an id that is not there or not yours, 409 for
an exchange in the wrong state, 422 for a listing without a benefit), which
is right; ``object_level_authorization``, which needs a second member's
credentials wired into schemathesis and is covered by each endpoint's own
"as another member" tests; ``max_response_time``, which depends on the machine.
"""

import hypothesis
import pytest
import schemathesis
from hypothesis import HealthCheck
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi import checks as openapi_checks

from equitime.api.models import ApiToken
from equitime.api.services import api_token_create
from equitime.exchanges import services as exchanges
from equitime.listings.models import Format, Listing
from equitime.listings.services import listing_create
from equitime.members import roles
from equitime.members.services import member_role_grant
from equitime.members.tests.factories import make_member
from equitime.moderation.models import ListingFlag
from equitime.moderation.services import listing_flag
from equitime.skills.models import ImprovementArea, Skill

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SCHEMA_PATH = "/api/v1/openapi.json"
# Bounded so that the whole file runs in a few minutes on two cores.
MAX_EXAMPLES = 50
STATEFUL_EXAMPLES = 25
STATEFUL_STEPS = 6

CHECKS = [
    not_a_server_error,
    openapi_checks.status_code_conformance,
    openapi_checks.content_type_conformance,
    openapi_checks.response_schema_conformance,
    openapi_checks.response_headers_conformance,
    openapi_checks.negative_data_rejection,
    openapi_checks.missing_required_header,
    openapi_checks.unsupported_method,
    openapi_checks.allow_header_conformance,
    openapi_checks.ignored_auth,
]
STATEFUL_CHECKS = [
    *CHECKS,
    openapi_checks.use_after_free,
    openapi_checks.ensure_resource_availability,
]

CONFIG = schemathesis.Config.from_dict(
    {
        "generation": {"max-examples": MAX_EXAMPLES},
        "phases": {
            "stateful": {
                "max-steps": STATEFUL_STEPS,
                # Only the links the schema declares: the test is about those.
                "inference": {"algorithms": []},
            }
        },
    }
)


class Credentials:
    """The token the fuzzer sends. A fuzzed POST /tokens/{id}/revoke may hit
    it; then a new one is made, so the rest of the run is not all 401."""

    def __init__(self, member):
        self.member = member
        self.token, self.secret = api_token_create(member=member, name="schemathesis")

    def headers(self) -> dict[str, str]:
        if ApiToken.objects.filter(pk=self.token.pk, revoked_at__isnull=True).exists():
            return {"Authorization": f"Bearer {self.secret}"}
        self.token, self.secret = api_token_create(member=self.member, name="schemathesis")
        return {"Authorization": f"Bearer {self.secret}"}


def _offer(owner, title, kind=Listing.Kind.OFFER):
    return listing_create(
        owner=owner,
        kind=kind,
        title=title,
        description="An hour on the basics, remote.",
        improvement_area=ImprovementArea.objects.get(slug="patient-safety"),
        benefit="Better evidence on readmissions for the frailty team.",
        estimated_minutes=60,
        format=Format.REMOTE,
        skills=[Skill.objects.get(slug="survival-analysis")],
    )


@pytest.fixture
def world(settings):
    """A member with data of every kind the API shows, and a token. The member
    is a moderator, so that the moderation operations are fuzzed past their 403;
    the queue holds a reported listing and a disputed exchange."""
    settings.EQUITIME_API_RATE_PER_IP = "1000000/m"
    settings.EQUITIME_API_RATE_PER_TOKEN = "1000000/m"
    settings.EQUITIME_API_WRITE_RATE_PER_TOKEN = "1000000/m"
    member = member_role_grant(
        member=make_member(display_name="Fuzz Member", email_verified=True),
        role=roles.MODERATOR,
        by=None,
    )
    colleague = make_member(display_name="Colleague One", email_verified=True)
    other = make_member(display_name="Colleague Two", email_verified=True)
    mine = _offer(member, "Survival analysis in R")
    _offer(member, "Help with a run chart", kind=Listing.Kind.REQUEST)
    theirs = _offer(colleague, "Coaching for new ward managers")
    sql = _offer(other, "SQL for audit data")
    listing_flag(listing=sql, member=colleague, reason=ListingFlag.Reason.ASKS_FOR_MONEY)
    disputed = exchanges.exchange_propose_from_listing(listing=sql, member=colleague, minutes=30)
    exchanges.exchange_accept(exchange=disputed, member=other)
    exchanges.exchange_deliver(exchange=disputed, member=other, minutes=30)
    exchanges.exchange_dispute(exchange=disputed, member=colleague, reason="We never met.")
    # Proposed to me; accepted and delivered; completed (a transfer posted).
    exchanges.exchange_propose_from_listing(listing=mine, member=colleague, minutes=60)
    delivered = exchanges.exchange_propose_from_listing(listing=theirs, member=member, minutes=60)
    exchanges.exchange_accept(exchange=delivered, member=colleague)
    exchanges.exchange_deliver(exchange=delivered, member=colleague, minutes=45)
    done = exchanges.exchange_propose_from_listing(listing=mine, member=other, minutes=30)
    exchanges.exchange_accept(exchange=done, member=member)
    exchanges.exchange_deliver(exchange=done, member=member, minutes=30)
    exchanges.exchange_confirm(exchange=done, member=other)
    exchanges.exchange_message_post(exchange=done, member=other, body="Thank you, that helped.")
    exchanges.thanks_give(exchange=done, member=other, message="Clear and patient teaching.")
    exchanges.reflection_save(exchange=done, member=member, text="Teaching sharpened my own R.")
    return {
        "member": member,
        "credentials": Credentials(member),
        "area": ImprovementArea.objects.get(slug="patient-safety"),
        "theirs": theirs,
    }


def _load_schema():
    """The live schema, read from the app through WSGI when this module is
    collected (the schema view needs no database)."""
    from equitime.wsgi import application

    return schemathesis.openapi.from_wsgi(SCHEMA_PATH, application, config=CONFIG)


schema = _load_schema()


@schema.parametrize()
@hypothesis.settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
    database=None,
)
def test_every_operation_answers_as_its_schema_says(case, world):
    case.call_and_validate(headers=world["credentials"].headers(), checks=CHECKS)


# The state machine starts from these operations; with random ids and amounts
# nearly every POST is refused (422), and no link is ever followed. So the
# fields that must name real things are set to real ones; the rest stay fuzzed.
ROOT_BODIES = {
    ("POST", "/api/v1/listings"): lambda world: {
        "kind": "offer",
        "title": "Statistics clinic",
        "description": "An hour on regression for audit data.",
        "benefit": "Sounder audit conclusions for the stroke team.",
        "improvement_area_id": world["area"].pk,
        "estimated_minutes": 60,
        "skill_ids": [],
        "place": "",
        "languages": [],
    },
    ("POST", "/api/v1/exchanges"): lambda world: {
        "listing_id": world["theirs"].pk,
        "minutes": 60,
    },
}


def _links(raw: dict, path: str, method: str) -> dict:
    responses = raw["paths"][path][method]["responses"]
    return {
        name: link
        for status, response in responses.items()
        if str(status).startswith("2")
        for name, link in response.get("links", {}).items()
    }


def test_follow_the_links_from_new_listings_and_exchanges(world):
    raw = schema.raw_schema
    listing_links = _links(raw, "/api/v1/listings", "post")
    exchange_links = _links(raw, "/api/v1/exchanges", "post")
    assert listing_links, (
        "POST /api/v1/listings declares no OpenAPI links (the issue requires them)"
    )
    assert exchange_links, (
        "POST /api/v1/exchanges declares no OpenAPI links (the issue requires them)"
    )
    operation_ids = {
        operation.get("operationId")
        for item in raw["paths"].values()
        for operation in item.values()
        if isinstance(operation, dict)
    }
    for name, link in {**listing_links, **exchange_links}.items():
        assert link.get("operationId") in operation_ids, f"link {name} names no operation"

    credentials = world["credentials"]

    followed = []

    # A class made at run time from the schema's links: mypy cannot follow a
    # base class computed by a call, so the subclass is checked as untyped.
    class Workflow(schema.as_state_machine()):  # type: ignore[misc]
        def get_call_kwargs(self, case):
            return {"headers": credentials.headers()}

        def before_call(self, case):
            realistic = ROOT_BODIES.get((case.method.upper(), case.path))
            if realistic is not None and isinstance(case.body, dict):
                case.body = {**case.body, **realistic(world)}

        def step(self, input):
            output = super().step(input)
            label = f"{input.case.method} {input.case.path}"
            followed.append(
                (
                    input.transition.id if input.transition else None,
                    label,
                    output.response.status_code,
                )
            )
            return output

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(
                response,
                checks=STATEFUL_CHECKS,
                headers=kwargs.get("headers"),
                transport_kwargs=kwargs or None,
                recorder=getattr(self, "recorder", None),
            )

    Workflow.run(
        settings=hypothesis.settings(
            max_examples=STATEFUL_EXAMPLES,
            stateful_step_count=STATEFUL_STEPS,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
            phases=[hypothesis.Phase.generate],
        )
    )
    # The links were followed, from a listing and from an exchange just made.
    created = {label for transition, label, status in followed if not transition and status == 201}
    assert {"POST /api/v1/listings", "POST /api/v1/exchanges"} <= created, followed
    links_followed = {transition.split(" -> ")[1] for transition, _, _ in followed if transition}
    assert links_followed & {f"[201] {name}" for name in listing_links}, followed
    assert links_followed & {f"[201] {name}" for name in exchange_links}, followed

"""Issue 11: one place for each rule.

The API checks the shape of a request with its schemas and calls the services;
it never runs the pages' forms. Each rule a form once held alone now lives in
its service, where the pages, the API and every other caller meet it. A
refusal's status and field come from the error itself.
"""

import ast
from pathlib import Path

import pytest

from equitime.api.services import api_token_create
from equitime.core.errors import DomainError, ErrorKind
from equitime.ledger import services as ledger
from equitime.ledger.models import Transfer
from equitime.ledger.tests.factories import earn
from equitime.listings.models import Format, Listing
from equitime.listings.services import listing_create
from equitime.members.services import profile_update
from equitime.skills.models import ImprovementArea

pytestmark = pytest.mark.django_db

PACKAGE = Path(__file__).resolve().parents[2]
MONEY = "Tea money: \u00a35 cash per session"


def _api_modules() -> list[Path]:
    return sorted(
        path
        for path in PACKAGE.rglob("*.py")
        if "tests" not in path.parts and (path.name == "api.py" or path.stem.endswith("_api"))
    )


def test_no_api_endpoint_runs_a_page_form():
    runs_a_form = []
    for path in _api_modules():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                if name and (name.endswith("Form") or name == "form_cleaned"):
                    runs_a_form.append(f"{path.relative_to(PACKAGE)}:{node.lineno} {name}")
            if isinstance(node, ast.ImportFrom) and node.module == "equitime.api.forms":
                runs_a_form.append(f"{path.relative_to(PACKAGE)}:{node.lineno} import")
    assert len(_api_modules()) >= 8
    assert runs_a_form == []


def test_the_donation_service_refuses_money_talk_in_the_memo(member, other_member):
    earn(member, 60)

    with pytest.raises(DomainError) as refused:
        ledger.donation_make(
            key="gift-memo", donor=member, recipient=other_member, amount=60, memo=MONEY
        )

    assert (refused.value.code, refused.value.field) == ("money", "memo")
    assert refused.value.kind == ErrorKind.INVALID
    assert not Transfer.objects.filter(kind=Transfer.Kind.DONATION).exists()


def test_the_listing_service_refuses_money_talk_in_the_languages(member):
    with pytest.raises(DomainError) as refused:
        listing_create(
            owner=member,
            kind=Listing.Kind.OFFER,
            title="Survival analysis in R",
            description="Kaplan-Meier curves, one hour.",
            improvement_area=ImprovementArea.objects.get(slug="patient-safety"),
            benefit="Better trial reports.",
            estimated_minutes=60,
            format=Format.REMOTE,
            languages=["English", MONEY],
        )

    assert (refused.value.code, refused.value.field) == ("money", "languages")
    assert not Listing.objects.exists()


def test_the_listing_services_estimate_rule_is_invalid_and_names_its_field(member):
    with pytest.raises(DomainError) as refused:
        listing_create(
            owner=member,
            kind=Listing.Kind.OFFER,
            title="Survival analysis in R",
            description="Kaplan-Meier curves, one hour.",
            improvement_area=ImprovementArea.objects.get(slug="patient-safety"),
            benefit="Better trial reports.",
            estimated_minutes=20,
            format=Format.REMOTE,
        )

    assert (refused.value.kind, refused.value.field) == (ErrorKind.INVALID, "estimated_minutes")


def test_a_refusal_that_names_its_field_is_listed_in_the_problems_errors(client, member):
    """The field comes from the error: the API no longer re-runs the text
    checks one field at a time to guess it."""
    _, secret = api_token_create(member=member, name="tests")

    response = client.post(
        "/api/v1/listings",
        {
            "kind": "offer",
            "title": "Survival analysis in R",
            "description": "Kaplan-Meier curves, one hour.",
            "improvement_area_id": ImprovementArea.objects.get(slug="patient-safety").pk,
            "benefit": "Better trial reports.",
            "estimated_minutes": 60,
            "place": "Leeds, cash only",
        },
        content_type="application/json",
        headers={"Authorization": f"Bearer {secret}"},
    )

    assert response.status_code == 422, response.content
    body = response.json()
    assert body["code"] == "money"
    assert [error["field"] for error in body["errors"]] == ["place"]
    assert body["retryable"] is False


def test_the_problems_module_keeps_no_table_of_codes():
    from equitime.api import problems

    source = Path(problems.__file__).read_text()
    for name in ("UNPROCESSABLE_CODES", "FORBIDDEN_CODES", "RETRYABLE_CODES"):
        assert name not in source


def test_the_donation_service_refuses_a_recipient_who_is_not_active(member, other_member):
    earn(member, 60)
    other_member.is_active = False
    other_member.save(update_fields=["is_active"])

    with pytest.raises(DomainError) as refused:
        ledger.donation_make(key="gift-gone", donor=member, recipient=other_member, amount=60)

    assert (refused.value.code, refused.value.field) == ("inactive_member", "recipient")
    assert not Transfer.objects.filter(kind=Transfer.Kind.DONATION).exists()


def test_the_profile_service_refuses_a_blank_name(member):
    with pytest.raises(DomainError) as refused:
        profile_update(member=member, display_name="   ")

    assert (refused.value.kind, refused.value.field) == (ErrorKind.INVALID, "display_name")
    member.refresh_from_db()
    assert member.display_name.strip()

"""Every refusal says what kind it is, so no page or API guesses from its code."""

import ast
from pathlib import Path

import pytest
from django import forms

from equitime.core.errors import DomainError, ErrorKind, add_domain_error
from equitime.core.rules import TextRuleError
from equitime.ledger import errors as ledger_errors

PACKAGE = Path(__file__).resolve().parents[1]


def _domain_error_classes() -> dict[str, type[DomainError]]:
    classes = {"DomainError": DomainError, "TextRuleError": TextRuleError}
    for name in dir(ledger_errors):
        value = getattr(ledger_errors, name)
        if isinstance(value, type) and issubclass(value, DomainError):
            classes[name] = value
    return classes


def _raises_in_source():
    """(place, class name, keyword names) for every DomainError made in the code."""
    classes = _domain_error_classes()
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE)
        if {"tests", "browser_tests", "migrations"} & set(relative.parts):
            continue
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = getattr(func, "id", None) or getattr(func, "attr", None)
            if name in classes:
                keywords = {keyword.arg for keyword in node.keywords}
                yield f"{relative}:{node.lineno}", classes[name], keywords


def test_the_source_makes_domain_errors_at_all():
    assert len(list(_raises_in_source())) > 50


def test_every_domain_error_raised_in_the_code_declares_its_kind():
    undeclared = [
        place
        for place, cls, keywords in _raises_in_source()
        if "kind" not in keywords and cls.kind is None
    ]
    assert undeclared == [], "say kind=ErrorKind.… at each of these raises"


def test_every_declared_kind_is_a_known_kind():
    for cls in _domain_error_classes().values():
        assert cls.kind is None or cls.kind in ErrorKind


def test_a_text_rule_refusal_is_invalid_and_names_its_field():
    error = TextRuleError("No money.", code="money", field="title")

    assert (error.kind, error.field, error.code) == (ErrorKind.INVALID, "title", "money")


def test_ledger_refusals_by_the_state_of_the_books_are_conflicts():
    for cls in (
        ledger_errors.InsufficientCredit,
        ledger_errors.CeilingReached,
        ledger_errors.IdempotencyConflict,
        ledger_errors.AlreadyResolved,
    ):
        assert cls("No.").kind == ErrorKind.CONFLICT


class _Form(forms.Form):
    minutes = forms.IntegerField()


@pytest.mark.parametrize(
    ("field", "fields", "shown_on"),
    [
        ("minutes", None, "minutes"),
        ("estimated_minutes", {"estimated_minutes": "minutes"}, "minutes"),
        ("not_on_this_form", None, "__all__"),
        (None, None, "__all__"),
    ],
)
def test_a_page_shows_a_refusal_next_to_its_field(field, fields, shown_on):
    form = _Form({"minutes": "30"})
    assert form.is_valid()

    add_domain_error(
        form, DomainError("Not so.", kind=ErrorKind.INVALID, field=field), fields=fields
    )

    assert form.errors == {shown_on: ["Not so."]}

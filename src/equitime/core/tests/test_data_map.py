"""docs/data-map.md maps every field that can hold personal data, and its
retention table is what the settings say.

Walks every model with a relation to the member model (a foreign key,
one-to-one or many-to-many, ours or a library's) and the member model
itself, plus the stores that hold personal data without such a relation
(sessions, queued e-mails). Each field must appear in that model's section
(``### `app.Model` ``) as a table row (``| `field` |``).
"""

import re
from pathlib import Path

from django.apps import apps
from django.conf import settings

from equitime.core.retention import retention_markdown

DATA_MAP = Path(__file__).resolve().parents[4] / "docs" / "data-map.md"

# Personal data with no relation to the member model.
ALSO = {
    "sessions.Session": ["session_key", "session_data", "expire_date"],
    "django_tasks_db.DBTaskResult": [
        "args_kwargs",
        "return_value",
        "exception_class_path",
        "traceback",
    ],
}


def mapped() -> dict[str, set[str]]:
    """{model label: fields with a row} as the document has them."""
    sections: dict[str, set[str]] = {}
    current = None
    for line in DATA_MAP.read_text().splitlines():
        heading = re.match(r"^### `([\w.]+)`", line)
        if heading:
            current = sections.setdefault(heading.group(1), set())
            continue
        if line.startswith("## "):
            current = None
        row = re.match(r"^\| `(\w+)` \|", line)
        if row and current is not None:
            current.add(row.group(1))
    return sections


def personal_fields() -> dict[str, list[str]]:
    """{model label: field names} for every model related to the member model."""
    member = apps.get_model(settings.AUTH_USER_MODEL)
    found = {}
    for model in apps.get_models():
        fields = [
            field
            for field in model._meta.get_fields()
            if (field.concrete or field.many_to_many) and not field.auto_created
        ]
        related = model is member or any(
            field.is_relation and field.related_model is member for field in fields
        )
        if related:
            found[model._meta.label] = [field.name for field in fields]
    return {**found, **ALSO}


def test_the_walk_finds_the_models_it_should():
    models = personal_fields()
    for label in (
        "members.Member",
        "members.Profile",
        "exchanges.ExchangeMessage",
        "notifications.Notification",
        "audit.AuditEntry",
        "api.IdempotentRequest",
        "account.EmailAddress",
        "mfa.Authenticator",
    ):
        assert label in models
    assert "email" in models["members.Member"]
    assert "groups" in models["members.Member"]


def test_every_personal_field_is_in_the_data_map():
    doc = mapped()
    missing = [
        f"{label}.{name}"
        for label, names in personal_fields().items()
        for name in names
        if name not in doc.get(label, set())
    ]
    assert not missing, (
        "These fields can hold personal data but docs/data-map.md does not map them "
        "(add a row to the model's section: purpose, lawful basis, who sees it, "
        f"retention): {', '.join(missing)}"
    )


def test_the_data_map_maps_no_field_that_does_not_exist():
    real = personal_fields()
    stale = [
        f"{label}.{name}"
        for label, names in mapped().items()
        for name in names
        if name not in real.get(label, [])
    ]
    assert not stale, f"docs/data-map.md maps fields that no longer exist: {stale}"


def test_the_retention_table_is_what_the_settings_say():
    text = DATA_MAP.read_text()
    block = text.split("<!-- retention:start -->\n")[1].split("\n<!-- retention:end -->")[0]
    expected = retention_markdown()
    assert block == expected, (
        "The retention table in docs/data-map.md differs from the settings; "
        f"replace it with:\n{expected}"
    )

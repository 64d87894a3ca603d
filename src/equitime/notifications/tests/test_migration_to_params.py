"""Migration 0010: each old English message turned back into what happened;
one that fits no sentence kept as written ("legacy"); and back again."""

import importlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import translation

from equitime.core.units import MINUTES_PER_CREDIT
from equitime.notifications.models import Notification

migration = importlib.import_module("equitime.notifications.migrations.0010_message_to_params")

BEFORE = ("notifications", "0009_params")

# (kind, the English written then, variant, params read back)
ROWS = [
    (
        "exchange_proposed",
        "Ben Carter proposed an exchange: Run charts: a primer",
        "",
        {"name": "Ben Carter", "title": "Run charts: a primer"},
    ),
    (
        "exchange_delivered",
        "Ben logged 1 hour for: QI. Please confirm or dispute.",
        "",
        {"name": "Ben", "title": "QI", "minutes": MINUTES_PER_CREDIT},
    ),
    (
        "exchange_delivered",
        "Ben logged 2.5 hours for: QI. Please confirm or dispute.",
        "",
        {"name": "Ben", "title": "QI", "hours": "2.5"},
    ),
    (
        "exchange_completed",
        "The exchange QI was confirmed automatically after 14 days. 1 hours moved, the amount "
        "held; the other 0.5 hours logged were not confirmed by the receiver.",
        "auto_partial",
        {"title": "QI", "period": "14 days", "posted": "1", "unconfirmed": "0.5"},
    ),
    (
        "exchange_accepted",
        "Ben accepted the exchange: QI (Recorded by the coordinator Carla Coordinator.)",
        "recorded",
        {"name": "Ben", "title": "QI", "coordinator": "Carla Coordinator"},
    ),
    (
        "session_reminder",
        "Reminder: your session with Rob, “QI”, is on Tuesday 10 March at 09:00 London time "
        "(GMT, UTC).",
        "day_before",
        {
            "name": "Rob",
            "title": "QI",
            "day": "Tuesday 10 March",
            "time": "09:00",
            "city": "London",
            "offset": "GMT, UTC",
        },
    ),
    (
        "session_log_hours",
        "Your session with Rob, “QI”, is over: log the hours you gave so that Rob can confirm "
        "them.",
        "",
        {"name": "Rob", "title": "QI"},
    ),
    (
        "donation_received",
        "The community pool gave you 1 credit.",
        "pool",
        {"amount": "1 credit"},
    ),
    (
        "listing_moderated",
        "A moderator closed your listing “Stats help”:",  # an empty note, squeezed away
        "",
        {"title": "Stats help", "note": ""},
    ),
    ("thanks", "Something else entirely", "legacy", {"text": "Something else entirely"}),
    # Cut at 300 characters long ago: no sentence fits.
    (
        "exchange_completed",
        "Ben confirmed the exchange: " + "x" * 272,
        "legacy",
        {"text": "Ben confirmed the exchange: " + "x" * 272},
    ),
]
IDS = [f"{kind}-{variant or 'one'}-{n}" for n, (kind, _m, variant, _p) in enumerate(ROWS)]


@pytest.mark.parametrize(("kind", "message", "variant", "params"), ROWS, ids=IDS)
def test_a_message_is_matched_back_into_its_sentence(kind, message, variant, params):
    assert migration.params_of(kind, message) == (variant, params)


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)
    return executor


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_goes_forward_and_back():
    from equitime.members.tests.factories import make_member

    member = make_member(display_name="Amina Okafor")
    executor = _migrate([BEFORE])
    try:
        old = executor.loader.project_state([BEFORE]).apps.get_model(
            "notifications", "Notification"
        )
        for kind, message, _variant, _params in ROWS:
            old.objects.create(recipient_id=member.pk, kind=kind, message=message)

        executor = _migrate(executor.loader.graph.leaf_nodes())
        rows = list(Notification.objects.order_by("pk"))
        assert [(n.kind, n.variant, n.params) for n in rows] == [
            (kind, variant, params) for kind, _message, variant, params in ROWS
        ]
        with translation.override("en-gb"):
            # What was read before is read now (a squeezed space apart).
            assert [n.message for n in rows] == [" ".join(m.split()) for _k, m, _v, _p in ROWS]

        executor = _migrate([BEFORE])
        back = executor.loader.project_state([BEFORE]).apps.get_model(
            "notifications", "Notification"
        )
        assert list(back.objects.order_by("pk").values_list("message", flat=True)) == [
            message for _kind, message, _variant, _params in ROWS
        ]
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

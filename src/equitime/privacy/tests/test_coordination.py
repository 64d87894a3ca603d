"""Consents to coordinators in the data download, and at erasure."""

import io
import json
import zipfile

import pytest

from equitime.coordination import services as coordination
from equitime.coordination.models import Consent
from equitime.coordination.tests.factories import exchange_fields, world
from equitime.privacy.services import member_data_export, member_erase

pytestmark = pytest.mark.django_db


def files_of(archive: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(archive)) as zipped:
        return {
            name.removeprefix("equitime-data/"): zipped.read(name).decode()
            for name in zipped.namelist()
        }


def test_the_download_has_the_consents_given_and_what_was_recorded_for_the_member():
    w = world()
    coordination.coordinated_exchange_propose(
        coordinator=w.coordinator, member=w.member, other=w.colleague, **exchange_fields()
    )
    files = files_of(member_data_export(member=w.member))
    given = json.loads(files["coordinators.json"])["consents_given"]
    assert given == [
        {
            "coordinator": "Carla Coordinator",
            "method": "paper",
            "note": "Form in file",
            "recorded_at": given[0]["recorded_at"],
            "withdrawn_at": None,
        }
    ]
    [exchange] = json.loads(files["exchanges.json"])
    assert exchange["recorded_by"] == "Carla Coordinator"
    assert exchange["events"][0]["recorded_by"] == "Carla Coordinator"
    held = json.loads(files_of(member_data_export(member=w.coordinator))["coordinators.json"])
    assert [row["member"] for row in held["consents_held"]] == ["Mary Member"]


def test_erasure_withdraws_the_consents_and_removes_their_notes():
    w = world()
    member_erase(member=w.member)
    consent = Consent.objects.get(member=w.member)
    assert consent.withdrawn_at is not None and consent.note == "[removed]"


def test_erasing_a_coordinator_withdraws_the_consents_they_hold():
    w = world()
    member_erase(member=w.coordinator)
    consent = Consent.objects.get(member=w.member)
    assert consent.withdrawn_at is not None
    assert consent.note == "Form in file"  # the member's record, not the coordinator's

"""Notification preferences and digests in the data download, and gone at erasure."""

import io
import json
import zipfile

import pytest

from equitime.digest.models import DigestSend
from equitime.notifications.models import NotificationPreferences
from equitime.notifications.services import notification_preferences_set
from equitime.privacy.services import member_data_export, member_erase
from equitime.skills.models import ImprovementArea

pytestmark = pytest.mark.django_db


def files_of(member) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(member_data_export(member=member))) as archive:
        return {name.split("/", 1)[1]: archive.read(name).decode() for name in archive.namelist()}


@pytest.fixture
def chosen(member):
    area = ImprovementArea.objects.get(slug="patient-safety")
    notification_preferences_set(
        member=member, emails={"thanks": True}, digest=False, followed_areas=[area]
    )
    DigestSend.objects.create(member=member, week_start="2026-11-30", status="sent", sections=2)
    return area


def test_the_download_holds_the_preferences_and_the_digests(member, chosen):
    files = files_of(member)
    preferences = json.loads(files["notification-preferences.json"])
    assert preferences["emails"]["thanks"] is True
    assert preferences["emails"]["exchange_proposed"] is True
    assert preferences["digest"] is False
    assert preferences["followed_improvement_areas"] == [chosen.name]
    [digest] = json.loads(files["digests.json"])
    assert digest["week_start"] == "2026-11-30" and digest["status"] == "sent"


def test_a_member_with_no_choices_downloads_the_defaults(member):
    preferences = json.loads(files_of(member)["notification-preferences.json"])
    assert preferences["digest"] is True and preferences["followed_skills"] == []


def test_erasure_deletes_them(member, other_member, chosen):
    notification_preferences_set(member=other_member, digest=False)
    member_erase(member=member)
    assert not NotificationPreferences.objects.filter(member=member).exists()
    assert not DigestSend.objects.filter(member=member).exists()
    assert NotificationPreferences.objects.filter(member=other_member).exists()

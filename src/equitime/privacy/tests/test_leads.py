"""Organisation leads in the data download, and at erasure."""

import io
import json
import zipfile

import pytest

from equitime.impact.access import impact_access
from equitime.impact.models import OrganisationLead
from equitime.impact.tests.leads_factories import admin, lead_of, member_at, organisation
from equitime.members.models import Member, Profile
from equitime.privacy.services import member_data_export, member_erase

pytestmark = pytest.mark.django_db


def files_of(archive: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(archive)) as zipped:
        return {
            name.removeprefix("equitime-data/"): zipped.read(name).decode()
            for name in zipped.namelist()
        }


def test_the_download_has_the_organisations_led_and_the_choice_to_be_named():
    boss = admin()
    lead = lead_of(organisation("Northbridge Trust"), by=boss)
    Profile.objects.filter(member=lead).update(named_to_organisation_leads=True)

    files = files_of(member_data_export(member=lead))

    led = json.loads(files["organisation_leads.json"])["organisations_led"]
    assert led == [
        {
            "organisation": "Northbridge Trust",
            "appointed_at": led[0]["appointed_at"],
            "appointed_by": "Ada Administrator",
        }
    ]
    profile = json.loads(files["member.json"])["profile"]
    assert profile["named_to_organisation_leads"] is True


def test_a_member_who_leads_nothing_has_an_empty_list():
    member = member_at(organisation())
    files = files_of(member_data_export(member=member))
    assert json.loads(files["organisation_leads.json"]) == {"organisations_led": []}
    assert json.loads(files["member.json"])["profile"]["named_to_organisation_leads"] is False


def test_erasure_ends_the_appointments_and_the_choice():
    lead = lead_of(organisation())
    Profile.objects.filter(member=lead).update(named_to_organisation_leads=True)

    member_erase(member=lead)

    assert not OrganisationLead.objects.filter(member=lead).exists()
    assert not Profile.objects.get(member=lead).named_to_organisation_leads
    assert not impact_access(Member.objects.get(pk=lead.pk)).any


def test_an_erased_administrator_s_appointments_stay_for_the_leads_record():
    boss = admin()
    lead = lead_of(organisation(), by=boss)
    member_erase(member=boss)
    kept = OrganisationLead.objects.get(member=lead)
    assert kept.appointed_by.display_name == "Former member"

"""The demo's organisation lead sees four named colleagues and one line for the rest."""

import io

import pytest
from django.core.management import call_command
from django.test import override_settings

from equitime.audit.models import AuditEntry
from equitime.demo import leads as demo_leads
from equitime.demo.content import ADMIN_EMAIL, DEMO_DOMAIN
from equitime.impact import leads
from equitime.impact.access import impact_access
from equitime.impact.filters import Scope, month_add, this_month
from equitime.impact.models import OrganisationLead
from equitime.members.models import Member, Profile

pytestmark = pytest.mark.django_db
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def run_demo() -> None:
    with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        call_command("demo", stdout=io.StringIO())


def test_the_demo_lead_leads_her_organisation_and_sees_the_names_allowed():
    run_demo()
    olivia = Member.objects.get(email=f"{demo_leads.LEAD}@{DEMO_DOMAIN}")
    lead = OrganisationLead.objects.get(member=olivia)
    assert lead.appointed_by.email == ADMIN_EMAIL
    assert impact_access(olivia).organisations == frozenset({lead.organisation_id})

    scope = Scope(first=month_add(this_month(), -11), last=this_month())
    report = leads.organisation_members(organisation=lead.organisation, scope=scope)
    named = {row.name for row in report.named}
    assert len(named) == len(demo_leads.NAMED) and "Amina Okafor" in named
    assert report.others is not None and not report.others.withheld
    assert report.others.members is not None and report.others.members >= 5


def test_running_the_demo_again_keeps_a_members_changed_mind():
    run_demo()
    amina = Member.objects.get(email=f"amina.okafor@{DEMO_DOMAIN}")
    Profile.objects.filter(member=amina).update(named_to_organisation_leads=False)
    audits = AuditEntry.objects.count()

    run_demo()

    assert not Profile.objects.get(member=amina).named_to_organisation_leads
    assert OrganisationLead.objects.count() == 1
    assert AuditEntry.objects.count() == audits

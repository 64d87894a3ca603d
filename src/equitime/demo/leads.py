"""The demo's organisation lead: Olivia Brennan, clinical librarian at
Northbridge Teaching Hospitals, gathers the evidence of what its staff's hours
achieved. The demo administrator appointed her lead of Northbridge; four of
her colleagues there let its leads see their names, and the other six keep
them to themselves, so her page shows four names and one line for the rest.

Everything goes through the services an administrator's and the members'
clicks would call, and only on the run that appoints her: a member who has
since changed their mind keeps their choice when the demo runs again.
"""

from equitime.core.errors import DomainError
from equitime.demo.content import ADMIN
from equitime.impact.leads import lead_appoint
from equitime.impact.models import OrganisationLead
from equitime.members.models import Member
from equitime.members.services import profile_update

LEAD = "olivia.brennan"
# Northbridge colleagues who let its leads see their names.
NAMED = ("amina.okafor", "rajesh.iyer", "priya.nair", "tunde.bakare")


def demo_leads(people: dict[str, Member], skipped: list[str]) -> OrganisationLead | None:
    lead = people[LEAD]
    found = OrganisationLead.objects.filter(member=lead).first()
    if found is not None:
        return found
    try:
        appointed = lead_appoint(member=lead, by=people[ADMIN])
    except DomainError as error:
        skipped.append(f"organisation lead: {error.message}")
        return None
    for handle in NAMED:
        member = people[handle]
        profile_update(
            member=member, display_name=member.display_name, named_to_organisation_leads=True
        )
    return appointed

"""A member's organisation leads in their data download, and at their erasure.

``leads_export`` gives the file the download adds: the organisations the
member leads (since when, appointed by whom). Whether they let their own
organisation's leads see their name is in ``member.json``, with the profile.

``leads_erase`` runs inside ``member_erase``: the member's appointments end
(a closed account leads nothing) and their choice goes back to the default.
Appointments the member made as an administrator stay: they are the other
leads' record, and name the member as "Former member" after erasure.
"""

from __future__ import annotations

from typing import Any

from equitime.impact.leads import leads_end_for_member
from equitime.impact.models import OrganisationLead
from equitime.members.models import Member, Profile


def leads_export(member: Member) -> dict[str, Any]:
    led = OrganisationLead.objects.filter(member=member).select_related(
        "organisation", "appointed_by"
    )
    return {
        "organisation_leads.json": {
            "organisations_led": [
                {
                    "organisation": lead.organisation.name,
                    "appointed_at": lead.appointed_at,
                    "appointed_by": lead.appointed_by.display_name,
                }
                for lead in led
            ],
        }
    }


def leads_erase(member: Member) -> None:
    leads_end_for_member(member)
    Profile.objects.filter(member=member).update(named_to_organisation_leads=False)

"""Who may see which impact figures.

A community administrator (``impact.view_community_impact``) sees the whole
community and any organisation; an organisation lead sees the organisations
they lead; everyone else sees no dashboard (403).

A lead leads the organisation they work at (``leads.lead_appoint`` refuses
anyone else): members allow "their organisation's leads" to see their names,
so the appointment counts only while the lead's profile names that
organisation (``leads_standing``). A lead who moves on keeps the row, as
history, but sees nothing of their former organisation. The public impact page is
another matter: community-wide, suppressed, and on unless switched off.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import F, QuerySet

from equitime.impact.models import OrganisationLead

VIEW_COMMUNITY = "impact.view_community_impact"


@dataclass(frozen=True)
class ImpactAccess:
    """What one reader may see: the whole community, and/or some organisations."""

    community: bool
    organisations: frozenset[int]

    @property
    def any(self) -> bool:
        return self.community or bool(self.organisations)

    def may_see_organisation(self, organisation_id: int) -> bool:
        return self.community or organisation_id in self.organisations


def leads_standing() -> QuerySet[OrganisationLead]:
    """The appointments that count now: the lead still works at the organisation."""
    return OrganisationLead.objects.filter(organisation_id=F("member__profile__organisation_id"))


def leads_anything(member) -> bool:
    """Whether ``member`` leads an organisation now (the menu's "Impact" link)."""
    return bool(member and member.is_active and leads_standing().filter(member=member).exists())


def impact_access(member) -> ImpactAccess:
    """The reader's scope; nothing for visitors and inactive accounts."""
    if not (member and member.is_authenticated and member.is_active):
        return ImpactAccess(community=False, organisations=frozenset())
    led = frozenset(
        leads_standing().filter(member=member).values_list("organisation_id", flat=True)
    )
    return ImpactAccess(community=member.has_perm(VIEW_COMMUNITY), organisations=led)


def impact_access_required(member) -> ImpactAccess:
    """A page or endpoint of the dashboard: refused (403) to anyone who sees nothing."""
    access = impact_access(member)
    if not access.any:
        raise PermissionDenied
    return access

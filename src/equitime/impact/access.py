"""Who may see which impact figures.

A community administrator (``impact.view_community_impact``) sees the whole
community and any organisation; an organisation lead sees the organisations
they lead; everyone else sees no dashboard (403). The public impact page is
another matter: community-wide, suppressed, and on unless switched off.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied

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


def impact_access(member) -> ImpactAccess:
    """The reader's scope; nothing for visitors and inactive accounts."""
    if not (member and member.is_authenticated and member.is_active):
        return ImpactAccess(community=False, organisations=frozenset())
    led = frozenset(
        OrganisationLead.objects.filter(member=member).values_list("organisation_id", flat=True)
    )
    return ImpactAccess(community=member.has_perm(VIEW_COMMUNITY), organisations=led)


def impact_access_required(member) -> ImpactAccess:
    """A page or endpoint of the dashboard: refused (403) to anyone who sees nothing."""
    access = impact_access(member)
    if not access.any:
        raise PermissionDenied
    return access

"""Impact: what the community's hours achieved, for the people who fund it.

    Organisation (members) 1 ──< OrganisationLead >── 1 Member (the lead)
                                      └── appointed_by (a community administrator), appointed_at

Two kinds of reader see the impact dashboard (``access.impact_access``):

- **community administrators** (``impact.view_community_impact``): the whole
  community, and any one organisation in it;
- **organisation leads**: a member appointed by an administrator to lead
  the figures of one organisation (a row here; a member may lead several).
  They see the figures of the exchanges their organisation took part in,
  and their organisation's members by name only where those members allow it.

Every figure shown outside a member's own record is about at least
``suppression.MIN_MEMBERS`` members, or it is withheld (small-number
suppression, as NHS statistics do).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from equitime.members.models import Organisation


class OrganisationLead(models.Model):
    """A member who leads one organisation's impact figures."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="organisations_led",
        verbose_name=_("member"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="leads",
        verbose_name=_("organisation"),
    )
    appointed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("appointed by"),
    )
    appointed_at = models.DateTimeField(_("appointed"), default=timezone.now)

    class Meta:
        verbose_name = _("organisation lead")
        verbose_name_plural = _("organisation leads")
        ordering = ["organisation__name", "member__sort_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "organisation"], name="organisation_lead_once"
            ),
        ]
        permissions = [
            ("view_community_impact", _("Can see the whole community's impact")),
        ]

    def __str__(self) -> str:
        return f"{self.member} leads {self.organisation}"

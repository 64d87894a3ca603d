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


class OrganisationLinkMonth(models.Model):
    """The hours two organisations exchanged in one month: an edge of the
    collaboration network (``network``), rebuilt from the ledger by
    ``links.links_rebuild``.

    ``organisation_a`` has the lower id of the two. A row whose two
    organisations are the same one holds that organisation's exchanges among
    its own members: they count in its own total, never as a link. Minutes
    are the completed exchanges' posted payments, in the month the payment
    was posted (UTC); ``members`` counts the distinct members who took part
    that month, for small-number suppression (a lower bound over a period).
    """

    month = models.DateField(_("month"))
    organisation_a = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    organisation_b = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("partner")
    )
    minutes = models.PositiveBigIntegerField(_("minutes"))
    exchanges = models.PositiveIntegerField(_("exchanges"))
    members = models.PositiveIntegerField(_("members taking part"))

    class Meta:
        verbose_name = _("organisation link in a month")
        verbose_name_plural = _("organisation links by month")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "organisation_a", "organisation_b"],
                name="organisation_link_month_once",
            ),
            models.CheckConstraint(
                condition=models.Q(organisation_a__lte=models.F("organisation_b")),
                name="organisation_link_lower_id_first",
            ),
            models.CheckConstraint(
                condition=models.Q(exchanges__gt=0, minutes__gt=0, members__gt=0),
                name="organisation_link_not_empty",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}: {self.organisation_a_id} and {self.organisation_b_id}"

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


class Dimension(models.TextChoices):
    """What a row of monthly figures is broken down by (``aggregates``)."""

    TOTAL = "total", _("All hours")
    AREA = "area", _("Improvement area")
    CATEGORY = "category", _("Skill category")
    PROFESSION_GIVEN = "profession_given", _("Profession of the giver")
    PROFESSION_RECEIVED = "profession_received", _("Profession of the receiver")
    KIND_GIVEN = "kind_given", _("Organisation kind of the giver")
    KIND_RECEIVED = "kind_received", _("Organisation kind of the receiver")
    ORGANISATION = "organisation", _("Organisation")
    CROSSED_ORGANISATION = "crossed_organisation", _("Across organisations")
    CROSSED_PROFESSION = "crossed_profession", _("Across professions")


class HoursMonth(models.Model):
    """One month's figures for one cell of one breakdown, in one scope.

    Precomputed from the ledger's posted payments of completed exchanges by
    ``aggregates.aggregates_rebuild`` (the daily job), so the dashboard reads a
    few hundred rows instead of scanning every exchange. ``organisation`` NULL
    is the whole community; otherwise the exchanges that organisation took part
    in (either party). ``members`` counts the distinct members the cell is about
    (see ``aggregates``), the figure small-number suppression reads.
    """

    month = models.DateField(_("month"))
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("scope"),
    )
    dimension = models.CharField(_("dimension"), max_length=24, choices=Dimension.choices)
    key = models.CharField(_("key"), max_length=100, blank=True)
    # What the key is called when nothing else names it (a profession as members typed it).
    label = models.CharField(_("label"), max_length=100, blank=True)
    minutes = models.BigIntegerField(_("minutes"))
    exchanges = models.PositiveIntegerField(_("exchanges"))
    members = models.PositiveIntegerField(_("members"))

    class Meta:
        verbose_name = _("monthly hours figure")
        verbose_name_plural = _("monthly hours figures")
        indexes = [
            models.Index(fields=["organisation", "month"], name="hours_month_scope"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["month", "dimension", "key"],
                condition=models.Q(organisation__isnull=True),
                name="hours_month_community_once",
            ),
            models.UniqueConstraint(
                fields=["month", "organisation", "dimension", "key"],
                condition=models.Q(organisation__isnull=False),
                name="hours_month_organisation_once",
            ),
            models.CheckConstraint(
                condition=models.Q(minutes__gte=0), name="hours_month_minutes_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.dimension} {self.key}"


class FiguresRun(models.Model):
    """When the monthly figures were last rebuilt: one row (pk 1), replaced by
    each run, so the pages can say how fresh their figures are."""

    built_at = models.DateTimeField(_("figures as of"))
    exchanges = models.PositiveIntegerField(_("exchanges counted"))
    rows = models.PositiveIntegerField(_("rows written"))
    seconds = models.FloatField(_("seconds taken"))

    class Meta:
        verbose_name = _("figures run")
        verbose_name_plural = _("figures runs")

    def __str__(self) -> str:
        return f"Figures as of {self.built_at:%Y-%m-%d %H:%M}"


class NoteMonth(models.Model):
    """An impact note the dashboard may quote, found by the rebuild: the latest
    few thanks with an impact note, per month and scope (as ``HoursMonth``),
    so the page need not search every thanks. The page checks the thanks'
    consent again when it reads them."""

    month = models.DateField(_("month"))
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("scope"),
    )
    thanks = models.ForeignKey(
        "exchanges.Thanks", on_delete=models.CASCADE, related_name="+", verbose_name=_("thanks")
    )

    class Meta:
        verbose_name = _("impact note of a month")
        verbose_name_plural = _("impact notes of a month")
        indexes = [models.Index(fields=["organisation", "month"], name="note_month_scope")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} thanks {self.thanks_id}"


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

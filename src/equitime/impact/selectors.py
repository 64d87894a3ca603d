"""The impact pages' reads: a scope's figures over a period, suppressed.

Figures come from the monthly rows (``aggregates``), never from the
exchanges themselves, so a page reads a few hundred rows at any scale.

Small-number suppression over a period (``suppression.MIN_MEMBERS``):

- distinct members do not add up across months (the same member in March
  and April is one member), so a cell over a period uses the largest of its
  monthly member counts: a lower bound of the true count. The cell is shown
  only if that bound reaches MIN_MEMBERS, that is if at least one month of
  the period had that many members in the cell; otherwise it is *withheld*,
  never shown as zero;
- secondary suppression: when exactly one cell of a table is withheld, the
  total minus the others would give it away, so the smallest shown cell of
  that table is withheld too (as NHS statistics do). Every table is treated
  so, the months of the period included.
"""

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from equitime.core.units import credits_figure, format_credits
from equitime.exchanges.models import Status
from equitime.impact.aggregates import CROSSED, UNKNOWN, WITHIN, aggregates_compute
from equitime.impact.filters import Scope
from equitime.impact.models import Dimension, FiguresRun, HoursMonth, NoteMonth
from equitime.impact.suppression import MIN_MEMBERS
from equitime.members.models import Organisation
from equitime.skills.models import ImprovementArea, SkillCategory
from equitime.skills.taxonomy import label as taxonomy_label

# How many impact notes the dashboard shows.
NOTES = 5
# How many cells of a breakdown a page draws (at scale there are hundreds of
# organisations and professions); the CSV and the API have them all.
PAGE_ROWS = 15


@dataclass(frozen=True)
class Cell:
    """One figure over the period: hours, exchanges and the members it is about
    (a lower bound, see the module), or withheld (all three None)."""

    key: str
    label: str
    minutes: int | None
    exchanges: int | None
    members: int | None
    withheld: bool = False
    secondary: bool = False  # withheld only so that another withheld cell stays hidden

    @property
    def hours(self) -> str:
        """The hours as machines read them ("1.5"): the CSV's cells."""
        return "" if self.minutes is None else format_credits(self.minutes)

    @property
    def figure(self) -> str:
        """The hours as the reader writes numbers ("1,5" in Arabic): pages and charts."""
        return "" if self.minutes is None else credits_figure(self.minutes)

    def withhold(self, *, secondary: bool = False) -> "Cell":
        return replace(
            self, minutes=None, exchanges=None, members=None, withheld=True, secondary=secondary
        )


@dataclass(frozen=True)
class Table:
    name: str  # in URLs (?table=) and the API
    title: str
    caption: str
    key_heading: str
    cells: list[Cell]
    note: str = ""

    @property
    def page_cells(self) -> list[Cell]:
        """What a page draws: the largest ``PAGE_ROWS`` cells (the months: all of
        them); the CSV and the API have every cell."""
        return self.cells if self.name == "months" else self.cells[:PAGE_ROWS]

    @property
    def more(self) -> int:
        return len(self.cells) - len(self.page_cells)


@dataclass(frozen=True)
class Share:
    """The part of all hours that crossed a line (organisation, profession)."""

    crossed: Cell
    within: Cell
    unknown: Cell
    total: Cell

    @property
    def withheld(self) -> bool:
        return self.crossed.withheld or self.total.withheld or not self.total.minutes

    @property
    def percent(self) -> int | None:
        if self.withheld or self.crossed.minutes is None or not self.total.minutes:
            return None
        return round(self.crossed.minutes * 100 / self.total.minutes)


@dataclass(frozen=True)
class Figures:
    scope: Scope
    built_at: datetime
    computed_now: bool  # no daily run had happened: computed for this request
    total: Cell
    months: Table
    tables: list[Table]
    across_organisations: Share
    across_professions: Share
    all_tables: dict[str, Table] = field(default_factory=dict)

    def table(self, name: str) -> Table | None:
        return self.all_tables.get(name)


def _combine(key: str, label: str, rows: list[HoursMonth]) -> Cell:
    best = max((r.members for r in rows), default=0)
    cell = Cell(
        key=key,
        label=label,
        minutes=sum(r.minutes for r in rows),
        exchanges=sum(r.exchanges for r in rows),
        members=best,
    )
    return cell.withhold() if 0 < best < MIN_MEMBERS else cell


def secondary_suppression(cells: list[Cell]) -> list[Cell]:
    """If exactly one cell is withheld, withhold the smallest shown one too (of
    those with hours: hiding a zero would hide nothing)."""
    withheld = [c for c in cells if c.withheld]
    shown = [c for c in cells if not c.withheld and c.minutes]
    if len(withheld) != 1 or not shown:
        return cells
    smallest = min(shown, key=lambda c: (c.minutes or 0, c.key))
    return [c.withhold(secondary=True) if c is smallest else c for c in cells]


def figures_run() -> FiguresRun | None:
    """The last rebuild, if there was one."""
    return FiguresRun.objects.filter(pk=1).first()


def _rows(scope: Scope, run: FiguresRun | None) -> list[Any]:
    """The scope's monthly rows in its period: stored ones; before the first
    rebuild, worked out now and kept nowhere (a page's GET writes nothing)."""
    if run is None:
        computed, _counted, _notes = aggregates_compute()
        return [
            r
            for r in computed
            if r.organisation_id == scope.organisation_id and scope.first <= r.month <= scope.last
        ]
    found = HoursMonth.objects.filter(month__gte=scope.first, month__lte=scope.last)
    if scope.organisation_id is None:
        found = found.filter(organisation__isnull=True)
    else:
        found = found.filter(organisation_id=scope.organisation_id)
    # Plain named rows: a few thousand model instances would cost more than the query.
    fields = ("month", "dimension", "key", "label", "minutes", "exchanges", "members")
    return list(found.values_list(*fields, named=True))


def _labels(dimension: str, keys: set[str], rows: list[HoursMonth]) -> dict[str, str]:
    ids = {int(k) for k in keys if k.isdecimal()}
    if dimension == Dimension.AREA:
        named = dict(ImprovementArea.objects.filter(pk__in=ids).values_list("pk", "name"))
        return {k: taxonomy_label(named.get(int(k), "")) for k in keys if k.isdecimal()} | {
            "": _("No improvement area")
        }
    if dimension == Dimension.CATEGORY:
        named = dict(SkillCategory.objects.filter(pk__in=ids).values_list("pk", "name"))
        return {k: taxonomy_label(named.get(int(k), "")) for k in keys if k.isdecimal()} | {
            "": _("No listing or no skills named")
        }
    if dimension == Dimension.ORGANISATION:
        named = dict(Organisation.objects.filter(pk__in=ids).values_list("pk", "name"))
        return {k: named.get(int(k), "") for k in keys if k.isdecimal()} | {
            "": _("No organisation given")
        }
    if dimension in (Dimension.KIND_GIVEN, Dimension.KIND_RECEIVED):
        kinds = dict(Organisation.Kind.choices)
        return {k: str(kinds.get(k, k)) for k in keys if k} | {"": _("No organisation given")}
    if dimension in (Dimension.PROFESSION_GIVEN, Dimension.PROFESSION_RECEIVED):
        labels = {r.key: r.label for r in rows if r.label}
        return labels | {"": _("Profession not given")}
    if dimension in (Dimension.CROSSED_ORGANISATION, Dimension.CROSSED_PROFESSION):
        return {
            CROSSED: pgettext("impact", "Crossed"),
            WITHIN: pgettext("impact", "Within one"),
            UNKNOWN: pgettext("impact", "Not known (one party did not say)"),
        }
    return {"": _("All hours")}


# name, dimension, title, key heading, note
L = gettext_lazy
TABLES = (
    ("area", Dimension.AREA, L("Hours by improvement area"), L("Improvement area"), ""),
    (
        "category",
        Dimension.CATEGORY,
        L("Hours by skill category"),
        L("Skill category"),
        L(
            "An exchange counts under every category of its listing's skills, so this table "
            "can add up to more than all hours."
        ),
    ),
    (
        "profession_given",
        Dimension.PROFESSION_GIVEN,
        L("Hours given, by the giver's profession"),
        L("Profession"),
        "",
    ),
    (
        "profession_received",
        Dimension.PROFESSION_RECEIVED,
        L("Hours received, by the receiver's profession"),
        L("Profession"),
        "",
    ),
    (
        "kind_given",
        Dimension.KIND_GIVEN,
        L("Hours given, by the giver's kind of organisation"),
        L("Kind of organisation"),
        "",
    ),
    (
        "kind_received",
        Dimension.KIND_RECEIVED,
        L("Hours received, by the receiver's kind of organisation"),
        L("Kind of organisation"),
        "",
    ),
    (
        "organisation",
        Dimension.ORGANISATION,
        L("Hours by organisation taking part"),
        L("Organisation"),
        L(
            "An exchange between two organisations counts under both, so this table can add "
            "up to more than all hours."
        ),
    ),
)


def impact_figures(scope: Scope, *, with_organisations: bool = True) -> Figures:
    """The scope's figures over its period, every cell suppressed as the module says.
    ``with_organisations`` False leaves the table of organisations out (the public page)."""
    run = figures_run()
    rows = _rows(scope, run)
    by_dimension: dict[str, dict[str, list[HoursMonth]]] = {}
    for row in rows:
        by_dimension.setdefault(row.dimension, {}).setdefault(row.key, []).append(row)

    totals = by_dimension.get(Dimension.TOTAL, {}).get("", [])
    total = _combine("", _("All hours"), totals)
    by_month = {r.month: r for r in totals}
    month_cells = secondary_suppression(
        [
            _combine(f"{m:%Y-%m}", date_format(m, "F Y"), [by_month[m]] if m in by_month else [])
            for m in scope.months()
        ]
    )
    months = Table(
        name="months",
        title=_("Hours exchanged, month by month"),
        caption=_("Hours exchanged and members active, month by month"),
        key_heading=_("Month"),
        cells=month_cells,
    )

    tables = []
    for name, dimension, title, heading, note in TABLES:
        if dimension == Dimension.ORGANISATION and not with_organisations:
            continue
        found = by_dimension.get(dimension, {})
        labels = _labels(dimension, set(found), [r for rs in found.values() for r in rs])
        cells = [_combine(key, labels.get(key) or key, found[key]) for key in found]
        cells.sort(key=lambda c: (c.withheld, -(c.minutes or 0), c.label))
        tables.append(
            Table(
                name=name,
                title=str(title),
                caption=str(title),
                key_heading=str(heading),
                cells=secondary_suppression(cells),
                note=str(note),
            )
        )

    shares = {}
    for dimension in (Dimension.CROSSED_ORGANISATION, Dimension.CROSSED_PROFESSION):
        found = by_dimension.get(dimension, {})
        labels = _labels(dimension, set(found), [])
        by_key = {
            key: _combine(key, labels[key], found.get(key, []))
            for key in (CROSSED, WITHIN, UNKNOWN)
        }
        suppressed = secondary_suppression([by_key[CROSSED], by_key[WITHIN], by_key[UNKNOWN]])
        crossed, within, unknown = suppressed
        shares[dimension] = Share(crossed=crossed, within=within, unknown=unknown, total=total)
        name = (
            "across_organisations"
            if dimension == Dimension.CROSSED_ORGANISATION
            else ("across_professions")
        )
        tables.append(
            Table(
                name=name,
                title=(
                    _("Hours across organisations")
                    if dimension == Dimension.CROSSED_ORGANISATION
                    else _("Hours across professions")
                ),
                caption=(
                    _("Hours between members of different organisations, or of one")
                    if dimension == Dimension.CROSSED_ORGANISATION
                    else _("Hours between members of different professions, or of one")
                ),
                key_heading=_("Between"),
                cells=suppressed,
            )
        )

    return Figures(
        scope=scope,
        built_at=run.built_at if run else timezone.now(),
        computed_now=run is None,
        total=total,
        months=months,
        tables=[t for t in tables if not t.name.startswith("across_")],
        across_organisations=shares[Dimension.CROSSED_ORGANISATION],
        across_professions=shares[Dimension.CROSSED_PROFESSION],
        all_tables={t.name: t for t in [months, *tables]},
    )


@dataclass(frozen=True)
class Note:
    """An impact note as the dashboard shows it: no names."""

    impact: str
    area: str
    month: date


def impact_notes(scope: Scope) -> list[Note]:
    """A few recent impact notes on completed exchanges in the scope and period,
    found by the rebuild (``NoteMonth``), only those whose authors still let
    their thanks be shown (``Thanks.show_on_profile``, the consent the campaign
    pages read). The dashboard shows them without names."""
    found = NoteMonth.objects.filter(
        month__gte=scope.first,
        month__lte=scope.last,
        thanks__show_on_profile=True,
        thanks__exchange__status=Status.COMPLETED,
    ).exclude(thanks__impact="")
    if scope.organisation_id is None:
        found = found.filter(organisation__isnull=True)
    else:
        found = found.filter(organisation_id=scope.organisation_id)
    rows = found.order_by("-thanks_id").values_list(
        "thanks__impact", "thanks__exchange__improvement_area__name", "month"
    )[:NOTES]
    return [
        Note(impact=impact, area=taxonomy_label(area or ""), month=month)
        for impact, area, month in rows
    ]

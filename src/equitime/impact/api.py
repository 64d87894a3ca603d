"""API: the impact dashboard's figures, for community administrators and
organisation leads; the same cells as the page, withheld ones included (null,
with ``withheld`` true)."""

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext
from ninja import Field, Router, Schema

from equitime.api.auth import ApiRequest
from equitime.api.problems import PROBLEM_RESPONSES
from equitime.core.errors import DomainError, ErrorKind
from equitime.impact.access import impact_access_required
from equitime.impact.filters import scope_resolve
from equitime.impact.selectors import Cell, Share, Table, impact_figures

router = Router(tags=["Impact"])


class CellOut(Schema):
    key: str = Field(description="What the cell is about: an id, a kind, a profession, a month.")
    label: str
    minutes: int | None = Field(description="Minutes given; null when withheld.")
    exchanges: int | None
    members: int | None = Field(
        description="Distinct members the cell is about: over several months the busiest "
        "month's count, a lower bound of the true number. Null when withheld."
    )
    withheld: bool = Field(
        description="True when the cell is about fewer than 5 members, or withheld so that "
        "such a cell cannot be worked out from the others (secondary suppression)."
    )


class TableOut(Schema):
    name: str
    title: str
    cells: list[CellOut]


class ShareOut(Schema):
    percent: int | None = Field(description="Share of all minutes that crossed; null if withheld.")
    withheld: bool
    crossed: CellOut
    within: CellOut
    unknown: CellOut


class ImpactOut(Schema):
    first: str = Field(description="The first month, YYYY-MM.")
    last: str = Field(description="The last month, YYYY-MM (included).")
    organisation: int | None = Field(description="The organisation's id; null: the community.")
    figures_as_of: datetime
    total: CellOut
    months: TableOut
    tables: list[TableOut]
    across_organisations: ShareOut
    across_professions: ShareOut


def _cell(cell: Cell) -> CellOut:
    return CellOut(
        key=cell.key,
        label=cell.label,
        minutes=cell.minutes,
        exchanges=cell.exchanges,
        members=cell.members,
        withheld=cell.withheld,
    )


def _table(table: Table) -> TableOut:
    return TableOut(name=table.name, title=table.title, cells=[_cell(c) for c in table.cells])


def _share(share: Share) -> ShareOut:
    return ShareOut(
        percent=share.percent,
        withheld=share.withheld,
        crossed=_cell(share.crossed),
        within=_cell(share.within),
        unknown=_cell(share.unknown),
    )


@router.get(
    "",
    response={200: ImpactOut, **PROBLEM_RESPONSES},
    summary="Impact figures",
    description="Hours of completed exchanges over whole months (UTC), by month and broken "
    "down by improvement area, skill category, profession, organisation kind and "
    "organisation, with the share that crossed an organisation or a profession. "
    "first and last are months (YYYY-MM; by default the last twelve months); organisation "
    "an organisation's id (a lead must name one they lead, and gets their first if none). "
    "For community administrators and organisation leads; others get 403.",
    operation_id="impact_get",
)
def impact_get(
    request: ApiRequest,
    first: str | None = None,
    last: str | None = None,
    organisation: str | None = None,
) -> ImpactOut:
    access = impact_access_required(request.auth)
    organisation_id = None
    if organisation:
        try:
            organisation_id = int(organisation)
        except ValueError:
            raise DomainError(
                gettext("Choose an organisation by its number."),
                kind=ErrorKind.INVALID,
                field="organisation",
                code="invalid_organisation",
            ) from None
    scope = scope_resolve(access, first=first, last=last, organisation=organisation_id)
    figures = impact_figures(scope)
    tables = [t for name, t in figures.all_tables.items() if name != "months"]
    return ImpactOut(
        first=f"{scope.first:%Y-%m}",
        last=f"{scope.last:%Y-%m}",
        organisation=scope.organisation_id,
        figures_as_of=timezone.localtime(figures.built_at),
        total=_cell(figures.total),
        months=_table(figures.months),
        tables=[_table(t) for t in tables],
        across_organisations=_share(figures.across_organisations),
        across_professions=_share(figures.across_professions),
    )

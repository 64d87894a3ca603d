"""API: the collaboration network of a period, as the page shows it.

``GET /api/v1/impact/network?first=2026-01&last=2026-12&organisation=12``:
the organisations (nodes) with their measures, the links with their hours
or a withheld flag, and the community's measures. Who may ask, and for
which organisation, is the page's rule (``access.impact_access_required``).
"""

from ninja import Field, Query, Router, Schema

from equitime.api.auth import ApiRequest
from equitime.api.problems import PROBLEM_RESPONSES
from equitime.impact.access import impact_access_required
from equitime.impact.filters import scope_resolve
from equitime.impact.network import (
    NetworkView,
    density_words,
    network_view,
    summary_words,
)
from equitime.impact.suppression import MIN_MEMBERS

router = Router(tags=["Impact"])

# A year at scale has some 20,000 links: they come a page at a time, the
# strongest first (``links_count`` says how many there are in all).
LINKS_PAGE_SIZE = 1000
MAX_LINKS_PAGE_SIZE = 5000


class NetworkFilters(Schema):
    first: str = Field(
        "", max_length=7, description="First month, YYYY-MM (default: 11 months before last)"
    )
    last: str = Field("", max_length=7, description="Last month, YYYY-MM (default: this month)")
    organisation: int | None = Field(
        None, description="One organisation's neighbourhood (a lead's default: the first they lead)"
    )
    links_page: int = Field(1, ge=1, le=1_000_000, description="Which page of links")
    links_page_size: int = Field(
        LINKS_PAGE_SIZE, ge=1, le=MAX_LINKS_PAGE_SIZE, description="Links per page"
    )


class NetworkNodeOut(Schema):
    id: int
    name: str
    kind: str
    focus: bool = Field(description="The organisation asked for")
    partners: int
    minutes_across: int = Field(description="Minutes over its links whose hours are shown")
    links_withheld: int = Field(description="Its links whose minutes are withheld")
    own_minutes: int | None = Field(
        description="Minutes exchanged among its own members; null when withheld"
    )
    betweenness: float = Field(description="Betweenness centrality, normalised, unweighted")
    bridge_rank: int | None = Field(description="1 = on most shortest paths; null = on none")
    bridge: bool = Field(description="Its connected group would split without it")
    holds_together: str = Field(description="What it holds together, in words")
    isolated: bool


class NetworkLinkOut(Schema):
    organisation_a: int
    organisation_b: int
    minutes: int | None = Field(description="null when withheld")
    exchanges: int | None = Field(description="null when withheld")
    withheld: bool = Field(description=f"About fewer than {MIN_MEMBERS} members in every month")


class NetworkMeasuresOut(Schema):
    organisations: int = Field(description="Organisations with members")
    exchanging: int = Field(description="Organisations with at least one link")
    groups: int = Field(description="Connected groups among the organisations with links")
    largest_group: int
    density: float = Field(description="Links made of the pairs of organisations possible")
    density_words: str
    bridges: list[int]
    isolated: list[int]


class NetworkOut(Schema):
    first: str
    last: str
    organisation: int | None
    summary: list[str] = Field(description="The measures in sentences, as the page says them")
    measures: NetworkMeasuresOut | None = Field(
        description="The whole community's measures; null in one organisation's neighbourhood"
    )
    nodes: list[NetworkNodeOut]
    links_count: int = Field(description="Links in the period, on every page together")
    links: list[NetworkLinkOut] = Field(
        description="This page of the links: hours shown, most first; withheld last"
    )


def _out(view: NetworkView, *, page: int, size: int) -> NetworkOut:
    network = view.network
    measures = None
    if view.scope.organisation_id is None:
        measures = NetworkMeasuresOut(
            organisations=len(network.nodes),
            exchanging=network.exchanging,
            groups=network.groups,
            largest_group=network.largest_group,
            density=round(network.density, 6),
            density_words=density_words(network.density),
            bridges=[row.id for row in view.bridges],
            isolated=[row.id for row in view.isolated],
        )
    return NetworkOut(
        first=f"{view.scope.first:%Y-%m}",
        last=f"{view.scope.last:%Y-%m}",
        organisation=view.scope.organisation_id,
        summary=summary_words(view),
        measures=measures,
        nodes=[
            NetworkNodeOut(
                id=row.id,
                name=row.name,
                kind=row.kind,
                focus=row.focus,
                partners=row.node.partners,
                minutes_across=row.node.minutes_across,
                links_withheld=row.node.withheld_links,
                own_minutes=None if row.node.own_withheld else row.node.own_minutes,
                betweenness=round(row.node.betweenness, 6),
                bridge_rank=row.node.bridge_rank,
                bridge=row.node.is_bridge,
                holds_together=row.bridge_text,
                isolated=row.node.isolated,
            )
            for row in view.organisations
        ],
        links_count=len(view.link_list),
        links=[
            NetworkLinkOut(
                organisation_a=link.a,
                organisation_b=link.b,
                minutes=link.shown_minutes,
                exchanges=link.shown_exchanges,
                withheld=link.withheld,
            )
            for link in view.link_list[(page - 1) * size : page * size]
        ],
    )


@router.get(
    "",
    response={200: NetworkOut, **PROBLEM_RESPONSES},
    summary="The collaboration network",
    description="Organisations as nodes, the hours their members exchanged as links, and "
    "which organisations bridge others, how connected the community is and who is isolated, "
    "for a period of whole months. For community administrators (any organisation, or the "
    "whole community) and organisation leads (the organisations they lead). Links come a "
    f"page at a time ({LINKS_PAGE_SIZE} by default). A link about "
    f"fewer than {MIN_MEMBERS} members has its minutes and exchanges withheld (null).",
    operation_id="impact_network_get",
)
def impact_network_get(request: ApiRequest, filters: Query[NetworkFilters]) -> NetworkOut:
    access = impact_access_required(request.auth)
    scope = scope_resolve(
        access, first=filters.first, last=filters.last, organisation=filters.organisation
    )
    return _out(network_view(scope), page=filters.links_page, size=filters.links_page_size)

"""The collaboration network: organisations as nodes, hours as links, and the
measures a director can act on.

For a period (``filters.Scope``), from ``OrganisationLinkMonth``:

- **nodes** are the organisations with at least one active member;
- **links** join two organisations whose members exchanged hours in the
  period, with the hours, the exchanges, and a lower bound of the members
  taking part (the most in any one month). A link about fewer than
  ``suppression.MIN_MEMBERS`` members is shown as existing, its hours and
  exchanges withheld;
- **bridges**: betweenness centrality (networkx), *unweighted*: a link
  counts once however many hours it carries. What a director asks of a
  bridge is whether organisations reach each other through it at all, and
  weighting by hours would let a withheld link's hours move the ranking. A
  rank says who sits on most shortest paths between other organisations; an
  organisation whose removal would split its group (an articulation point)
  is called a bridge on the page, with what it holds together in words;
- **connectedness**: the connected groups among the organisations that
  exchanged, the share of organisations in the largest one, and density
  (links made of the pairs possible) in words;
- **isolated**: organisations with members and no link in the period;
- per organisation: partners, hours across its boundary (the sum of its
  links whose hours are shown; a withheld link's hours are never added in,
  so no total minus the links shown gives one away), and its own hours
  (exchanges among its members, suppressed likewise).

An organisation's scope (a lead's view) is its neighbourhood: itself, its
partners and the links among them, with each one's measures in the whole
network. The measures cost about a second at 300 organisations and 17,000
links (betweenness is O(nodes times links)), so the whole network of a period
is cached, keyed by the table's last row id (the rebuild writes new ids) and
the organisations that have members; the daily rebuild warms the default
period (``network_warm``).
"""

import hashlib
import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

import networkx as nx
from django.core.cache import cache
from django.db.models import Max, Sum
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from equitime.core.units import hours_text
from equitime.impact.access import ImpactAccess
from equitime.impact.filters import (
    DEFAULT_MONTHS,
    ImpactFilterForm,
    Scope,
    month_add,
    this_month,
)
from equitime.impact.models import OrganisationLinkMonth
from equitime.impact.suppression import MIN_MEMBERS, is_suppressed
from equitime.members.models import Organisation, Profile

CACHE_SECONDS = 26 * 3600  # a day's rebuild, and some
# The picture draws this many organisations at most, and among them this many
# links, the strongest (the tables list them all): past that it is a solid disc.
DRAWN = 30
DRAWN_LINKS = 60


class Link(NamedTuple):
    """Two organisations that exchanged hours in the period (``a`` < ``b`` by id).
    A tuple: a year at scale has some 20,000 of them, cached and read back on
    every request, and a tuple is what pickle reads back fastest."""

    a: int
    b: int
    minutes: int
    exchanges: int
    members: int  # the most members taking part in any one month: a lower bound

    @property
    def withheld(self) -> bool:
        return is_suppressed(self.members)

    @property
    def shown_minutes(self) -> int | None:
        return None if self.withheld else self.minutes

    @property
    def shown_exchanges(self) -> int | None:
        return None if self.withheld else self.exchanges

    def other(self, organisation_id: int) -> int:
        return self.b if organisation_id == self.a else self.a


@dataclass(frozen=True)
class Node:
    """An organisation with members, and its measures in the whole network."""

    id: int
    partners: int = 0
    minutes_across: int = 0  # over its links whose hours are shown
    withheld_links: int = 0
    own_minutes: int = 0  # exchanges among its own members
    own_members: int = 0
    betweenness: float = 0.0  # normalised, unweighted
    bridge_rank: int | None = None  # 1 = on most shortest paths; None = on none
    is_bridge: bool = False  # its group would split without it
    sole_link_for: int = 0  # partners whose only partner it is
    splits_into: int = 0  # parts its group falls into without it (bridges)
    group_size: int = 0  # organisations in its connected group (1 when isolated)

    @property
    def isolated(self) -> bool:
        return self.partners == 0

    @property
    def own_withheld(self) -> bool:
        return is_suppressed(self.own_members)


@dataclass(frozen=True)
class Network:
    """The whole community's network in one period."""

    first: date
    last: date
    nodes: dict[int, Node]
    links: list[Link]
    groups: int  # connected groups among the organisations that exchanged
    largest_group: int
    density: float  # links / pairs of organisations with members
    ranked: int  # organisations with a bridge rank

    @property
    def exchanging(self) -> int:
        return sum(1 for node in self.nodes.values() if not node.isolated)

    @property
    def isolated(self) -> list[int]:
        return [node.id for node in self.nodes.values() if node.isolated]

    @property
    def bridges(self) -> list[Node]:
        found = [node for node in self.nodes.values() if node.is_bridge]
        return sorted(found, key=lambda node: (node.bridge_rank or 0, node.id))


# --- Reading and measuring ------------------------------------------------------------


def _organisations_with_members() -> list[int]:
    return sorted(
        Profile.objects.filter(member__is_active=True, organisation__isnull=False)
        .values_list("organisation_id", flat=True)
        .distinct()
    )


def _links_in(first: date, last: date) -> tuple[list[Link], dict[int, tuple[int, int]]]:
    """The period's links, and each organisation's own (minutes, most members)."""
    rows = (
        OrganisationLinkMonth.objects.filter(month__gte=first, month__lte=last)
        .values("organisation_a", "organisation_b")
        .annotate(minutes=Sum("minutes"), exchanges=Sum("exchanges"), members=Max("members"))
        .order_by("organisation_a", "organisation_b")
    )
    links, own = [], {}
    for row in rows:
        a, b = row["organisation_a"], row["organisation_b"]
        if a == b:
            own[a] = (row["minutes"], row["members"])
        else:
            links.append(Link(a, b, row["minutes"], row["exchanges"], row["members"]))
    return links, own


def measure(
    nodes: list[int], links: list[Link], own: dict[int, tuple[int, int]], first: date, last: date
) -> Network:
    """The measures of a network (the pure part: hand-made graphs in the tests)."""
    known = set(nodes)
    # A link to an organisation that has no active member any more is not drawn.
    links = [link for link in links if link.a in known and link.b in known]
    graph = nx.Graph()
    graph.add_nodes_from(nodes)
    graph.add_edges_from((link.a, link.b) for link in links)

    exchanged = graph.subgraph(n for n in graph if graph.degree(n) > 0)
    components = list(nx.connected_components(exchanged))
    group_of = {n: len(component) for component in components for n in component}
    betweenness = nx.betweenness_centrality(graph, normalized=True) if links else {}
    articulation = set(nx.articulation_points(graph))

    order = sorted(
        (n for n in nodes if betweenness.get(n, 0) > 1e-12),
        key=lambda n: (-betweenness[n], n),
    )
    rank: dict[int, int] = {}
    for position, n in enumerate(order, start=1):
        previous = order[position - 2] if position > 1 else None
        tied = previous is not None and abs(betweenness[previous] - betweenness[n]) < 1e-9
        rank[n] = rank[previous] if tied and previous is not None else position

    across: dict[int, int] = dict.fromkeys(nodes, 0)
    withheld: dict[int, int] = dict.fromkeys(nodes, 0)
    for link in links:
        for end in (link.a, link.b):
            if link.withheld:
                withheld[end] += 1
            else:
                across[end] += link.minutes

    measured = {}
    for n in nodes:
        splits = 0
        if n in articulation:
            rest = graph.subgraph(m for m in nx.node_connected_component(graph, n) if m != n)
            splits = nx.number_connected_components(rest)
        own_minutes, own_members = own.get(n, (0, 0))
        measured[n] = Node(
            id=n,
            partners=graph.degree(n),
            minutes_across=across[n],
            withheld_links=withheld[n],
            own_minutes=own_minutes,
            own_members=own_members,
            betweenness=betweenness.get(n, 0.0),
            bridge_rank=rank.get(n),
            is_bridge=n in articulation,
            sole_link_for=sum(1 for m in graph.neighbors(n) if graph.degree(m) == 1),
            splits_into=splits,
            group_size=group_of.get(n, 1),
        )
    count = len(nodes)
    pairs = count * (count - 1) // 2
    # The order every table lists them in: hours shown, most first; withheld last.
    links.sort(
        key=lambda link: (link.withheld, -link.minutes if not link.withheld else 0, link.a, link.b)
    )
    return Network(
        first=first,
        last=last,
        nodes=measured,
        links=links,
        groups=len(components),
        largest_group=max((len(c) for c in components), default=0),
        density=len(links) / pairs if pairs else 0.0,
        ranked=len(rank),
    )


def _cache_key(first: date, last: date, nodes: list[int]) -> str:
    version = OrganisationLinkMonth.objects.aggregate(last=Max("id"))["last"] or 0
    signature = hashlib.sha256(",".join(map(str, nodes)).encode()).hexdigest()[:16]
    return f"impact:network:{version}:{signature}:{first:%Y-%m}:{last:%Y-%m}"


def network_of(first: date, last: date) -> Network:
    """The whole community's network from ``first`` to ``last`` (months), cached."""
    nodes = _organisations_with_members()
    key = _cache_key(first, last, nodes)
    found = cache.get(key)
    if isinstance(found, Network):
        return found
    links, own = _links_in(first, last)
    network = measure(nodes, links, own, first, last)
    cache.set(key, network, CACHE_SECONDS)
    return network


def network_warm() -> None:
    """Measure the default period (the last twelve months) into the cache:
    the daily job calls it after ``links_rebuild``, so no reader waits."""
    last = this_month()
    network_of(month_add(last, 1 - DEFAULT_MONTHS), last)


# --- What one reader sees -------------------------------------------------------------


def network_filter_form(access: ImpactAccess, data: Mapping[str, str]) -> ImpactFilterForm:
    """The shared filter form over what a page was sent (empty fields left out).
    A lead who chose no organisation sees the first one they lead: the form's rule."""
    chosen = {key: data[key] for key in ("first", "last", "organisation") if data.get(key)}
    return ImpactFilterForm(chosen, access=access)


@dataclass(frozen=True)
class NodeRow:
    """One organisation as the page, the CSV and the API show it."""

    node: Node
    name: str
    kind: str
    kind_label: str
    focus: bool = False

    @property
    def id(self) -> int:
        return self.node.id

    @property
    def across_text(self) -> str:
        return hours(self.node.minutes_across)

    @property
    def own_text(self) -> str:
        return hours(None if self.node.own_withheld else self.node.own_minutes)

    @property
    def bridge_text(self) -> str:
        return bridge_words(self.node)


@dataclass(frozen=True)
class LinkRow:
    link: Link
    a_name: str
    b_name: str

    @property
    def hours_text(self) -> str:
        return hours(self.link.shown_minutes)


@dataclass
class NetworkView:
    """The network a reader may see: the whole of it, or one organisation's
    neighbourhood (``focus``) with each organisation's whole-network measures."""

    scope: Scope
    network: Network
    organisations: list[NodeRow]  # by hours across, then name
    link_list: list[Link]  # by hours shown (withheld last), as ``measure`` sorts them
    focus: NodeRow | None = None
    names: dict[int, str] = field(default_factory=dict)

    def link_row(self, link: Link) -> LinkRow:
        return LinkRow(link, self.names[link.a], self.names[link.b])

    @property
    def links(self) -> list[LinkRow]:
        """Every link with its names (the CSV, the API; a page shows a slice)."""
        return [self.link_row(link) for link in self.link_list]

    @property
    def bridges(self) -> list[NodeRow]:
        rows = [row for row in self.organisations if row.node.is_bridge]
        return sorted(rows, key=lambda row: (row.node.bridge_rank or 0, row.name))

    @property
    def isolated(self) -> list[NodeRow]:
        return [row for row in self.organisations if row.node.isolated]


def network_view(scope: Scope) -> NetworkView:
    """What the page, the CSV and the API show for ``scope``."""
    network = network_of(scope.first, scope.last)
    focus_id = scope.organisation_id
    if focus_id is None:
        shown = set(network.nodes)
        links = network.links
    else:
        shown = {focus_id} if focus_id in network.nodes else set()
        shown |= {link.other(focus_id) for link in network.links if focus_id in (link.a, link.b)}
        links = [link for link in network.links if link.a in shown and link.b in shown]
    wanted = shown if focus_id is None else shown | {focus_id}
    organisations = {o.pk: o for o in Organisation.objects.filter(pk__in=wanted)}
    names = {pk: o.name for pk, o in organisations.items()}
    rows = [
        NodeRow(
            node=network.nodes[pk],
            name=organisations[pk].name,
            kind=organisations[pk].kind,
            kind_label=str(organisations[pk].get_kind_display()),
            focus=pk == focus_id,
        )
        for pk in shown
        if pk in organisations and pk in network.nodes
    ]
    rows.sort(key=lambda row: (not row.focus, -row.node.minutes_across, row.name.lower(), row.id))
    return NetworkView(
        scope=scope,
        network=network,
        organisations=rows,
        link_list=links,
        focus=next((row for row in rows if row.focus), None),
        names=names,
    )


# --- In words ---------------------------------------------------------------------------


def hours(minutes: int | None) -> str:
    """Hours as the page writes them; a withheld figure says so."""
    if minutes is None:
        return withheld_words()
    return hours_text(minutes)


def withheld_words() -> str:
    return _("withheld (fewer than %(count)s members)") % {"count": MIN_MEMBERS}


def density_words(density: float) -> str:
    if density < 0.05:
        return _("sparse: most organisations have not worked with each other yet")
    if density < 0.15:
        return _("loosely connected: each organisation works with a few others")
    if density < 0.4:
        return _("well connected: many organisations work with many others")
    return _("densely connected: most organisations work with most others")


def bridge_clauses(node: Node) -> list[str]:
    """What an organisation holds together, as clauses a director can repeat."""
    clauses = []
    if node.sole_link_for:
        clauses.append(
            ngettext(
                "it links %(count)s organisation that has no other link",
                "it links %(count)s organisations that have no other link",
                node.sole_link_for,
            )
            % {"count": node.sole_link_for}
        )
    if node.is_bridge and node.splits_into > 1:
        clauses.append(
            _("without it, its group of %(size)s organisations would fall into %(parts)s parts")
            % {"size": node.group_size, "parts": node.splits_into}
        )
    elif node.bridge_rank is not None:
        clauses.append(
            _("it lies on %(share)s%% of the shortest routes between other organisations")
            % {"share": _percent(node.betweenness)}
        )
    return clauses


def bridge_words(node: Node) -> str:
    """The clauses as one sentence ("" for an organisation between no others)."""
    clauses = bridge_clauses(node)
    if not clauses:
        return ""
    return capfirst("; ".join(clauses)) + "."


def _percent(share: float) -> str:
    value = share * 100
    if 0 < value < 1:
        return "<1"
    return f"{value:.0f}"


def summary_words(view: NetworkView) -> list[str]:
    """The measures in a few sentences: the page's opening and the chart's text alternative."""
    network = view.network
    total = len(network.nodes)
    sentences = []
    if view.scope.organisation_id is not None and view.focus is None:
        name = view.names.get(view.scope.organisation_id, "")
        return [_("%(name)s has no active members, so it is not in the network.") % {"name": name}]
    if view.focus is not None:
        node = view.focus.node
        sentences.append(
            ngettext(
                "%(name)s exchanged hours with %(count)s partner organisation in this period.",
                "%(name)s exchanged hours with %(count)s partner organisations in this period.",
                node.partners,
            )
            % {"name": view.focus.name, "count": node.partners}
            if node.partners
            else _(
                "%(name)s exchanged no hours with another organisation in this period: "
                "it is isolated."
            )
            % {"name": view.focus.name}
        )
        if node.partners:
            sentences.append(
                _("Hours across its boundary: %(hours)s.") % {"hours": hours(node.minutes_across)}
                + (
                    " "
                    + ngettext(
                        "The hours of %(count)s link are withheld (fewer than %(min)s members).",
                        "The hours of %(count)s links are withheld (fewer than %(min)s members).",
                        node.withheld_links,
                    )
                    % {"count": node.withheld_links, "min": MIN_MEMBERS}
                    if node.withheld_links
                    else ""
                )
            )
        if node.bridge_rank is not None:
            ranked = _(
                "In the whole community it ranks %(rank)s of %(ranked)s organisations "
                "as a bridge between others."
            ) % {"rank": node.bridge_rank, "ranked": network.ranked}
            sentences.append(f"{ranked} {bridge_words(node)}".strip())
        elif node.partners:
            sentences.append(_("It lies on no shortest path between two other organisations."))
        return sentences

    if not network.links:
        sentences.append(
            ngettext(
                "%(total)s organisation has members; none exchanged hours with another "
                "organisation in this period.",
                "%(total)s organisations have members; none exchanged hours with another "
                "organisation in this period.",
                total,
            )
            % {"total": total}
        )
        return sentences
    sentences.append(
        ngettext(
            "%(exchanging)s of %(total)s organisations exchanged hours with another in this "
            "period, in %(groups)s connected group.",
            "%(exchanging)s of %(total)s organisations exchanged hours with another in this "
            "period, in %(groups)s connected groups.",
            network.groups,
        )
        % {"exchanging": network.exchanging, "total": total, "groups": network.groups}
    )
    sentences.append(
        _(
            "The largest group joins %(largest)s organisations (%(share)s%% of all with "
            "members). %(percent)s%% of the possible pairs exchanged hours: %(words)s."
        )
        % {
            "largest": network.largest_group,
            "share": _percent(network.largest_group / total),
            "percent": _percent(network.density),
            "words": density_words(network.density),
        }
    )
    bridges = view.bridges
    if bridges:
        sentences.append(
            _("%(name)s is the strongest bridge: %(what)s.")
            % {"name": bridges[0].name, "what": "; ".join(bridge_clauses(bridges[0].node))}
        )
        if len(bridges) > 1:
            sentences.append(
                _("Other bridges: %(names)s.")
                % {"names": ", ".join(row.name for row in bridges[1:])}
            )
    else:
        sentences.append(_("No single organisation holds a group together: each has other routes."))
    isolated = view.isolated
    sentences.append(
        ngettext(
            "%(count)s organisation with members exchanged with no other organisation.",
            "%(count)s organisations with members exchanged with no other organisation.",
            len(isolated),
        )
        % {"count": len(isolated)}
        if isolated
        else _("No organisation with members is isolated.")
    )
    return sentences


def drawn(view: NetworkView, limit: int = DRAWN) -> tuple[list[NodeRow], list[LinkRow]]:
    """The organisations and links the picture draws: those with links, the
    focus first, then by hours across (shown hours only), at most ``limit``."""
    candidates = [row for row in view.organisations if not row.node.isolated or row.focus]
    chosen = candidates[:limit]
    ids = {row.id for row in chosen}
    # link_list is in order of hours shown, most first: the strongest come first.
    among = (link for link in view.link_list if link.a in ids and link.b in ids)
    links = [view.link_row(link) for link in itertools.islice(among, DRAWN_LINKS)]
    return chosen, links

"""The collaboration network as an inline SVG, drawn on the server.

A deterministic circle layout, computed here (networkx's layouts need numpy):
the organisations drawn sit on a circle, grouped by connected group and, in
each group, by hours across their boundary; in an organisation's view it sits
in the middle and its partners around it. Labels run outwards along the
radius, so neighbours' names do not overlap however many are drawn.

Nothing rests on colour alone: a link's width says its hours (a dashed link
has its hours withheld), a bridge is a diamond with a heavy outline, the
organisation in focus a larger double ring; the page lists the bridges and
gives both tables beside the picture. The image is ``role="img"`` with a
``<title>`` and a ``<desc>`` that says the measures in words.
"""

import math

from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from equitime.impact.network import (
    DRAWN,
    DRAWN_LINKS,
    LinkRow,
    NetworkView,
    NodeRow,
    drawn,
    hours,
    summary_words,
)

SIZE = 1000
CENTRE = SIZE / 2
RADIUS = 200
LABEL_GAP = 18
LABEL_CHARACTERS = 28
NODE_RADIUS = 9
FOCUS_RADIUS = 15
BRIDGE_HALF = 13
MIN_WIDTH = 1.5
MAX_EXTRA_WIDTH = 9.0


def period_words(view: NetworkView) -> str:
    first = date_format(view.scope.first, "F Y")
    last = date_format(view.scope.last, "F Y")
    if first == last:
        return first
    return _("%(first)s to %(last)s") % {"first": first, "last": last}


def short(name: str) -> str:
    if len(name) <= LABEL_CHARACTERS:
        return name
    return name[: LABEL_CHARACTERS - 1].rstrip() + "…"


def _groups_order(rows: list[NodeRow], links: list[LinkRow]) -> list[NodeRow]:
    """The drawn organisations grouped by connected group (biggest hours first)."""
    parent = {row.id: row.id for row in rows}

    def find(n: int) -> int:
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    for link_row in links:
        parent[find(link_row.link.a)] = find(link_row.link.b)
    first_seen: dict[int, int] = {}
    for position, row in enumerate(rows):
        first_seen.setdefault(find(row.id), position)
    position_of = {row.id: position for position, row in enumerate(rows)}
    return sorted(rows, key=lambda row: (first_seen[find(row.id)], position_of[row.id]))


def layout(view: NetworkView, rows: list[NodeRow], links: list[LinkRow]):
    """{organisation id: (x, y, angle in degrees)}: the focus in the middle."""
    placed: dict[int, tuple[float, float, float]] = {}
    around = [row for row in rows if not row.focus]
    if len(around) < len(rows):
        focus = next(row for row in rows if row.focus)
        placed[focus.id] = (CENTRE, CENTRE, 0.0)
    else:
        around = _groups_order(rows, links)
    count = max(len(around), 1)
    for index, row in enumerate(around):
        angle = -90 + 360 * index / count  # from the top, clockwise
        radians = math.radians(angle)
        placed[row.id] = (
            CENTRE + RADIUS * math.cos(radians),
            CENTRE + RADIUS * math.sin(radians),
            angle,
        )
    return placed


def _number(value: float) -> str:
    return f"{value:.1f}"


def _link(row: LinkRow, placed, biggest: int) -> SafeString:
    x1, y1, _a = placed[row.link.a]
    x2, y2, _b = placed[row.link.b]
    minutes = row.link.shown_minutes
    if minutes is None:
        width, css = MIN_WIDTH, "net-link net-link--withheld"
    else:
        width = MIN_WIDTH + MAX_EXTRA_WIDTH * math.sqrt(minutes / biggest)
        css = "net-link"
    label = _("%(a)s and %(b)s: %(hours)s") % {
        "a": row.a_name,
        "b": row.b_name,
        "hours": hours(minutes),
    }
    return format_html(
        '<line class="{}" x1="{}" y1="{}" x2="{}" y2="{}" stroke-width="{}"><title>{}</title>'
        "</line>",
        css,
        _number(x1),
        _number(y1),
        _number(x2),
        _number(y2),
        _number(width),
        label,
    )


def _node(row: NodeRow, placed) -> SafeString:
    x, y, angle = placed[row.id]
    node = row.node
    title = row.name
    if node.is_bridge:
        title += " · " + _("bridge")
    if row.focus:
        shape = format_html(
            '<circle class="net-node net-node--focus-ring" cx="{}" cy="{}" r="{}"></circle>'
            '<circle class="net-node net-node--focus" cx="{}" cy="{}" r="{}"></circle>',
            _number(x),
            _number(y),
            FOCUS_RADIUS + 5,
            _number(x),
            _number(y),
            FOCUS_RADIUS,
        )
    elif node.is_bridge:
        points = " ".join(
            f"{_number(x + dx)},{_number(y + dy)}"
            for dx, dy in ((0, -BRIDGE_HALF), (BRIDGE_HALF, 0), (0, BRIDGE_HALF), (-BRIDGE_HALF, 0))
        )
        shape = format_html(
            '<polygon class="net-node net-node--bridge" points="{}"></polygon>', points
        )
    else:
        shape = format_html(
            '<circle class="net-node" cx="{}" cy="{}" r="{}"></circle>',
            _number(x),
            _number(y),
            NODE_RADIUS,
        )
    if row.focus:
        label = format_html(
            '<text class="net-label net-label--focus" x="{}" y="{}" text-anchor="middle">{}</text>',
            _number(x),
            _number(y + FOCUS_RADIUS + 26),
            short(row.name),
        )
    else:
        radians = math.radians(angle)
        gap = BRIDGE_HALF + LABEL_GAP if node.is_bridge else NODE_RADIUS + LABEL_GAP
        lx = x + gap * math.cos(radians)
        ly = y + gap * math.sin(radians)
        left = math.cos(radians) < -1e-9
        rotate = angle + 180 if left else angle
        label = format_html(
            '<text class="net-label{}" x="{}" y="{}" text-anchor="{}" dominant-baseline="middle" '
            'transform="rotate({} {} {})">{}</text>',
            " net-label--bridge" if node.is_bridge else "",
            _number(lx),
            _number(ly),
            "end" if left else "start",
            _number(rotate),
            _number(lx),
            _number(ly),
            short(row.name),
        )
    return format_html('<g class="net-org"><title>{}</title>{}{}</g>', title, shape, label)


def description(view: NetworkView, rows: list[NodeRow], links: list[LinkRow]) -> str:
    """The picture's text alternative: the measures, then what is drawn."""
    sentences = summary_words(view)
    with_links = [row for row in view.organisations if not row.node.isolated or row.focus]
    if len(rows) < len(with_links):
        sentences.append(
            _(
                "The picture draws %(drawn)s of the %(total)s organisations with links, those "
                "with the most hours across their boundaries; the tables list them all."
            )
            % {"drawn": len(rows), "total": len(with_links)}
        )
    else:
        sentences.append(_("The tables beside the picture list every organisation and link."))
    if len(links) >= DRAWN_LINKS:
        sentences.append(
            _("Among them it draws the %(count)s links with the most hours.")
            % {"count": len(links)}
        )
    return " ".join(sentences)


def network_svg(view: NetworkView, limit: int = DRAWN) -> SafeString:
    """The network of ``view`` as one ``<svg>`` element."""
    rows, links = drawn(view, limit)
    title = _("Collaboration network, %(period)s") % {"period": period_words(view)}
    if view.focus is not None:
        title = _("%(name)s and its partners, %(period)s") % {
            "name": view.focus.name,
            "period": period_words(view),
        }
    desc = description(view, rows, links)
    if not rows:
        body = format_html(
            '<text class="net-empty" x="{}" y="{}" text-anchor="middle">{}</text>',
            CENTRE,
            CENTRE,
            _("No organisation exchanged hours with another in this period."),
        )
    else:
        placed = layout(view, rows, links)
        biggest = max((row.link.shown_minutes or 0 for row in links), default=0) or 1
        # Withheld links first, so the links with hours are drawn over them.
        ordered = sorted(links, key=lambda row: (not row.link.withheld, row.link.minutes))
        body = format_html(
            '<g class="net-links">{}</g><g class="net-orgs">{}</g>',
            format_html_join("", "{}", ((_link(row, placed, biggest),) for row in ordered)),
            format_html_join("", "{}", ((_node(row, placed),) for row in rows)),
        )
    return format_html(
        '<svg class="network-chart__svg" viewBox="0 0 {size} {size}" role="img" '
        'aria-labelledby="network-title network-desc" xmlns="http://www.w3.org/2000/svg">'
        '<title id="network-title">{title}</title><desc id="network-desc">{desc}</desc>'
        "{body}</svg>",
        size=SIZE,
        title=title,
        desc=desc,
        body=body,
    )

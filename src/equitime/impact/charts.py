"""Charts drawn on the server as inline SVG: no script, nothing from a CDN.

Each chart is an image to assistive technology (``role="img"``, named by its
``<title>`` and described by its ``<desc>``, which says the figures in a
sentence), every bar carries its figure as a direct label, and a withheld
cell is drawn with a hatched outline and the word "withheld", so neither
colour nor length alone says anything. The page puts each chart's data
table beside it.
"""

from collections.abc import Sequence
from datetime import date

from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from equitime.impact.selectors import Cell

WIDTH = 640
BAR = 26
GAP = 14
LABEL = 22  # the line of text above each bar
FONT = 17
COLUMN_HEIGHT = 220
WITHHELD = "withheld"


def _hatch(pattern_id: str) -> str:
    return (
        f'<defs><pattern id="{pattern_id}" width="8" height="8" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="8" height="8" class="chart__hatch-bg"/>'
        f'<line x1="0" y1="0" x2="0" y2="8" class="chart__hatch-line"/></pattern></defs>'
    )


def _figure(cell: Cell) -> str:
    return _("withheld") if cell.withheld else _("%(hours)s h") % {"hours": cell.figure}


def _description(title: str, cells: Sequence[Cell]) -> str:
    parts = [f"{c.label}: {_figure(c)}" for c in cells]
    return (
        f"{title}. " + "; ".join(parts) + "."
        if parts
        else _("%(title)s: no hours.") % {"title": title}
    )


def _open(chart_id: str, title: str, desc: str, width: int, height: int) -> str:
    return (
        f'<svg class="chart" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>'
    )


def bar_chart(chart_id: str, title: str, cells: Sequence[Cell]) -> SafeString:
    """Horizontal bars, one per cell, its name above it and its hours at its end."""
    biggest = max((c.minutes or 0 for c in cells), default=0) or 1
    step = LABEL + BAR + GAP
    height = max(step * len(cells), step)
    out = [_open(chart_id, title, _description(title, cells), WIDTH, height), _hatch(chart_id)]
    for i, cell in enumerate(cells):
        y = i * step
        out.append(
            f'<text x="0" y="{y + LABEL - 6}" class="chart__label" font-size="{FONT}">'
            f"{escape(cell.label)}</text>"
        )
        if cell.withheld:
            out.append(
                f'<rect x="0" y="{y + LABEL}" width="60" height="{BAR}" fill="url(#{chart_id})" '
                f'class="chart__bar chart__bar--withheld"/>'
                f'<text x="70" y="{y + LABEL + BAR - 8}" class="chart__value" '
                f'font-size="{FONT}">{escape(_("withheld (fewer than 5 members)"))}</text>'
            )
            continue
        minutes = cell.minutes or 0
        width = max(2, round((WIDTH - 130) * minutes / biggest))
        out.append(
            f'<rect x="0" y="{y + LABEL}" width="{width}" height="{BAR}" class="chart__bar"/>'
            f'<text x="{width + 8}" y="{y + LABEL + BAR - 8}" class="chart__value" '
            f'font-size="{FONT}">{escape(_figure(cell))}</text>'
        )
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 - every text above is escaped


def column_chart(chart_id: str, title: str, cells: Sequence[Cell]) -> SafeString:
    """Vertical bars, one per month, its hours above it and the month below."""
    biggest = max((c.minutes or 0 for c in cells), default=0) or 1
    count = max(len(cells), 1)
    slot = WIDTH / count
    bar = max(4.0, slot * 0.7)
    top = 2 * FONT + 4
    bottom = 2 * FONT + 8
    height = COLUMN_HEIGHT + top + bottom
    out = [_open(chart_id, title, _description(title, cells), WIDTH, height), _hatch(chart_id)]
    base = top + COLUMN_HEIGHT
    out.append(f'<line x1="0" y1="{base}" x2="{WIDTH}" y2="{base}" class="chart__axis"/>')
    small = FONT if count <= 12 else 12
    for i, cell in enumerate(cells):
        x = i * slot + (slot - bar) / 2
        middle = i * slot + slot / 2
        month, year = _month_and_year(cell)
        out.append(
            f'<text x="{middle:.1f}" y="{base + small + 4}" text-anchor="middle" '
            f'class="chart__label" font-size="{small}">{escape(month)}</text>'
            f'<text x="{middle:.1f}" y="{base + 2 * small + 6}" text-anchor="middle" '
            f'class="chart__label" font-size="{small}">{escape(year)}'
            f"</text>"
        )
        if cell.withheld:
            out.append(
                f'<rect x="{x:.1f}" y="{base - 30}" width="{bar:.1f}" height="30" '
                f'fill="url(#{chart_id})" class="chart__bar chart__bar--withheld"/>'
                f'<text x="{middle:.1f}" y="{base - 36}" text-anchor="middle" '
                f'class="chart__value" font-size="{small}">{escape(_("withheld"))}</text>'
            )
            continue
        minutes = cell.minutes or 0
        h = round(COLUMN_HEIGHT * minutes / biggest)
        out.append(
            f'<rect x="{x:.1f}" y="{base - h}" width="{bar:.1f}" height="{h}" '
            f'class="chart__bar"/>'
            f'<text x="{middle:.1f}" y="{base - h - 6}" text-anchor="middle" '
            f'class="chart__value" font-size="{small}">{escape(cell.figure)}</text>'
        )
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 - every text above is escaped


def _month_and_year(cell: Cell) -> tuple[str, str]:
    """A month's cell (key "2026-04") as its short name in the reader's
    language ("Apr", "Ebr") and its year; any other cell as its label."""
    try:
        month = date.fromisoformat(f"{cell.key}-01")
    except ValueError:
        return cell.label, ""
    return date_format(month, "M"), str(month.year)

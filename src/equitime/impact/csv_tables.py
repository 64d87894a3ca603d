"""Every impact table as CSV, the same cells the page shows.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-``, ``@`` (or a
tab or carriage return) as a formula; labels here come partly from what
members typed (professions), so such a cell is written with a leading
apostrophe (OWASP's advice on CSV injection). A withheld cell says "withheld".
"""

import csv
import io

from django.utils.translation import gettext as _

from equitime.impact.filters import Scope
from equitime.impact.selectors import Table

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> str:
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def table_csv(table: Table, scope: Scope, organisation_name: str | None) -> str:
    """The table with a first line saying what it is, for which scope and period."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(
        [
            neutralise(table.title),
            neutralise(organisation_name or _("The whole community")),
            f"{scope.first:%Y-%m}",
            f"{scope.last:%Y-%m}",
        ]
    )
    withheld = _("withheld")
    writer.writerow(
        [neutralise(table.key_heading), _("Hours"), _("Exchanges"), _("Members (at least)")]
    )
    for cell in table.cells:
        if cell.withheld:
            writer.writerow([neutralise(cell.label), withheld, withheld, withheld])
        else:
            writer.writerow([neutralise(cell.label), cell.hours, cell.exchanges, cell.members])
    return out.getvalue()

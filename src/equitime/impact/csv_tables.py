"""Every impact table as CSV, the same cells the page shows.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-``, ``@`` (or a
tab or carriage return) as a formula; labels here come partly from what
members typed (professions), so such a cell is written with a leading
apostrophe (OWASP's advice on CSV injection). A withheld cell says "withheld".
"""

import csv
import io

from django.utils.translation import gettext as _

from equitime.core.csv import csv_safe
from equitime.impact.filters import Scope
from equitime.impact.selectors import Table


def table_csv(table: Table, scope: Scope, organisation_name: str | None) -> str:
    """The table with a first line saying what it is, for which scope and period."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(
        [
            csv_safe(table.title),
            csv_safe(organisation_name or _("The whole community")),
            f"{scope.first:%Y-%m}",
            f"{scope.last:%Y-%m}",
        ]
    )
    withheld = _("withheld")
    writer.writerow(
        [csv_safe(table.key_heading), _("Hours"), _("Exchanges"), _("Members (at least)")]
    )
    for cell in table.cells:
        if cell.withheld:
            writer.writerow([csv_safe(cell.label), withheld, withheld, withheld])
        else:
            writer.writerow([csv_safe(cell.label), cell.hours, cell.exchanges, cell.members])
    return out.getvalue()

"""The CPD record as CSV: one row per activity, then a totals row.

A spreadsheet treats a cell that starts with = + - @ (or a tab or carriage
return) as a formula, so such a cell gets a leading apostrophe (CSV
injection); minutes stay numbers, which are never text a member wrote.
"""

import csv
import io

from django.utils.translation import gettext as _

from equitime.core.csv import csv_safe
from equitime.core.units import format_credits
from equitime.cpd.selectors import ATTENDED, GIVEN, RECEIVED, CpdRecord


def header() -> list[str]:
    return [
        _("Date"),
        _("Given or received"),
        _("Activity"),
        _("Hours"),
        _("Minutes"),
        _("Colleague"),
        _("Profession"),
        _("Organisation"),
        _("Title"),
        _("Skills"),
        _("Improvement area"),
        _("Thanks received"),
        _("Impact noted"),
        _("What happened"),
        _("What I learned"),
        _("How it changed my practice"),
        _("Standards"),
    ]


def record_csv(record: CpdRecord) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header())
    for a in record.activities:
        colleague = a.colleague
        if colleague is None and a.attendees is not None:
            colleague_name = _("%(count)s attended") % {"count": a.attendees}
        else:
            colleague_name = colleague.name if colleague else ""
        reflection = a.reflection
        row = [
            a.day.isoformat(),
            a.role_label,
            _("Exchange") if a.kind == "exchange" else _("Group session"),
            format_credits(a.minutes),
            a.minutes,
            colleague_name,
            colleague.profession if colleague else "",
            colleague.organisation if colleague else "",
            a.title,
            "; ".join(a.skills),
            a.area,
            "\n".join(f"{t.author}: {t.message}" for t in a.thanks),
            "\n".join(t.impact for t in a.thanks if t.impact),
            reflection.what_happened if reflection else "",
            reflection.learned if reflection else "",
            reflection.practice_change if reflection else "",
            reflection.standards if reflection else "",
        ]
        writer.writerow([csv_safe(cell) for cell in row])
    # The totals: minutes by role, on one line each, in the Minutes column.
    width = len(header())
    for role, label in (
        (GIVEN, _("Total given")),
        (RECEIVED, _("Total received")),
        (ATTENDED, _("Total attended")),
    ):
        minutes = record.minutes(role)
        row = ["", label, "", format_credits(minutes), minutes]
        writer.writerow(row + [""] * (width - len(row)))
    return out.getvalue()

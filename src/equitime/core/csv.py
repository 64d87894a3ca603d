"""Cells of the CSV files members and operators download (the CPD record, the
impact tables, the operators' exports), safe to open in a spreadsheet.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a
formula, and tab, carriage return or a line feed can shift text into one (CSV
or formula injection, OWASP): such a text cell is written with a leading
apostrophe, which spreadsheets show as text. Numbers stay numbers.
"""

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def csv_safe(value: Any) -> Any:
    """``value`` as a cell: text that could start a formula (after any spaces)
    gets a leading apostrophe; None is an empty cell; anything else is kept."""
    if value is None:
        return ""
    if isinstance(value, str) and value.lstrip(" ").startswith(FORMULA_STARTS):
        return "'" + value
    return value

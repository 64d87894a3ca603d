"""Every CSV a member or an operator downloads writes its cells through ``csv_safe``."""

import pytest

from equitime.core.csv import csv_safe


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+44 20 7946 0000", "'+44 20 7946 0000"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("  =1+1", "'  =1+1"),
        ("\nx", "'\nx"),
        ("Amina Okafor", "Amina Okafor"),
        ("", ""),
        (-120, -120),
        (None, ""),
    ],
    ids=[
        "equals",
        "plus",
        "minus",
        "at",
        "tab",
        "carriage-return",
        "spaces-first",
        "line-feed",
        "plain",
        "empty",
        "number",
        "nothing",
    ],
)
def test_cells_that_could_start_a_formula_are_neutralised(cell, written):
    assert csv_safe(cell) == written

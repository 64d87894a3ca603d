"""The README and the documents beside it stand on their own in a fresh clone:
no path that leaves the repository, and every link to a file finds it."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
# A parent directory, or a place on the machine the project happened to be written on.
OUTSIDE = re.compile(r"(?<![\w.])\.\./|/work/|/home/|/Users/|~/")
MARKDOWN_LINK = re.compile(r"\]\(([^)\s#]+)(?:#[^)]*)?\)")


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: path.name)
def test_no_document_points_outside_the_repository(document):
    lines = document.read_text().splitlines()
    outside = [f"{number}: {line}" for number, line in enumerate(lines, 1) if OUTSIDE.search(line)]
    assert outside == []


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: path.name)
def test_links_to_files_find_them(document):
    targets = [
        target
        for target in MARKDOWN_LINK.findall(document.read_text())
        if not re.match(r"[a-z]+:", target)  # http:, https:, mailto:
    ]
    missing = [target for target in targets if not (document.parent / target).exists()]
    assert missing == []

"""The checks every commit meets (issue 11 §7): djLint passes over every template."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[4]

pytestmark = pytest.mark.skipif(
    not (ROOT / "pyproject.toml").is_file(), reason="runs from a checkout, not an installed package"
)


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own tools from this interpreter's environment
        [sys.executable, "-m", *args],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_every_template_passes_djlint():
    found = run("djlint", "--lint", "src/equitime")

    assert found.returncode == 0, found.stdout + found.stderr
    assert "found 0 errors" in found.stdout


def test_make_lint_runs_djlint_over_the_templates():
    makefile = (ROOT / "Makefile").read_text()
    lint = makefile.split("\nlint:", 1)[1].split("\n\n", 1)[0]

    assert "djlint --lint src/equitime" in lint

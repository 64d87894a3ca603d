"""The checks every commit meets (issue 11 §7): ruff refuses naive datetimes and
banned imports, djLint passes over every template, and the pre-commit
configuration runs the project's own pinned tools, with no network."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

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


def ruff_codes(source: str, *, path: str) -> set[str]:
    found = run(
        *("ruff", "check", "--no-cache", "--output-format", "concise"),
        *("--stdin-filename", path, "-"),
        stdin=source,
    )
    return set(re.findall(r":\d+:\d+: ([A-Z]+\d+)", found.stdout))


RUNTIME_CODE = """\
import datetime as dt

from django.test import Client

print(Client, dt.datetime.now(), dt.datetime.utcnow(), dt.date.today(), dt.datetime(2026, 1, 1))
"""


def test_ruff_refuses_naive_datetimes_and_test_tooling_in_runtime_code():
    codes = ruff_codes(RUNTIME_CODE, path="src/equitime/core/example.py")

    assert {"DTZ005", "DTZ003", "DTZ011", "DTZ001"} <= codes  # naive datetimes
    assert "TID251" in codes  # django.test outside tests, datetime.now, utcnow


def test_ruff_lets_tests_use_django_test_but_not_naive_datetimes():
    codes = ruff_codes(RUNTIME_CODE, path="src/equitime/core/tests/test_example.py")

    assert "DTZ005" in codes
    assert "TID251" not in codes


def test_ruff_passes_an_aware_clock():
    source = "from django.utils import timezone\n\nprint(timezone.now(), timezone.localdate())\n"

    assert ruff_codes(source, path="src/equitime/core/example.py") == set()


def test_every_template_passes_djlint():
    found = run("djlint", "--lint", "src/equitime")

    assert found.returncode == 0, found.stdout + found.stderr
    assert "found 0 errors" in found.stdout


def test_make_lint_runs_djlint_over_the_templates():
    makefile = (ROOT / "Makefile").read_text()
    lint = makefile.split("\nlint:", 1)[1].split("\n\n", 1)[0]

    assert "djlint --lint src/equitime" in lint


def test_pre_commit_runs_the_projects_pinned_tools_without_network():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    hooks = {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}

    assert {repo["repo"] for repo in config["repos"]} == {"local"}
    assert {"ruff-check", "ruff-format", "djlint", "migrations"} <= set(hooks)
    for hook in hooks.values():
        tool = hook["entry"].split()[0]
        assert tool.startswith(".venv/bin/"), hook["id"]
        assert hook["language"] == "system", hook["id"]

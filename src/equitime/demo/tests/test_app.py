"""The demo is an app of its own at the top layer (issue 11): its command
lives in it, nothing else imports it, and runtime code, the demo included,
never imports Django's test tools."""

import ast
from pathlib import Path

from django.core.management import get_commands

import equitime

PACKAGE = Path(equitime.__file__).parent
DEMO = PACKAGE / "demo"


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return names


def is_test_code(path: Path) -> bool:
    parts = path.relative_to(PACKAGE).parts
    return (
        "tests" in parts or "browser_tests" in parts or path.name in ("conftest.py", "testing.py")
    )


def test_the_demo_command_belongs_to_the_demo_app():
    assert get_commands()["demo"] == "equitime.demo"


def test_nothing_outside_the_demo_imports_it():
    importers = [
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if not path.is_relative_to(DEMO)
        and any(
            name == "equitime.demo" or name.startswith("equitime.demo.")
            for name in imported_modules(path)
        )
    ]
    assert importers == []


def test_runtime_code_never_imports_django_test():
    importers = [
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if not is_test_code(path)
        and any(
            name == "django.test" or name.startswith("django.test.")
            for name in imported_modules(path)
        )
    ]
    assert importers == []

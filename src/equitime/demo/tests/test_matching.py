"""The demo's invitations to help, the benchmark's short run on the demo, and
running the demo again adds none."""

import io
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings

from equitime.demo.content import SIGN_IN_EMAIL
from equitime.matching.evaluation import evaluate, evaluation_set
from equitime.matching.models import HelpInvitation, SuggestionSettings

pytestmark = pytest.mark.django_db
BENCH = Path(__file__).resolve().parents[4] / "bench" / "matching.py"


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
def test_the_demo_has_invitations_and_the_benchmark_runs_on_it():
    call_command("demo", stdout=io.StringIO())
    statuses = sorted(HelpInvitation.objects.values_list("status", flat=True))
    assert statuses == ["asked", "asked", "declined"]
    assert HelpInvitation.objects.filter(helper__email=SIGN_IN_EMAIL, status="asked").exists()
    assert SuggestionSettings.objects.filter(suggestable=False).count() == 1

    # The benchmark's evaluation, small: it runs and says its figures (not timed).
    cases = evaluation_set()
    assert cases and all(case.right for case in cases)
    lines = evaluate(cases).lines("demo")
    assert any("precision@5" in line for line in lines)
    assert any("recall@10" in line for line in lines)

    call_command("demo", stdout=io.StringIO())
    assert HelpInvitation.objects.count() == 3


def test_the_benchmark_script_knows_its_options():
    done = subprocess.run(  # noqa: S603  (this venv's Python, our own script)
        [sys.executable, str(BENCH), "--help"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0 and "--database-dir" in done.stdout

"""The README's curl walkthrough, run as written against a live server with
the demo community, so the documented examples stay true."""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from equitime.exchanges.models import Exchange, Status
from equitime.ledger.verify import verify_ledger
from equitime.members.models import Member

README = Path(__file__).resolve().parents[4] / "README.md"
HEADING = "### A full exchange with curl"

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def walkthrough() -> str:
    text = README.read_text()
    after = text[text.index(HEADING) :]
    block = re.search(r"```sh\n(.*?)```", after, re.DOTALL)
    assert block, f"no sh block after {HEADING!r}"
    return block.group(1)


def database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def available(email: str) -> int:
    return Member.objects.get(email=email).account.available


def test_the_readme_walkthrough_runs_as_written(live_server):
    for tool in ("bash", "curl", "jq"):
        if shutil.which(tool) is None:
            pytest.fail(f"The README walkthrough needs {tool}; install it (CI machines have it).")
    call_command("demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    amina, wei = "amina.okafor@demo.equitime.org", "wei.zhang@demo.equitime.org"
    before = available(amina), available(wei)
    venv_bin = str(Path(sys.executable).parent)
    env = {
        **os.environ,
        "BASE": f"{live_server.url}/api/v1",
        "DATABASE_URL": database_url(),
        "PATH": f"{venv_bin}:{os.environ.get('PATH', '')}",
    }

    result = subprocess.run(  # noqa: S603
        ["bash", "-euo", "pipefail", "-c", walkthrough()],  # noqa: S607
        capture_output=True,
        text=True,
        env=env,
        cwd=README.parent,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stderr + result.stdout
    assert '"status": "completed"' in result.stdout, result.stdout
    exchange = Exchange.objects.get(
        listing__title="Survival analysis in R for readmission data",
        receiver__email=amina,
        status=Status.COMPLETED,
        logged_minutes=90,
    )
    assert exchange.provider.email == wei
    assert (available(amina), available(wei)) == (before[0] - 90, before[1] + 90)
    balances = [
        json.loads(block)
        for block in re.findall(r"^\{\n.*?^\}", result.stdout, re.DOTALL | re.MULTILINE)
    ]
    assert {"balance_minutes", "held_minutes", "available_minutes"} <= set(balances[-2])
    assert balances[-1]["direction"] == "out" and balances[-1]["minutes"] == 90
    assert verify_ledger().ok

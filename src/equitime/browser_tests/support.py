"""What several browser tests do the same way: keep a screenshot, ask axe,
sign a new member up."""

import os
import re
from collections.abc import Callable
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from django.core import mail
from playwright.sync_api import Page, expect

PASSWORD = "a long enough pass 2026"

# Screenshots the tests take, kept after the run for a person to look at.
ARTEFACTS = Path(
    os.environ.get(
        "EQUITIME_ARTEFACTS", Path(__file__).resolve().parents[3] / "build" / "test-artefacts"
    )
)


def artefact(*parts: str) -> Path:
    """Where to keep a screenshot: ``artefact("first-week", "390", "01-home.png")``
    is under ``build/test-artefacts/`` (``EQUITIME_ARTEFACTS`` moves it), its folder made."""
    path = ARTEFACTS.joinpath(*parts)
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def artefact_folder(*parts: str) -> Path:
    """A folder of screenshots under ``build/test-artefacts/``, made if missing."""
    folder = ARTEFACTS.joinpath(*parts)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def assert_no_axe_violations(page: Page, where: str) -> None:
    """axe-core finds nothing, of any impact, on the page as it is now."""
    violations = Axe().run(page, options={"resultTypes": ["violations"]}).response["violations"]
    found = [
        f"{v['id']} ({v['impact']}): {[node['target'] for node in v['nodes']][:5]}"
        for v in violations
    ]
    assert found == [], f"{where}: {found}"


def sign_up(
    page: Page, *, name: str, email: str, look: Callable[[Page], None] | None = None
) -> None:
    """Join through the sign-up form and confirm the address from its e-mail;
    ``look`` is called on the empty form first. Ends on the dashboard."""
    page.goto("/accounts/signup/")
    if look is not None:
        look(page)
    page.get_by_label("Your name").fill(name)
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    confirm_email(page, email=email)


def confirm_email(page: Page, *, email: str) -> None:
    """Open the link from the confirmation e-mail and confirm: trading waits for it."""
    letters = [m for m in mail.outbox if email in m.to]
    assert letters, f"no confirmation e-mail to {email}"
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", str(letters[-1].body))
    assert link, letters[-1].body
    page.goto(link.group(0))
    page.get_by_role("button", name="Confirm").click()
    page.goto("/dashboard/")

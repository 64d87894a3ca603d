"""axe-core on every main page, as the people who see it.

Each page is its own test case. A page passes when axe finds nothing of
"serious" or "critical" impact; the failure message lists each violation
with the elements it found, so it can be fixed without running axe again.
Moderate and minor findings are printed (run with -s to see them) but do
not fail the test.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

BLOCKING = {"serious", "critical"}
axe = Axe()


def submit_empty(button: str) -> Callable[[Page], None]:
    """Send a form with nothing filled in, so that it comes back with errors."""

    def act(page: Page) -> None:
        page.get_by_role("button", name=button).click()
        expect(page.get_by_role("alert")).to_contain_text("There is a problem")

    return act


def decline_without_reason(page: Page) -> None:
    page.locator("summary", has_text="Decline").click()  # opens the disclosure
    page.get_by_role("button", name="Decline").click()
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")


@dataclass(frozen=True)
class Case:
    """A page: who looks at it (None, "owner" or "other"), its address, and
    what they do there before axe looks."""

    who: str | None
    path: Callable
    act: Callable[[Page], None] | None = None


def exchange(state: str) -> Callable:
    return lambda s: f"/exchanges/{s.exchanges[state].pk}/"


PAGES: dict[str, Case] = {
    "home": Case(None, lambda s: "/"),
    "sign-in": Case(None, lambda s: "/accounts/login/"),
    "sign-up": Case(None, lambda s: "/accounts/signup/"),
    "sign-up-errors": Case(None, lambda s: "/accounts/signup/", submit_empty("Sign up")),
    "password-reset": Case(None, lambda s: "/accounts/password/reset/"),
    "dashboard": Case("owner", lambda s: "/dashboard/"),
    "browse": Case("other", lambda s: "/listings/"),
    "listing-as-owner": Case("owner", lambda s: f"/listings/{s.offer.pk}/"),
    "listing-as-other": Case("other", lambda s: f"/listings/{s.offer.pk}/"),
    "offer-new": Case("owner", lambda s: "/listings/new/offer/"),
    "offer-new-errors": Case("owner", lambda s: "/listings/new/offer/", submit_empty("Publish")),
    "request-new": Case("other", lambda s: "/listings/new/request/"),
    "listing-edit": Case("owner", lambda s: f"/listings/{s.offer.pk}/edit/"),
    **{
        f"exchange-{state}-as-{role}": Case(who, exchange(state))
        for state in ("proposed", "accepted", "delivered", "completed")
        for role, who in (("provider", "owner"), ("receiver", "other"))
    },
    "exchange-decline-errors": Case("owner", exchange("proposed"), decline_without_reason),
    "exchanges": Case("owner", lambda s: "/exchanges/"),
    "exchange-new": Case("owner", lambda s: "/exchanges/new/"),
    "members": Case("other", lambda s: "/members/"),
    "profile": Case("other", lambda s: f"/members/{s.owner.pk}/"),
    "profile-edit": Case("owner", lambda s: "/profile/edit/"),
    "give": Case("owner", lambda s: "/give/"),
    "notifications": Case("owner", lambda s: "/notifications/"),
}


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"{violation['id']} ({violation['impact']}): {violation['help']}"
            f" <{violation['helpUrl']}>"
        )
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            lines.append(f"    at {target}")
            lines.append(f"       {node['html'][:200]}")
            for summary in node.get("failureSummary", "").splitlines()[1:]:
                lines.append(f"       - {summary.strip()}")
    return "\n".join(lines)


@pytest.mark.parametrize("name", list(PAGES))
def test_page_has_no_serious_accessibility_violations(name, request, new_page):
    case = PAGES[name]
    scenario = request.getfixturevalue("scenario") if case.who else None
    member = getattr(scenario, case.who) if case.who else None
    page = new_page(as_member=member)

    response = page.goto(case.path(scenario))
    assert response is not None and response.ok, f"{name}: HTTP {response and response.status}"
    # A page that bounced to sign-in would be tested in place of the real one.
    if member is not None:
        expect(page).not_to_have_url(re.compile(r"/accounts/login/"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    if case.act is not None:
        case.act(page)

    violations = axe.run(page).response["violations"]
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    others = [v for v in violations if v["impact"] not in BLOCKING]
    if others:
        print(f"\n{name} ({page.url}), not blocking:\n{describe(others)}")
    assert not blocking, f"{name} ({page.url}):\n{describe(blocking)}"


def test_axe_reports_what_it_should(page):
    """The check itself works: a page broken on purpose fails it. Without
    this, a run that silently checked nothing would look like a clean pass."""
    page.goto("/")
    page.evaluate(
        """() => {
            const main = document.querySelector("main");
            main.insertAdjacentHTML("beforeend", '<img src="/nowhere.png"><input type="text">');
        }"""
    )
    violations = axe.run(page).response["violations"]
    found = {v["id"] for v in violations if v["impact"] in BLOCKING}
    assert {"image-alt", "label"} <= found, describe(violations)

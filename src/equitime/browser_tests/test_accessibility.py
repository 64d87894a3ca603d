"""axe-core on every main page, as the people who see it.

Each page is its own test case. A page passes when axe finds nothing, of
any impact (minor and moderate findings fail it too); the failure message
lists each violation with the elements it found, so it can be fixed without
running axe again.

Pages that only some people see (moderators, community administrators, a
member who has not confirmed their address) are looked at as those people,
with the data of the ``community`` fixture.
"""

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from equitime.core.unsubscribe import unsubscribe_path
from equitime.members.tests.factories import PASSWORD
from equitime.sso_settings import oidc_apps_from_env

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

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


def suspend_without_reason(page: Page) -> None:
    page.locator("summary", has_text="Suspend this member").click()
    page.get_by_role("button", name="Suspend", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")


def reauthenticate(page: Page) -> None:
    """Give the password again on allauth's page, which then goes on to the
    page that asked for it."""
    expect(page).to_have_url(re.compile(r"/accounts/reauthenticate/"))
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/reauthenticate/"))
    heading_shown(page)


def shows(*texts: str) -> Callable[[Page], None]:
    """Check the page is in the state meant to be scanned (a button, a notice)."""

    def act(page: Page) -> None:
        for text in texts:
            expect(page.locator("main").get_by_text(text).first).to_be_visible()

    return act


def then(*steps: Callable[[Page], None]) -> Callable[[Page], None]:
    def act(page: Page) -> None:
        for step in steps:
            step(page)

    return act


def make_token(page: Page) -> None:
    page.get_by_label("Name").fill("Ward audit notebook")
    page.get_by_role("button", name="Make token").click()
    expect(page.get_by_role("alert")).to_contain_text("Copy it now")


def single_sign_on(settings) -> None:
    """Both providers switched on, as their variables would in production.
    Drawing their buttons needs no network; pressing one would."""
    providers = copy.deepcopy(settings.SOCIALACCOUNT_PROVIDERS)
    providers["openid_connect"]["APPS"] = oidc_apps_from_env(
        {
            "EQUITIME_ENTRA_TENANT_ID": "0b1c2d3e-nhs-tenant",
            "EQUITIME_ENTRA_CLIENT_ID": "equitime-entra",
            "EQUITIME_ENTRA_CLIENT_SECRET": "entra-secret",
            "EQUITIME_OIDC_SERVER_URL": "https://sso.leeds-health.example/realms/staff",
            "EQUITIME_OIDC_CLIENT_ID": "equitime-generic",
            "EQUITIME_OIDC_CLIENT_SECRET": "generic-secret",
            "EQUITIME_OIDC_NAME": "Leeds Health Partners",
        }
    )
    settings.SOCIALACCOUNT_PROVIDERS = providers


def heading_shown(page: Page) -> None:
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def swagger_ui_drawn(page: Page) -> None:
    """Swagger UI draws the page from the schema it fetches; wait for the operations."""
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Equitime")
    expect(page.locator(".swagger-ui .opblock").first).to_be_visible()


# What axe finds in Swagger UI's own markup and stylesheet (third-party, drawn
# by its script from the schema), switched off for the API documentation page
# only. Our part of that page (its template: language, main landmark) is
# checked like any other.
SWAGGER_UI_DISABLED_RULES: dict[str, str] = {
    "color-contrast": (
        "Swagger UI's stylesheet: white on its coloured HTTP method badges (GET, POST, "
        "PUT, PATCH), its green 'Authorize' button and 'OAS 3.1' stamp, the grey "
        "'Expand all' buttons of its schemas, all below 4.5:1."
    ),
    "nested-interactive": (
        "Swagger UI draws each operation's summary as a button with the operation's "
        "path inside it as a link (ninja turns Swagger UI's deep linking on)."
    ),
    "heading-order": (
        "Swagger UI draws each tag of operations as an h3 that follows its own "
        "title block, skipping a heading level (moderate)."
    ),
}


@dataclass(frozen=True)
class Case:
    """A page: who looks at it (None for an anonymous visitor, or a person of
    the scenario: "owner", "other", or of the community: "moderator",
    "admin"...), its address, and what they do there before axe looks.

    ``data`` names the fixture that makes what the page shows (by default
    ``scenario`` for a member, nothing for an anonymous visitor); ``configure``
    changes settings first; ``status`` is the status the page is meant to
    answer with; ``disabled_rules`` are axe rules not run on this page, each
    with its reason."""

    who: str | None
    path: Callable
    act: Callable[[Page], None] | None = None
    data: str | None = None
    configure: Callable | None = None
    status: int = 200
    ready: Callable[[Page], None] = heading_shown
    disabled_rules: dict[str, str] = field(default_factory=dict)


def exchange(state: str) -> Callable:
    return lambda s: f"/exchanges/{s.exchanges[state].pk}/"


PAGES: dict[str, Case] = {
    "home": Case(None, lambda s: "/"),
    "sign-in": Case(None, lambda s: "/accounts/login/"),
    "sign-up": Case(None, lambda s: "/accounts/signup/"),
    "sign-up-errors": Case(None, lambda s: "/accounts/signup/", submit_empty("Sign up")),
    "password-reset": Case(None, lambda s: "/accounts/password/reset/"),
    "accessibility_statement": Case(None, lambda s: "/accessibility/"),
    "privacy_notice": Case(None, lambda s: "/privacy/"),
    "privacy_notice_as_member": Case("owner", lambda s: "/privacy/"),
    "dashboard": Case("owner", lambda s: "/dashboard/"),
    # The receiver's statement: holds, their release and payments, from their side.
    "dashboard-as-receiver": Case("other", lambda s: "/dashboard/"),
    "browse": Case("other", lambda s: "/listings/"),
    "group-sessions": Case("other", lambda s: "/sessions/groups/"),
    "group-session-new": Case("owner", lambda s: f"/sessions/groups/new/?listing={s.offer.pk}"),
    "group-session-new-errors": Case(
        "owner", lambda s: "/sessions/groups/new/", submit_empty("Open for sign-ups")
    ),
    "listing-as-owner": Case("owner", lambda s: f"/listings/{s.offer.pk}/"),
    "listing-as-other": Case(
        "other", lambda s: f"/listings/{s.offer.pk}/", shows("Report this listing")
    ),
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
    "calendar": Case("owner", lambda s: "/calendar/"),
    "notification-preferences": Case("owner", lambda s: "/notifications/preferences/"),
    "digest": Case("owner", lambda s: "/digest/"),
    "cpd-record": Case("owner", lambda s: "/cpd/"),
    "cpd-record-errors": Case(
        "owner", lambda s: "/cpd/?start=2026-03-02&end=2026-03-01", status=422
    ),
    "unsubscribe": Case(None, lambda s: unsubscribe_path(member_id=s.owner.pk), data="scenario"),
    "unsubscribe-invalid": Case(None, lambda s: "/unsubscribe/not-a-token/", status=404),
    # Moderation
    "moderation": Case(
        "moderator",
        lambda s: "/moderation/",
        shows("Help designing a run chart", "We met for twenty minutes", "Grace Lewis"),
        data="community",
    ),
    "listing-flag": Case("other", lambda s: f"/listings/{s.offer.pk}/flag/"),
    "listing-flag-errors": Case(
        "other", lambda s: f"/listings/{s.offer.pk}/flag/", submit_empty("Send report")
    ),
    "profile-as-moderator": Case(
        "moderator",
        lambda s: f"/members/{s.other.pk}/",
        shows("Suspend this member"),
        data="community",
    ),
    "profile-suspend-errors": Case(
        "moderator", lambda s: f"/members/{s.other.pk}/", suspend_without_reason, data="community"
    ),
    "profile-as-administrator": Case(
        "admin",
        lambda s: f"/members/{s.moderator.pk}/",
        shows("Remove moderator"),
        data="community",
    ),
    "profile-suspended-as-moderator": Case(
        "moderator", lambda s: f"/members/{s.suspended.pk}/", shows("Reinstate"), data="community"
    ),
    # Invitations
    "invitations": Case(
        "admin", lambda s: "/invitations/", shows("locum@agency.example.com"), data="community"
    ),
    "invitations-errors": Case(
        "admin", lambda s: "/invitations/", submit_empty("Send invitation"), data="community"
    ),
    "invitation-accept": Case(None, lambda s: f"/join/{s.invitation_token}/", data="community"),
    "invitation-invalid": Case(None, lambda s: "/join/no-such-invitation/", status=404),
    # Account
    "account-security": Case("owner", lambda s: "/account/security/"),
    "api-tokens": Case(
        "owner", lambda s: "/account/api-tokens/", shows("Team rota script"), data="community"
    ),
    "api-token-made": Case("owner", lambda s: "/account/api-tokens/", make_token, data="community"),
    "api-tokens-errors": Case(
        "owner", lambda s: "/account/api-tokens/", submit_empty("Make token"), data="community"
    ),
    "account-privacy": Case("owner", lambda s: "/account/privacy/"),
    "email": Case("unconfirmed", lambda s: "/accounts/email/", data="community"),
    "email-errors": Case(
        "unconfirmed", lambda s: "/accounts/email/", submit_empty("Add address"), data="community"
    ),
    "mfa": Case("owner", lambda s: "/accounts/2fa/", shows("Authenticator App")),
    "totp-activate": Case(
        "owner",
        lambda s: "/accounts/2fa/totp/activate/",
        then(reauthenticate, shows("Authenticator secret")),
    ),
    "totp-activate-errors": Case(
        "owner",
        lambda s: "/accounts/2fa/totp/activate/",
        then(reauthenticate, shows("Authenticator secret"), submit_empty("Activate")),
    ),
    "sso-connections": Case(
        "owner",
        lambda s: "/accounts/3rdparty/",
        shows("Leeds Health Partners"),
        configure=single_sign_on,
    ),
    "reauthenticate": Case("owner", lambda s: "/accounts/reauthenticate/", shows("password")),
    "reauthenticate-errors": Case(
        "owner", lambda s: "/accounts/reauthenticate/", submit_empty("Confirm")
    ),
    "dashboard-unconfirmed": Case(
        "unconfirmed",
        lambda s: "/dashboard/",
        shows("Confirm your e-mail address"),
        data="community",
    ),
    "sign-in-with-sso": Case(
        None,
        lambda s: "/accounts/login/",
        shows("Leeds Health Partners", "NHSmail"),
        configure=single_sign_on,
    ),
    # The API's documentation: Swagger UI, drawn by its own script.
    "api-docs": Case(
        "owner",
        lambda s: "/api/v1/docs",
        ready=swagger_ui_drawn,
        disabled_rules=SWAGGER_UI_DISABLED_RULES,
    ),
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
def test_page_has_no_accessibility_violations(name, request, new_page):
    case = PAGES[name]
    if case.configure is not None:
        case.configure(request.getfixturevalue("settings"))
    data = case.data or ("scenario" if case.who else None)
    scenario = request.getfixturevalue(data) if data else None
    member = getattr(scenario, case.who) if case.who else None
    page = new_page(as_member=member)

    response = page.goto(case.path(scenario))
    assert response is not None and response.status == case.status, (
        f"{name}: HTTP {response and response.status}, not {case.status}"
    )
    # A page that bounced to sign-in would be tested in place of the real one.
    if member is not None:
        expect(page).not_to_have_url(re.compile(r"/accounts/login/"))
    case.ready(page)
    if case.act is not None:
        case.act(page)

    options: dict[str, object] = {"resultTypes": ["violations"]}
    if case.disabled_rules:
        options["rules"] = {rule: {"enabled": False} for rule in case.disabled_rules}
    violations = axe.run(page, options=options).response["violations"]
    assert not violations, f"{name} ({page.url}):\n{describe(violations)}"


def test_axe_reports_what_it_should(page):
    """The check itself works: a page broken on purpose fails it. Without
    this, a run that silently checked nothing would look like a clean pass."""
    page.goto("/")
    page.evaluate(
        """() => {
            const main = document.querySelector("main");
            main.insertAdjacentHTML(
                "beforeend", '<img src="/static/equitime/favicon.svg"><input type="text">'
            );
        }"""
    )
    violations = axe.run(page).response["violations"]
    found = {v["id"] for v in violations}
    assert {"image-alt", "label"} <= found, describe(violations)

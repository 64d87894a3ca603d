"""Chromium, driven by Playwright's sync API, against pytest-django's live server.

One browser for a run of browser tests (starting Chromium is the slow part),
a fresh browser context per test, so no cookie or storage leaks from one test
into the next. Under pytest-xdist every browser test goes to one worker, one
after another (an ``xdist_group``), so that run is unbroken there too.

Playwright's sync API keeps an asyncio event loop running in the test thread
for as long as it is started, and while a loop runs:

* Django's async-safety check refuses ORM calls from the test thread, so
  DJANGO_ALLOW_ASYNC_UNSAFE is set, for exactly as long as Playwright runs;
* Django keeps the test thread's database connections in a different store
  (asgiref's Local switches to context-local storage), so the test thread gets
  new connection objects, without the snapshot of the migrated database that
  a serialized rollback restores from. ``Chromium.start`` hands the snapshot
  over to them.

So the browser is stopped, and the connections opened under its loop are
closed, as soon as the next test is not a browser test: the tests that come after
get their ordinary connections and no running loop, and on PostgreSQL no
stray connection stops the test database from being dropped.

The tests are transactional: the live server answers from its own thread and
connection, so it sees only committed data. Django empties the database after
each of them; a serialized rollback puts back what the migrations loaded (the
skills taxonomy, the community pool, content types) before the next test, and
keeps it there for the serialized-rollback tests of other apps that run later.
"""

import os
from pathlib import Path
from typing import Protocol, cast

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-gpu",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Long enough for a slow CI machine, short enough that a missing label fails fast.
TIMEOUT_MS = 10_000
ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"


class _SnapshottedConnection(Protocol):
    """A test database connection as Django's test setup leaves it: the rows it
    serialized at creation, kept on a private attribute django-stubs leave out."""

    _test_serialized_contents: str


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "browser: drives Chromium with Playwright against the live server"
    )


class Chromium:
    """The one Playwright and Chromium of a test session."""

    def __init__(self):
        self.playwright = None
        self.browser = None
        self.async_unsafe = None

    def start(self):
        if self.browser is not None:
            return self.browser
        if not CHROMIUM.exists():
            pytest.fail(
                f"Chromium is missing: the browser tests need it at {CHROMIUM}. "
                "Install it with `apt-get install chromium` (CI does).",
                pytrace=False,
            )
        from django.db import connections
        from playwright.sync_api import expect, sync_playwright

        snapshots = {
            alias: cast(_SnapshottedConnection, connections[alias])._test_serialized_contents
            for alias in connections
            if hasattr(connections[alias], "_test_serialized_contents")
        }
        self.async_unsafe = os.environ.get(ASYNC_UNSAFE)
        os.environ[ASYNC_UNSAFE] = "true"
        self.playwright = sync_playwright().start()
        expect.set_options(timeout=TIMEOUT_MS)
        for alias, snapshot in snapshots.items():
            # Looked up again: with Playwright's loop running, these are new objects.
            cast(_SnapshottedConnection, connections[alias])._test_serialized_contents = snapshot
        try:
            self.browser = self.playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
            )
        except Exception as error:
            self.stop()
            pytest.fail(f"Chromium at {CHROMIUM} did not start: {error}", pytrace=False)
        return self.browser

    def stop(self):
        if self.playwright is None:
            return
        from django.db import connections

        # While the loop still runs, so that these are the connections opened
        # under it (see the module docstring).
        connections.close_all()
        if self.browser is not None:
            self.browser.close()
        self.playwright.stop()
        self.playwright = self.browser = None
        if self.async_unsafe is None:
            os.environ.pop(ASYNC_UNSAFE, None)
        else:
            os.environ[ASYNC_UNSAFE] = self.async_unsafe


chromium = Chromium()


@pytest.fixture(scope="session")
def _chromium(django_db_setup):
    # After the test database is made, so it is dropped only after this stops.
    yield chromium
    chromium.stop()


@pytest.fixture
def browser(_chromium):
    """The session's Chromium, started again if an earlier test stopped it."""
    return _chromium.start()


def pytest_collection_modifyitems(config, items):
    """Under pytest-xdist (``make test``), one worker runs every browser test,
    one after another: one Chromium at a time, and one start of it."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.path).parents:
            item.add_marker(pytest.mark.xdist_group("browser"))


@pytest.hookimpl(trylast=True)
def pytest_runtest_teardown(item, nextitem):
    """Stop the browser after a test that uses it when the next test of this
    process does not (its own fixtures, the browser contexts and the database
    flush, are torn down by then). ``nextitem`` is what this process runs next,
    under pytest-xdist too; ``browser`` starts it again if a later test needs it."""
    if chromium.playwright is None or "browser" not in item.fixturenames:
        return
    if nextitem is None or "browser" not in getattr(nextitem, "fixturenames", ()):
        chromium.stop()


# Console errors a page may log without failing its test, each with the reason
# it is not ours to fix. Matched against the start of the message. Empty: every
# error a page logs is a fault, ours to find and fix.
ALLOWED_CONSOLE_ERRORS: tuple[str, ...] = ()
FAILED_TO_LOAD = "Failed to load resource:"


class ConsoleErrors:
    """What the pages of one test wrote to the console as errors, and the
    errors they threw: a console error is a fault a person meets as a silent
    failure (a search that never updates, a button that does nothing), so any
    one of them fails the test that met it."""

    def __init__(self):
        self.seen: list[str] = []

    def watch(self, context):
        context.on("console", self.on_console)
        context.on("weberror", self.on_page_error)

    def on_console(self, message):
        if message.type != "error" or message.text.startswith(ALLOWED_CONSOLE_ERRORS):
            return
        where = message.page.url if message.page is not None else "?"
        if message.text.startswith(FAILED_TO_LOAD) and message.location.get("url") == where:
            # The page itself came with an error status (422 for a form with
            # errors, 404 for a dead link): what the server meant to say, and
            # what the test that asked checks. A missing image, stylesheet or
            # script, or a failed htmx request, still fails.
            return
        self.seen.append(f"console error on {where}: {message.text}")

    def on_page_error(self, error):
        where = error.page.url if error.page is not None else "?"
        self.seen.append(f"uncaught error on {where}: {error.error.message}")


@pytest.fixture
def browser_console_errors():
    """The console errors of this test's pages; the test fails on any."""
    errors = ConsoleErrors()
    yield errors
    if errors.seen:
        pytest.fail(
            "The pages logged errors to the console:\n" + "\n".join(errors.seen),
            pytrace=False,
        )


@pytest.fixture
def new_context(browser, live_server, browser_console_errors):
    """Open a fresh browser context (one person's browser), closed after the test.

    ``as_member`` signs that member in by handing the browser a session cookie
    made by Django's test client, which is much faster than the sign-in form.
    Other keyword arguments go to Playwright (``java_script_enabled=False``).
    Any console error or uncaught error on any of its pages fails the test
    (``browser_console_errors``).
    """
    from django.conf import settings
    from django.test import Client

    contexts = []

    def open_context(*, as_member=None, viewport=None, **options):
        context = browser.new_context(base_url=live_server.url, viewport=viewport, **options)
        context.set_default_timeout(TIMEOUT_MS)
        browser_console_errors.watch(context)
        contexts.append(context)
        if as_member is not None:
            client = Client()
            client.force_login(as_member)
            context.add_cookies(
                [
                    {
                        "name": settings.SESSION_COOKIE_NAME,
                        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                        "url": live_server.url,
                    }
                ]
            )
        return context

    yield open_context
    for context in contexts:
        context.close()


@pytest.fixture
def new_page(new_context):
    """A page in a fresh context, optionally signed in as a member."""

    def open_page(*, as_member=None, viewport=None, **options):
        return new_context(as_member=as_member, viewport=viewport, **options).new_page()

    return open_page


@pytest.fixture
def page(new_page):
    """An anonymous visitor's page."""
    return new_page()


@pytest.fixture
def scenario(make_member):
    """Two colleagues with something on every page, made through the services.

    Amina offers survival analysis; Ben asks for help with a run chart. Ben
    has taken up Amina's offer four times, one exchange left in each state
    (proposed, accepted, hours logged, completed with thanks), so every
    page has content and every exchange page has its next step to show.
    Each exchange is half an hour, so Ben's welcome gift covers them all.
    """
    from types import SimpleNamespace

    from equitime.exchanges import services as exchanges
    from equitime.listings.models import Format, Listing
    from equitime.listings.services import listing_create
    from equitime.members.tests.factories import OrganisationFactory
    from equitime.skills.models import ImprovementArea, Skill

    owner = make_member(
        display_name="Amina Okafor",
        organisation=OrganisationFactory(name="Northfield NHS Trust"),
        profession="Medical statistician",
        bio="I help teams turn their data into evidence.",
    )
    other = make_member(
        display_name="Ben Carter",
        organisation=OrganisationFactory(name="Riverside Council"),
        profession="Social worker",
    )
    offer = listing_create(
        owner=owner,
        kind=Listing.Kind.OFFER,
        title="Survival analysis in R",
        description="I can walk you through Kaplan-Meier curves and Cox models.",
        improvement_area=ImprovementArea.objects.get(slug="clinical-effectiveness"),
        benefit="Better evidence on readmissions for the frailty team.",
        estimated_minutes=90,
        format=Format.REMOTE,
        skills=list(Skill.objects.filter(slug__in=["survival-analysis", "r-programming"])),
        languages=["English"],
    )
    request = listing_create(
        owner=other,
        kind=Listing.Kind.REQUEST,
        title="Help designing a run chart",
        description="We want to track falls on two wards, week by week.",
        improvement_area=ImprovementArea.objects.get(slug="patient-safety"),
        benefit="Seeing sooner whether our falls bundle works.",
        estimated_minutes=60,
        format=Format.EITHER,
        skills=list(Skill.objects.filter(slug="run-charts")),
    )

    def propose():
        return exchanges.exchange_propose_from_listing(
            listing=offer,
            member=other,
            minutes=30,
            message="Could we look at our 30-day readmissions together?",
        )

    proposed = propose()
    accepted = exchanges.exchange_accept(exchange=propose(), member=owner)
    delivered = exchanges.exchange_deliver(
        exchange=exchanges.exchange_accept(exchange=propose(), member=owner),
        member=owner,
        minutes=30,
    )
    completed = exchanges.exchange_confirm(
        exchange=exchanges.exchange_deliver(
            exchange=exchanges.exchange_accept(exchange=propose(), member=owner),
            member=owner,
            minutes=30,
        ),
        member=other,
    )
    exchanges.thanks_give(
        exchange=completed,
        member=other,
        message="Clear, patient and practical.",
        impact="We now report readmissions with confidence intervals.",
    )
    return SimpleNamespace(
        owner=owner,
        other=other,
        offer=offer,
        request=request,
        exchanges={
            "proposed": proposed,
            "accepted": accepted,
            "delivered": delivered,
            "completed": completed,
        },
    )


@pytest.fixture
def community(scenario, make_member):
    """The scenario, and the people who look after the community with what
    waits for them; made through the services.

    Chloe is a moderator and Dev a community administrator. Amina has reported
    Ben's request; Femi took up Amina's offer and disputes the hours she
    logged; Grace is suspended; Dev has invited a locum from outside the
    allowed domains; Amina has an API token. Hana joined but has not
    confirmed her address yet.
    """
    from types import SimpleNamespace

    from allauth.account.models import EmailAddress

    from equitime.api.services import api_token_create
    from equitime.exchanges import services as exchanges
    from equitime.members import roles
    from equitime.members.services import invitation_send, member_role_grant
    from equitime.moderation.models import ListingFlag
    from equitime.moderation.services import listing_flag, member_suspend

    moderator = member_role_grant(
        member=make_member(display_name="Chloe Adeyemi", profession="Ward sister"),
        role=roles.MODERATOR,
        by=None,
    )
    admin = member_role_grant(
        member=make_member(display_name="Dev Sharma", profession="Quality improvement lead"),
        role=roles.COMMUNITY_ADMIN,
        by=None,
    )
    listing_flag(
        listing=scenario.request,
        member=scenario.owner,
        reason=ListingFlag.Reason.ASKS_FOR_MONEY,
        note="It offers to pay for the analysis in vouchers.",
    )
    disputer = make_member(display_name="Femi Bello", profession="Physiotherapist")
    disputed = exchanges.exchange_dispute(
        exchange=exchanges.exchange_deliver(
            exchange=exchanges.exchange_accept(
                exchange=exchanges.exchange_propose_from_listing(
                    listing=scenario.offer,
                    member=disputer,
                    minutes=30,
                    message="Could you check our survival curves?",
                ),
                member=scenario.owner,
            ),
            member=scenario.owner,
            minutes=30,
        ),
        member=disputer,
        reason="We met for twenty minutes; the call dropped after that.",
    )
    suspended = member_suspend(
        member=make_member(display_name="Grace Lewis"),
        by=moderator,
        reason="Asked members for payment in three messages.",
    )
    invitation, invitation_token = invitation_send(email="locum@agency.example.com", by=admin)
    token, _secret = api_token_create(member=scenario.owner, name="Team rota script")
    unconfirmed = make_member(display_name="Hana Ito", email_verified=False)
    # As sign-up leaves it: the address recorded, its link not yet opened.
    EmailAddress.objects.create(
        user=unconfirmed, email=unconfirmed.email, verified=False, primary=True
    )
    return SimpleNamespace(
        **vars(scenario),
        moderator=moderator,
        admin=admin,
        disputer=disputer,
        disputed=disputed,
        suspended=suspended,
        invitation=invitation,
        invitation_token=invitation_token,
        token=token,
        unconfirmed=unconfirmed,
    )

"""Security settings that an information-governance review asks about (OWASP ASVS L2).

Passwords, sign-in throttling and enumeration, session limits, response
headers, Django's deployment check, and no state change over GET. Each is
tested through the pages, the way a browser or an attacker meets it.
"""

import re
import subprocess
import sys
from datetime import timedelta
from unittest import mock

import pytest
from django.apps import apps
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

import equitime.settings as project_settings
from equitime.api.services import api_token_create
from equitime.core.middleware import LAST_SEEN_AT, SIGNED_IN_AT
from equitime.core.testing import production_env, settings_in_subprocess
from equitime.core.unsubscribe import unsubscribe_token
from equitime.exchanges import services as exchange_services
from equitime.exchanges.models import Exchange
from equitime.exchanges.views import _ACTIONS as EXCHANGE_ACTIONS
from equitime.exports.services import export_request
from equitime.listings.models import Format, Listing
from equitime.listings.services import listing_create
from equitime.listings.views import _ACTIONS as LISTING_ACTIONS
from equitime.matching.services import help_invitation_ask
from equitime.matching.views import _ACTIONS as MATCHING_ACTIONS
from equitime.members import roles
from equitime.members.models import Member
from equitime.members.services import invitation_send, member_role_grant
from equitime.members.tests.factories import PASSWORD
from equitime.moderation.models import ListingFlag
from equitime.moderation.services import listing_flag
from equitime.notifications.models import Notification
from equitime.scheduling.calendar_services import calendar_feed_create
from equitime.scheduling.models import Session as ScheduledSession
from equitime.scheduling.services import session_propose_times
from equitime.scheduling.slots import Slot
from equitime.scheduling.tests.factories import group_session
from equitime.skills.models import ImprovementArea

pytestmark = pytest.mark.django_db

LOGIN_URL = "/accounts/login/"
LONG_PASSPHRASE = (
    "when the ward round overruns we still meet at the canal bridge and talk about run "
    "charts until dusk."
)


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """allauth counts attempts in the cache: every test starts from none."""
    cache.clear()
    yield
    cache.clear()


def sign_in(client, email, password, **extra):
    return client.post(LOGIN_URL, {"login": email, "password": password}, **extra)


def signed_in_id(client):
    return client.session.get("_auth_user_id")


def rate(action: str, per: str) -> int:
    """How many attempts the configured allauth rate allows, e.g. 5 for '5/5m/key'."""
    for part in project_settings.ACCOUNT_RATE_LIMITS[action].split(","):
        amount, _duration, *rest = part.split("/")
        if (rest[0] if rest else "ip") == per:
            return int(amount)
    raise AssertionError(f"no {per} limit for {action}")


# --- Passwords -----------------------------------------------------------------


def test_new_passwords_are_hashed_with_argon2_and_old_pbkdf2_hashes_still_verify(settings):
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    assert settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert any(name.endswith(".PBKDF2PasswordHasher") for name in settings.PASSWORD_HASHERS)

    encoded = make_password(LONG_PASSPHRASE)
    assert encoded.startswith("argon2$argon2id$")
    assert check_password(LONG_PASSPHRASE, encoded)

    old = make_password(LONG_PASSPHRASE, hasher="pbkdf2_sha256")
    assert old.startswith("pbkdf2_sha256$")
    assert check_password(LONG_PASSPHRASE, old)


def test_signing_in_upgrades_a_pbkdf2_hash_to_argon2(client, settings, member):
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    Member.objects.filter(pk=member.pk).update(
        password=make_password(PASSWORD, hasher="pbkdf2_sha256")
    )

    response = sign_in(client, member.email, PASSWORD)

    assert response.status_code == 302
    assert signed_in_id(client) == str(member.pk)
    member.refresh_from_db()
    assert member.password.startswith("argon2")


def test_a_member_who_joins_gets_an_argon2_hash(client, settings):
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS

    response = client.post(
        reverse("account_signup"),
        {
            "email": "long.passphrase@example.nhs.uk",
            "display_name": "Pat Long",
            "organisation": "",
            "profession": "",
            "password1": LONG_PASSPHRASE,
            "password2": LONG_PASSPHRASE,
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    member = Member.objects.get(email="long.passphrase@example.nhs.uk")
    assert member.password.startswith("argon2")
    assert member.check_password(LONG_PASSPHRASE)


def test_a_passphrase_of_100_characters_is_accepted(member):
    passphrase = LONG_PASSPHRASE[:100]
    assert len(passphrase) == 100

    validate_password(passphrase)
    validate_password(passphrase, user=member)


def test_a_password_longer_than_256_characters_is_refused_with_a_clear_message():
    validate_password(("ward round canal bridge " * 11)[:256])

    with pytest.raises(ValidationError) as refused:
        validate_password("ward round canal bridge " * 11)

    assert refused.value.error_list[0].code == "password_too_long"
    assert "at most 256 characters" in refused.value.messages[0]


def test_the_join_page_says_when_a_password_is_too_long(client):
    too_long = "ward round canal bridge " * 11

    response = client.post(
        reverse("account_signup"),
        {
            "email": "too.long@example.nhs.uk",
            "display_name": "Pat Long",
            "password1": too_long,
            "password2": too_long,
        },
    )

    assert response.status_code == 200
    assert "This password is too long. It must contain at most 256 characters." in (
        response.content.decode()
    )
    assert not Member.objects.filter(email="too.long@example.nhs.uk").exists()


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("short pass", "password_too_short"),
        ("password1234", "password_too_common"),
        ("123456789012345", "password_entirely_numeric"),
    ],
)
def test_weak_passwords_are_refused(password, code):
    with pytest.raises(ValidationError) as refused:
        validate_password(password)

    assert code in [error.code for error in refused.value.error_list]


def test_a_password_like_the_members_own_details_is_refused(make_member):
    member = make_member(email="amina.okafor@example.nhs.uk", display_name="Amina Okafor")

    with pytest.raises(ValidationError) as refused:
        validate_password("amina.okafor@example", user=member)

    assert "password_too_similar" in [error.code for error in refused.value.error_list]


# --- Sign-in throttling and enumeration -----------------------------------------


def test_unknown_address_and_wrong_password_get_the_same_answer(client, member):
    unknown = sign_in(client, "nobody@example.nhs.uk", "a wrong password 123")
    wrong = sign_in(client, member.email, "a wrong password 123")

    assert unknown.status_code == wrong.status_code == 200
    assert signed_in_id(client) is None
    unknown_errors = unknown.context["form"].non_field_errors()
    wrong_errors = wrong.context["form"].non_field_errors()
    assert unknown_errors == wrong_errors
    assert list(wrong_errors) == ["The e-mail address or the password is not correct."]
    assert unknown.context["form"].errors.keys() == wrong.context["form"].errors.keys()


def test_after_repeated_failures_one_account_is_locked_even_with_the_right_password(
    client, member, other_member
):
    allowed = rate("login_failed", "key")
    for _attempt in range(allowed):
        response = sign_in(client, member.email, "not the password 123")
        assert "not correct" in response.content.decode()

    refused = sign_in(client, member.email, PASSWORD)

    assert refused.status_code == 200
    assert "Too many failed login attempts" in refused.content.decode()
    assert signed_in_id(client) is None
    # Others behind the same address (a trust's network) can still sign in.
    assert sign_in(client, other_member.email, PASSWORD).status_code == 302
    assert signed_in_id(client) == str(other_member.pk)


def test_after_many_attempts_from_one_address_the_next_is_refused_with_429(
    client, member, other_member
):
    allowed = rate("login", "ip")
    for n in range(allowed):
        sign_in(client, f"guess{n}@example.nhs.uk", "not the password 123")

    refused = sign_in(client, member.email, PASSWORD)

    assert refused.status_code == 429
    assert "Too many attempts" in refused.content.decode()
    assert signed_in_id(client) is None
    # A different address is counted on its own.
    elsewhere = sign_in(client, other_member.email, PASSWORD, REMOTE_ADDR="192.0.2.44")
    assert elsewhere.status_code == 302


def test_enumeration_prevention_is_on(settings):
    assert settings.ACCOUNT_PREVENT_ENUMERATION is True


def test_password_reset_answers_the_same_for_known_and_unknown_addresses(client, member):
    url = reverse("account_reset_password")
    known = client.post(url, {"email": member.email})
    unknown = client.post(url, {"email": "nobody@example.nhs.uk"})

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("account_reset_password_done")
    # Each address gets one e-mail (a reset link, or "no account here"): the
    # page shows nothing that tells them apart.
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [member.email, "nobody@example.nhs.uk"]
    )


def test_password_reset_is_limited_per_address_for_known_and_unknown_alike(client, member):
    url = reverse("account_reset_password")
    allowed = rate("reset_password", "key")
    for address in (member.email, "nobody@example.nhs.uk"):
        for _attempt in range(allowed):
            assert client.post(url, {"email": address}).status_code == 302
        assert client.post(url, {"email": address}).status_code == 429


def test_rate_limits_are_counted_in_the_configured_cache(settings):
    assert settings.CACHES["default"]["BACKEND"] in {
        "django.core.cache.backends.locmem.LocMemCache",
        "equitime.core.cache.SharedClientRedisCache",
    }


def test_redis_is_used_for_the_cache_when_redis_url_is_set(tmp_path):
    cache_settings = settings_in_subprocess(
        tmp_path, "s.CACHES['default']", REDIS_URL="redis://127.0.0.1:6379/3"
    )

    assert "'equitime.core.cache.SharedClientRedisCache'" in cache_settings
    assert "'redis://127.0.0.1:6379/3'" in cache_settings


# --- Session limits ---------------------------------------------------------------


def set_clock(client, *, signed_in_ago: timedelta, last_seen_ago: timedelta):
    now = timezone.now().timestamp()
    session = client.session
    session[SIGNED_IN_AT] = now - signed_in_ago.total_seconds()
    session[LAST_SEEN_AT] = now - last_seen_ago.total_seconds()
    session.save()


def at(moment):
    """Pretend it is ``moment`` for the middleware and everything else."""
    return mock.patch("django.utils.timezone.now", return_value=moment)


def test_session_limits_default_to_30_idle_minutes_and_12_hours_and_follow_the_environment(
    tmp_path,
):
    limits = "s.EQUITIME_SESSION_IDLE_MINUTES, s.EQUITIME_SESSION_ABSOLUTE_HOURS"
    assert settings_in_subprocess(tmp_path, limits) == "30 12"
    assert (
        settings_in_subprocess(
            tmp_path,
            limits,
            EQUITIME_SESSION_IDLE_MINUTES="15",
            EQUITIME_SESSION_ABSOLUTE_HOURS="8",
        )
        == "15 8"
    )
    middleware = project_settings.MIDDLEWARE
    assert middleware.index("equitime.core.middleware.SessionTimeoutMiddleware") > (
        middleware.index("django.contrib.auth.middleware.AuthenticationMiddleware")
    )


def test_signing_in_through_the_form_starts_both_clocks(client, member):
    before = timezone.now().timestamp()
    sign_in(client, member.email, PASSWORD)

    session = client.session
    assert before - 1 <= session[SIGNED_IN_AT] <= timezone.now().timestamp()
    assert session[LAST_SEEN_AT] == session[SIGNED_IN_AT]


def test_an_idle_member_is_signed_out_and_told_why(client, member, settings):
    settings.EQUITIME_SESSION_IDLE_MINUTES = 30
    client.force_login(member)
    set_clock(client, signed_in_ago=timedelta(hours=1), last_seen_ago=timedelta(minutes=31))

    response = client.get(reverse("dashboard"))

    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN_URL}?next=/dashboard/"
    assert "Content-Security-Policy" in response
    assert signed_in_id(client) is None
    page = client.get(response["Location"])
    assert "signed out after 30 minutes without activity" in page.content.decode()


def test_a_member_is_signed_out_after_the_absolute_limit_however_active(client, member, settings):
    settings.EQUITIME_SESSION_ABSOLUTE_HOURS = 12
    client.force_login(member)
    set_clock(client, signed_in_ago=timedelta(hours=12, minutes=1), last_seen_ago=timedelta())

    response = client.get(reverse("dashboard"))

    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN_URL)
    assert signed_in_id(client) is None
    page = client.get(response["Location"])
    assert "signed out 12 hours after signing in" in page.content.decode()


def test_activity_keeps_a_session_alive_until_the_absolute_limit(client, member, settings):
    settings.EQUITIME_SESSION_IDLE_MINUTES = 30
    settings.EQUITIME_SESSION_ABSOLUTE_HOURS = 2
    start = timezone.now()
    with at(start):
        client.force_login(member)
        assert client.get(reverse("dashboard")).status_code == 200

    # A request every 25 minutes: never idle for 30, so still signed in at 1 h 40.
    for step in range(1, 5):
        with at(start + timedelta(minutes=25 * step)):
            assert client.get(reverse("dashboard")).status_code == 200, step
    assert signed_in_id(client) == str(member.pk)

    with at(start + timedelta(hours=2)):
        response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert signed_in_id(client) is None


def test_without_activity_the_idle_limit_counts_from_the_last_request(client, member, settings):
    settings.EQUITIME_SESSION_IDLE_MINUTES = 30
    start = timezone.now()
    with at(start):
        client.force_login(member)
        client.get(reverse("dashboard"))
    with at(start + timedelta(minutes=20)):
        assert client.get(reverse("dashboard")).status_code == 200
    # 45 minutes after signing in, but only 25 after the last request.
    with at(start + timedelta(minutes=45)):
        assert client.get(reverse("dashboard")).status_code == 200
    with at(start + timedelta(minutes=76)):
        assert client.get(reverse("dashboard")).status_code == 302


def test_an_expired_htmx_request_sends_the_whole_page_to_sign_in(client, member):
    client.force_login(member)
    set_clock(client, signed_in_ago=timedelta(hours=1), last_seen_ago=timedelta(hours=1))

    response = client.get(reverse("listing_browse"), {"q": "R"}, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert response["HX-Redirect"] == LOGIN_URL
    assert signed_in_id(client) is None


def test_an_expired_post_changes_nothing(client, member, other_member):
    area = ImprovementArea.objects.all()[0]
    offer = listing_create(
        owner=other_member,
        kind=Listing.Kind.OFFER,
        title="Run charts",
        description="Help with run charts.",
        improvement_area=area,
        benefit="Quicker learning from QI projects.",
        estimated_minutes=60,
        format=Format.REMOTE,
    )
    exchange_services.exchange_propose_from_listing(
        listing=offer, member=member, minutes=60, message="Please"
    )
    client.force_login(other_member)
    set_clock(client, signed_in_ago=timedelta(hours=1), last_seen_ago=timedelta(hours=1))

    response = client.post(reverse("notifications_read"))

    assert response.status_code == 302
    assert response["Location"] == LOGIN_URL
    assert Notification.objects.filter(recipient=other_member, read_at__isnull=True).exists()


def test_anonymous_requests_are_untouched(client, settings):
    response = client.get(reverse("home"))

    assert response.status_code == 200
    assert settings.SESSION_COOKIE_NAME not in response.cookies
    assert Session.objects.count() == 0

    # Even an anonymous session that somehow carries old clocks is left alone.
    session = client.session
    session[SIGNED_IN_AT] = 0
    session[LAST_SEEN_AT] = 0
    session.save()
    response = client.get(LOGIN_URL)
    assert response.status_code == 200
    assert client.session[SIGNED_IN_AT] == 0


# --- Response headers ----------------------------------------------------------------


def csp_directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.mark.parametrize("signed_in", [False, True])
def test_pages_carry_the_security_headers(client, member, signed_in):
    if signed_in:
        client.force_login(member)
    response = client.get(reverse("listing_browse") if signed_in else reverse("home"))

    assert response.status_code == 200
    directives = csp_directives(response)
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["form-action"] == ["'self'"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def project_templates():
    from equitime import settings as s

    roots = [s.PACKAGE_DIR / "templates", *s.PACKAGE_DIR.glob("*/templates")]
    return sorted(path for root in roots for path in root.rglob("*.html"))


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
INLINE_STYLE = re.compile(r"<style\b|\sstyle\s*=", re.I)
# onclick= and its htmx form, hx-on:click= (htmx evaluates it as code).
EVENT_HANDLER = re.compile(r"\s(?:on[a-z]+|hx-on\S*)\s*=", re.I)


def test_no_template_has_inline_script_style_or_event_handlers():
    """The CSP refuses them, so a page that relies on one would break."""
    templates = project_templates()
    assert len(templates) > 20
    offenders = [
        f"{path.relative_to(project_settings.PACKAGE_DIR)}: {pattern.pattern}"
        for path in templates
        for pattern in (INLINE_SCRIPT, INLINE_STYLE, EVENT_HANDLER)
        if pattern.search(path.read_text())
    ]
    assert offenders == []


def test_htmx_is_told_not_to_inject_inline_styles_or_evaluate_code(client):
    page = client.get(reverse("home")).content.decode()

    assert '<meta name="htmx-config"' in page
    assert '"includeIndicatorStyles": false' in page
    assert '"allowEval": false' in page


# --- Deployment check -----------------------------------------------------------------


def test_production_settings_pass_the_deployment_check(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "equitime.cli", "check", "--deploy", "--fail-level", "WARNING"],
        # The single-machine choice of a shared cache (core.checks).
        env=production_env(tmp_path) | {"EQUITIME_CACHE": "database"},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_cookies_are_secure_and_host_only(tmp_path):
    production = settings_in_subprocess(
        tmp_path,
        "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, "
        "s.SESSION_COOKIE_SAMESITE, s.SESSION_COOKIE_NAME, s.SECURE_SSL_REDIRECT, "
        "s.SECURE_HSTS_SECONDS >= 31536000",
    )

    assert production.split() == [
        "True",
        "True",
        "True",
        "Lax",
        "__Host-equitime-session",
        "True",
        "True",
    ]


# --- No state change over GET ------------------------------------------------------

# Words in a URL name that mean "this changes something": such views take POST only.
ACTION_WORDS = {
    "act",
    "read",
    "open",
    "logout",
    "revoke",
    "uphold",
    "dismiss",
    "suspend",
    "reinstate",
    "roles",
    "join",
    "leave",
    "feature",
    "appoint",
    "remove",
}


def url_patterns(resolver=None, prefix=""):
    """(route, pattern) for every URL of the site, includes unfolded."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from url_patterns(pattern, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern


def database_state() -> dict[str, list[dict]]:
    """Every row the site keeps, except sessions (which a visit may touch)."""
    state = {}
    for model in apps.get_models(include_auto_created=True):
        if model is Session:
            continue
        state[model._meta.label] = list(model._base_manager.order_by("pk").values())
    return state


def news_seen_aside(state: dict[str, list[dict]], member, exchange) -> dict[str, list[dict]]:
    """The state with one change set aside: the one a GET may make on purpose.
    Opening an exchange marks what its viewer was told about it read (issue 12,
    point 11), as opening a message does in any mail client; nothing else."""
    label = Notification._meta.label
    rows = [
        {**row, "read_at": None}
        if row["recipient_id"] == member.pk and row["exchange_id"] == exchange.pk
        else row
        for row in state[label]
    ]
    return {**state, label: rows}


@pytest.fixture
def world(member, other_member):
    """The signed-in member owns an offer, has proposed to take up another's,
    and has a notification: every page with an id has something to show."""
    area = ImprovementArea.objects.all()[0]

    def offer(owner, title):
        return listing_create(
            owner=owner,
            kind=Listing.Kind.OFFER,
            title=title,
            description="An hour on the basics.",
            improvement_area=area,
            benefit="Better evidence for the frailty team.",
            estimated_minutes=60,
            format=Format.REMOTE,
        )

    own = offer(member, "Survival analysis in R")
    theirs = offer(other_member, "Run charts for QI")
    exchange = exchange_services.exchange_propose_from_listing(
        listing=own, member=other_member, minutes=60, message="Could we meet on Tuesday?"
    )
    notification = Notification.objects.filter(recipient=member).first()
    assert notification is not None
    # A community administrator sees every page there is, the role pages too.
    member = member_role_grant(member=member, role=roles.COMMUNITY_ADMIN, by=None)
    invitation, token = invitation_send(email="guest@example.org", by=member)
    flag = listing_flag(
        listing=own, member=other_member, reason=ListingFlag.Reason.OTHER, note="Not QI."
    )
    return {
        "flag": flag,
        "other_member": other_member,
        "invitation": invitation,
        "invitation_token": token,
        "member": member,
        "own": own,
        "theirs": theirs,
        "exchange": exchange,
        "notification": notification,
    }


def samples(world) -> dict[str, list[dict]]:
    """Arguments for each of our URLs that take any."""
    own, exchange = world["own"], world["exchange"]
    group = group_session(world["other_member"])
    return {
        "group_session_detail": [{"pk": group.pk}],
        "group_sign_up": [{"pk": group.pk}],
        "group_leave": [{"pk": group.pk}],
        "group_session_cancel": [{"pk": group.pk}],
        "group_attendance": [{"pk": group.pk}],
        "listing_create": [{"kind": kind} for kind in Listing.Kind.values],
        "listing_detail": [{"pk": own.pk}],
        "listing_edit": [{"pk": own.pk}],
        "listing_close_confirm": [{"pk": own.pk}],
        "listing_act": [{"pk": own.pk, "action": action} for action in LISTING_ACTIONS],
        "exchange_propose": [{"listing_pk": world["theirs"].pk}],
        "exchange_detail": [{"pk": exchange.pk}],
        "exchange_act": [{"pk": exchange.pk, "action": action} for action in EXCHANGE_ACTIONS],
        "profile_detail": [{"pk": world["member"].pk}],
        "notification_open": [{"pk": world["notification"].pk}],
        "invitation_withdraw": [{"pk": world["invitation"].pk}],
        "invitation_accept": [{"token": world["invitation_token"]}, {"token": "not-a-token"}],
        "listing_flag": [{"pk": world["theirs"].pk}, {"pk": own.pk}],
        "listing_flag_uphold": [{"pk": world["flag"].pk}],
        "listing_flag_dismiss": [{"pk": world["flag"].pk}],
        "member_suspend": [{"pk": world["other_member"].pk}],
        "member_reinstate": [{"pk": world["other_member"].pk}],
        "member_roles": [{"pk": world["other_member"].pk}],
        "api_token_revoke": [{"pk": api_token_create(member=world["member"], name="t")[0].pk}],
        "calendar_feed": [
            {"token": calendar_feed_create(member=world["member"]).feed_token},
            {"token": "not-a-token"},
        ],
        "session_calendar": [{"pk": a_session_of(exchange).pk}],
        "unsubscribe": [
            {"token": unsubscribe_token(member_id=world["member"].pk)},
            {"token": unsubscribe_token(member_id=world["other_member"].pk, scope="digest")},
            {"token": "not-a-token"},
        ],
        "digest_preview": [{"member_id": world["other_member"].pk}, {"member_id": 999999}],
        # One still waiting (back to the list, saying so) and none: a download of
        # a finished one writes its audit entry, on purpose (exports/tests).
        "export_download": [
            {"pk": export_request(member=world["member"], kind="members").pk},
            {"pk": 999999},
        ],
        **session_samples(world),
        **campaign_samples(world),
    }


def campaign_samples(world) -> dict[str, list[dict]]:
    """A running campaign the signed-in administrator made, with an image and
    their offer in it."""
    from equitime.campaigns.services import campaign_listing_join
    from equitime.campaigns.tests.factories import campaign, image_upload

    made = campaign(by=world["member"], image=image_upload(), image_alt="A ward's day room")
    campaign_listing_join(campaign=made, listing=world["own"], member=world["member"])
    on_campaign = [{"slug": made.slug}]
    return {
        "campaign_detail": on_campaign,
        "campaign_image": on_campaign,
        "campaign_edit": on_campaign,
        "campaign_leave": on_campaign,
        "campaign_feature": on_campaign,
        "member_welcome": [{"pk": world["other_member"].pk}],
        **matching_samples(world),
    }


def matching_samples(world) -> dict[str, list[dict]]:
    """The signed-in member's request, and their invitation to the other member to help."""
    request = listing_create(
        owner=world["member"],
        kind=Listing.Kind.REQUEST,
        title="Help with a run chart",
        description="Six months of falls data.",
        improvement_area=ImprovementArea.objects.all()[0],
        benefit="Fewer falls.",
        estimated_minutes=60,
        format=Format.REMOTE,
    )
    invitation = help_invitation_ask(
        listing=request, helper=world["other_member"], member=world["member"]
    )
    return {
        "help_ask": [{"pk": request.pk}],
        "help_invitation_detail": [{"pk": invitation.pk}],
        "help_invitation_act": [
            {"pk": invitation.pk, "action": action} for action in MATCHING_ACTIONS
        ],
        **coordination_samples(world),
    }


def coordination_samples(world) -> dict[str, list[dict]]:
    """The signed-in member coordinates for the other member, with their consent."""
    from equitime.coordination.models import Consent
    from equitime.coordination.services import consent_record
    from equitime.members.models import Member

    coordinator = member_role_grant(member=world["member"], role=roles.COORDINATOR, by=None)
    coordinator = Member.objects.get(pk=coordinator.pk)
    consent = consent_record(
        coordinator=coordinator, member=world["other_member"], method=Consent.Method.PHONE
    )
    acted_for = {"member_id": world["other_member"].pk}
    return {
        "coordination_member": [acted_for],
        "coordination_listing_new": [acted_for],
        "coordination_exchange_new": [acted_for],
        "coordination_exchange_act": [
            {**acted_for, "pk": world["exchange"].pk, "action": action}
            for action in ("accept", "deliver", "confirm", "decline", "cancel")
        ],
        "coordination_consent_withdraw": [{"pk": consent.pk}],
        **leads_samples(world),
    }


def leads_samples(world) -> dict[str, list[dict]]:
    """The other member leads their organisation, appointed by the signed-in administrator."""
    from equitime.impact.leads import lead_appoint
    from equitime.members.models import Member, Organisation, Profile

    organisation = Organisation.objects.create(name="Sample Trust", kind="nhs_trust", country="GB")
    Profile.objects.filter(member=world["other_member"]).update(organisation=organisation)
    by = Member.objects.get(pk=world["member"].pk)
    lead = lead_appoint(member=Member.objects.get(pk=world["other_member"].pk), by=by)
    return {
        "impact_lead_remove": [{"pk": lead.pk}, {"pk": 999999}],
        "impact_lead_appoint_member": [{"member_id": world["other_member"].pk}],
        "impact_organisation_members": [{"pk": organisation.pk}, {"pk": 999999}],
    }


def session_samples(world) -> dict[str, list[dict]]:
    """The exchange's session, with a time the signed-in member proposed."""
    exchange = world["exchange"]
    session = session_propose_times(
        exchange=exchange,
        member=world["member"],
        slots=[Slot(starts_at=timezone.now() + timedelta(days=3), minutes=60, place="Room 2")],
    )
    time = session.proposed_times.get()
    on_exchange = [{"pk": exchange.pk}]
    return {
        "session_propose": on_exchange,
        "session_move": on_exchange,
        "session_cancel": on_exchange,
        "session_choose": [{"pk": exchange.pk, "time_pk": time.pk}],
    }


def a_session_of(exchange: Exchange) -> ScheduledSession:
    """The exchange's one-to-one session, scheduled (the calendar file's sample)."""
    return ScheduledSession.objects.create(
        kind=ScheduledSession.Kind.ONE_TO_ONE,
        exchange=exchange,
        organiser=exchange.provider,
        title=exchange.title,
        status=ScheduledSession.Status.SCHEDULED,
        starts_at=timezone.now() + timedelta(days=3),
        minutes=60,
    )


def test_get_never_changes_anything_on_any_of_our_pages(client, world):
    client.force_login(world["member"])
    arguments = samples(world)
    ours = [
        (route, pattern)
        for route, pattern in url_patterns()
        if pattern.lookup_str.startswith("equitime.")
    ]
    assert len(ours) >= 15
    visited = []
    for route, pattern in ours:
        name = pattern.name
        takes_arguments = bool(pattern.pattern.converters)
        assert name, f"{route} has no name"
        assert not takes_arguments or name in arguments, (
            f"Add sample arguments for {name} ({route}) to samples()."
        )
        for kwargs in arguments.get(name, [{}]) if takes_arguments else [{}]:
            url = reverse(name, kwargs=kwargs)
            before = database_state()
            response = client.get(url)
            assert response.status_code < 500, url
            if ACTION_WORDS & set(name.split("_")):
                assert response.status_code == 405, f"GET {url} must be refused"
            after = database_state()
            if name == "exchange_detail":
                member, exchange = world["member"], world["exchange"]
                assert not Notification.objects.filter(
                    recipient=member, exchange=exchange, read_at__isnull=True
                ).exists()
                before = news_seen_aside(before, member, exchange)
                after = news_seen_aside(after, member, exchange)
            assert after == before, f"GET {url} changed the database"
            visited.append(url)
    assert signed_in_id(client) == str(world["member"].pk)
    assert len(visited) > len(ours)


@pytest.mark.parametrize("action", sorted(EXCHANGE_ACTIONS))
def test_get_on_an_exchange_action_is_refused(client, world, action):
    client.force_login(world["member"])
    response = client.get(f"/exchanges/{world['exchange'].pk}/{action}/")
    assert response.status_code == 405
    assert response["Allow"] == "POST"


@pytest.mark.parametrize("action", sorted(LISTING_ACTIONS))
def test_get_on_a_listing_action_is_refused(client, world, action):
    client.force_login(world["member"])
    response = client.get(f"/listings/{world['own'].pk}/{action}/")
    assert response.status_code == 405
    assert response["Allow"] == "POST"


def test_get_on_notification_actions_is_refused(client, world):
    client.force_login(world["member"])

    assert client.get("/notifications/read/").status_code == 405
    assert client.get(f"/notifications/{world['notification'].pk}/open/").status_code == 405
    assert not Notification.objects.filter(read_at__isnull=False).exists()


def test_get_on_sign_out_asks_and_leaves_the_member_signed_in(client, member):
    client.force_login(member)

    response = client.get(reverse("account_logout"))

    assert response.status_code == 200
    assert signed_in_id(client) == str(member.pk)
    assert client.post(reverse("account_logout")).status_code == 302
    assert signed_in_id(client) is None

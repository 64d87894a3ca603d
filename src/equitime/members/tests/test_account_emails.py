"""allauth's e-mails: links on the site's address (issue 12 §1), and our
subject prefix, wording, greeting and footer, in plain text and HTML (§2)."""

import re
from pathlib import Path

import pytest
from allauth.account.adapter import get_adapter
from allauth.core import context as allauth_context
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from equitime.notifications.services import notify

pytestmark = pytest.mark.django_db

PUBLIC = "https://equitime.example.org"
NEW_PASSWORD = "quiet lantern harbour 42"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def signup_data(**overrides):
    data = {
        "email": "new.colleague@example.nhs.uk",
        "display_name": "Priya Shah",
        "organisation": "",
        "profession": "Data analyst",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    }
    return data | overrides


def links(message) -> list[str]:
    return re.findall(r"https?://[^\s\"<>]+", message.body)


def test_development_links_go_back_to_the_port_the_page_was_served_on(client, settings):
    settings.EQUITIME_SITE_URL = "http://127.0.0.1:8000"
    client.post(reverse("account_signup"), signup_data(), HTTP_HOST="127.0.0.1:8101")

    [message] = mail.outbox
    assert links(message)
    assert all(link.startswith("http://127.0.0.1:8101/") for link in links(message))


@pytest.mark.parametrize("host", ["equitime.example.org", "internal-web-3:8000"])
def test_production_links_use_the_site_url_whatever_host_the_request_named(
    client, settings, member, host
):
    settings.PRODUCTION = True
    settings.EQUITIME_SITE_URL = PUBLIC
    settings.ALLOWED_HOSTS = ["equitime.example.org", "internal-web-3"]

    client.post(reverse("account_reset_password"), {"email": member.email}, HTTP_HOST=host)
    client.post(reverse("account_signup"), signup_data(), HTTP_HOST=host)

    assert len(mail.outbox) == 2
    for message in mail.outbox:
        assert links(message)
        assert all(link.startswith(f"{PUBLIC}/") for link in links(message)), message.body
    assert f"{PUBLIC}/accounts/password/reset/key/" in mail.outbox[0].body
    assert f"{PUBLIC}/accounts/confirm-email/" in mail.outbox[1].body


# --- Branded like ours (issue 12 §2) -------------------------------------------------

FOOTER = "the time bank for health and care"
ALLAUTH_WORDING = ("Hello from", "Thank you for using", "You're receiving", "[", "{{", "{%")


def assert_branded(message, *, name: str = ""):
    """Our subject prefix, greeting and footer, in plain text and in HTML."""
    assert message.subject.startswith("Equitime: "), message.subject
    assert not any(words in message.subject + message.body for words in ALLAUTH_WORDING)
    assert message.body.startswith(f"Hello {name}," if name else "Hello,")
    assert FOOTER in message.body
    [(html, mimetype)] = getattr(message, "alternatives", [])
    assert mimetype == "text/html"
    assert html.lstrip().startswith("<!DOCTYPE html>")
    assert FOOTER in html and "<footer>" in html
    assert not any(words in html for words in ("Hello from", "{{", "{%"))
    for link in re.findall(r"https?://[^\s<>]+", message.body):
        assert f'href="{link}"' in html or f'href="{link.rstrip("/")}' in html, link


def test_the_sign_up_confirmation_is_ours(client):
    client.post(reverse("account_signup"), signup_data(), HTTP_HOST="127.0.0.1:8101")

    [message] = mail.outbox
    assert message.subject == "Equitime: Confirm your e-mail address"
    assert_branded(message, name="Priya Shah")
    assert "127.0.0.1:8101!" not in message.body
    assert "http://127.0.0.1:8101/accounts/confirm-email/" in message.body


def test_the_password_reset_is_ours(client, member):
    client.post(reverse("account_reset_password"), {"email": member.email})

    [message] = mail.outbox
    assert message.subject == "Equitime: Reset your password"
    assert_branded(message, name=member.display_name)
    assert "http://testserver/accounts/password/reset/key/" in message.body


def test_a_reset_for_an_unknown_address_is_ours(client):
    client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})

    [message] = mail.outbox
    assert message.subject == "Equitime: No account with this address"
    assert_branded(message)
    assert "http://testserver/accounts/signup/" in message.body


PREFIXES = [
    "account/email/account_already_exists",
    "account/email/email_changed",
    "account/email/email_confirm",
    "account/email/email_confirmation",
    "account/email/email_confirmation_signup",
    "account/email/email_deleted",
    "account/email/login_code",
    "account/email/password_changed",
    "account/email/password_reset",
    "account/email/password_reset_code",
    "account/email/password_reset_key",
    "account/email/password_set",
    "account/email/unknown_account",
    "mfa/email/recovery_codes_generated",
    "mfa/email/totp_activated",
    "mfa/email/totp_deactivated",
    "mfa/email/webauthn_added",
    "mfa/email/webauthn_removed",
    "socialaccount/email/account_connected",
    "socialaccount/email/account_disconnected",
]


def test_every_allauth_email_has_our_templates():
    """A new allauth e-mail would arrive in its default wording: list it here."""
    import allauth

    shipped = Path(allauth.__file__).parent / "templates"
    theirs = sorted(
        str(path.relative_to(shipped)).removesuffix("_subject.txt")
        for path in shipped.glob("*/email/*_subject.txt")
    )
    assert theirs == sorted(PREFIXES)


@pytest.mark.parametrize("prefix", PREFIXES)
def test_each_allauth_email_reads_like_ours(rf, member, prefix):
    request = rf.get("/", HTTP_HOST="127.0.0.1:8101")
    context = {
        "user": member,
        "activate_url": "http://127.0.0.1:8101/accounts/confirm-email/KEY/",
        "password_reset_url": "http://127.0.0.1:8101/accounts/password/reset/",
        "signup_url": "http://127.0.0.1:8101/accounts/signup/",
        "code": "" if prefix.endswith("confirmation") else "ABC123",
        "timestamp": timezone.now(),
        "ip": "192.0.2.1",
        "user_agent": "Firefox",
        "from_email": "old@example.org",
        "to_email": "new@example.org",
        "deleted_email": "gone@example.org",
        "provider": "NHSmail",
    }
    adapter = get_adapter(request)
    with allauth_context.request_context(request):
        adapter.send_mail(prefix, member.email, context)

    [message] = mail.outbox
    assert_branded(message, name=member.display_name)
    assert "http://127.0.0.1:8101/" in message.body
    assert " email" not in message.subject.lower() and " email" not in message.body


def test_notification_emails_share_the_layout(member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            recipient=member,
            kind="exchange_accepted",
            params={"name": "Priya", "title": "QI"},
            url="/exchanges/1/",
        )

    [message] = mail.outbox
    assert message.subject == "Equitime: Priya accepted the exchange: QI"
    assert "You receive this because you are a member of Equitime" in message.body
    [(html, _)] = getattr(message, "alternatives", [])
    assert "Priya accepted the exchange: QI" in html and "<footer>" in html


# --- Sign-up does not tell who is a member (issue 12 §15) ---------------------------


def test_joining_with_a_taken_address_says_nothing_and_tells_its_owner(client, member):
    from equitime.members.models import Member

    response = client.post(
        reverse("account_signup"),
        signup_data(email=member.email.upper(), display_name="Someone Else"),
        follow=True,
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert 'class="error-summary"' not in page
    assert "already" not in page.lower() and "taken" not in page.lower()
    assert "Check your e-mail" in page
    assert not response.wsgi_request.user.is_authenticated
    assert Member.objects.count() == 1
    [message] = mail.outbox
    assert message.to == [member.email.upper()] or message.to[0].lower() == member.email.lower()
    assert message.subject == "Equitime: You already have an account"
    assert_branded(message)
    assert "http://testserver/accounts/password/reset/" in message.body

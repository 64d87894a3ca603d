"""One-click unsubscribe (RFC 8058): without signing in, GET changes nothing,
a forged or altered link changes nothing and says so, and a link turns off
e-mail only for the member it was made for."""

import pytest
from django.core import mail, signing
from django.test import Client
from django.urls import reverse

from equitime.core import unsubscribe
from equitime.core.tasks import email_enqueue
from equitime.notifications.models import Notification, NotificationPreferences
from equitime.notifications.preferences import member_wants_digest, member_wants_email
from equitime.notifications.services import notify
from equitime.notifications.tests.samples import sample

pytestmark = pytest.mark.django_db

INVALID = "This unsubscribe link is not valid"


def link(member, scope=unsubscribe.ALL) -> str:
    return unsubscribe.unsubscribe_path(member_id=member.pk, scope=scope)


@pytest.fixture
def browser():
    """A mail client or a browser: nobody signed in, and CSRF checked as in production."""
    return Client(enforce_csrf_checks=True)


def test_a_notification_email_links_to_its_own_one_click_unsubscribe(
    member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=member, kind="exchange_proposed", **sample("exchange_proposed"))
    [email] = mail.outbox
    header = email.extra_headers["List-Unsubscribe"]
    assert (
        header
        == f"<{unsubscribe.unsubscribe_link(member_id=member.pk, scope='exchange_proposed')}>"
    )
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_the_one_click_post_turns_the_kind_off_without_signing_in_or_csrf(browser, member):
    response = browser.post(link(member, "exchange_proposed"), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert "You are unsubscribed" in response.text
    assert not member_wants_email(member, "exchange_proposed")
    assert member_wants_email(member, "exchange_accepted")  # only that kind


def test_get_shows_a_button_and_changes_nothing(browser, member):
    response = browser.get(link(member))
    assert response.status_code == 200
    assert 'method="post"' in response.text and "Unsubscribe</button>" in response.text
    assert not NotificationPreferences.objects.filter(member=member).exists()


def test_all_turns_off_every_email_and_the_digest(browser, member):
    browser.post(link(member))
    assert not member_wants_digest(member)
    assert not any(member_wants_email(member, kind) for kind in Notification.Kind.values)


def test_the_digest_link_turns_off_only_the_digest(browser, member):
    browser.post(link(member, unsubscribe.DIGEST))
    assert not member_wants_digest(member)
    assert member_wants_email(member, "exchange_proposed")


def test_using_a_link_twice_is_no_error(browser, member):
    assert browser.post(link(member)).status_code == 200
    assert browser.post(link(member)).status_code == 200


@pytest.mark.parametrize(
    "token",
    [
        "not-a-token",
        signing.dumps({"m": 1, "s": "all"}),  # signed, but not with the unsubscribe salt
        signing.dumps({"m": 1, "s": "all"}, salt="another.use"),
        signing.dumps([1, "all"], salt=unsubscribe.SALT),  # a valid signature on the wrong shape
        signing.dumps({"m": 1, "s": "newsletter"}, salt=unsubscribe.SALT),  # no such scope
    ],
    # Signed tokens carry the time they were made: named, so that every test
    # worker collects the same tests.
    ids=["garbage", "no-salt", "other-salt", "wrong-shape", "no-such-scope"],
)
def test_a_forged_token_is_refused_clearly(browser, member, other_member, token):
    for method in (browser.get, browser.post):
        response = method(reverse("unsubscribe", kwargs={"token": token}))
        assert response.status_code == 404
        assert INVALID in response.text
    assert not NotificationPreferences.objects.exists()


def test_a_tampered_token_naming_another_member_is_refused(browser, member, other_member):
    token = unsubscribe.unsubscribe_token(member_id=member.pk)
    _value, signature = token.rsplit(":", 1)
    forged = signing.b64_encode(
        signing.JSONSerializer().dumps({"m": other_member.pk, "s": "all"})
    ).decode()
    for tampered in (f"{forged}:{signature}", token[:-2] + ("AA" if token[-2:] != "AA" else "BB")):
        response = browser.post(reverse("unsubscribe", kwargs={"token": tampered}))
        assert response.status_code == 404 and INVALID in response.text
    assert not NotificationPreferences.objects.exists()


def test_one_members_link_changes_nobody_else(client, member, other_member):
    client.force_login(other_member)  # signed in as someone else, it is still the link's member
    client.post(link(member))
    assert not member_wants_digest(member)
    assert member_wants_digest(other_member)
    assert not NotificationPreferences.objects.filter(member=other_member).exists()


def test_a_link_for_a_member_no_longer_active_is_not_valid(browser, member):
    type(member).objects.filter(pk=member.pk).update(is_active=False)
    assert browser.post(link(member)).status_code == 404


def test_email_enqueue_passes_the_headers_on(member):
    from django.core.mail import EmailMessage

    message = EmailMessage(
        subject="Equitime",
        body="Hello",
        to=[member.email],
        headers=unsubscribe.unsubscribe_headers(member_id=member.pk),
    )
    email_enqueue(message)
    [sent] = mail.outbox
    assert sent.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert sent.extra_headers["List-Unsubscribe"].startswith("<")


def test_a_password_reset_is_always_sent_and_carries_the_headers(client, member):
    from equitime.notifications.services import notification_unsubscribe

    notification_unsubscribe(member=member, scope=unsubscribe.ALL)
    client.post(reverse("account_reset_password"), {"email": member.email})
    [sent] = mail.outbox
    assert sent.to == [member.email]
    assert "List-Unsubscribe" in sent.extra_headers

"""The "Account and security" page, and allauth's e-mail and single sign-on
pages it leads to: wiring, permissions, re-authentication and the audit log."""

import time

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from allauth.socialaccount.models import SocialAccount
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from equitime.audit.models import AuditEntry
from equitime.members.models import Member
from equitime.members.services import member_join
from equitime.members.tests.factories import PASSWORD
from equitime.members.tests.pages import assert_in_our_layout
from equitime.sso_settings import oidc_apps_from_env

pytestmark = pytest.mark.django_db

SECURITY_URL = "/account/security/"
REAUTHENTICATE = reverse("account_reauthenticate")


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def entra_configured(settings):
    providers = {**settings.SOCIALACCOUNT_PROVIDERS}
    providers["openid_connect"] = {
        **providers["openid_connect"],
        "APPS": oidc_apps_from_env(
            {
                "EQUITIME_ENTRA_TENANT_ID": "tenant",
                "EQUITIME_ENTRA_CLIENT_ID": "client",
                "EQUITIME_ENTRA_CLIENT_SECRET": "secret",
            }
        ),
    }
    settings.SOCIALACCOUNT_PROVIDERS = providers


def sign_in(client, member):
    response = client.post(reverse("account_login"), {"login": member.email, "password": PASSWORD})
    assert response.status_code == 302
    return response


def confirmed_just_now(client, member):
    """As if the member had just given their password again (allauth's record)."""
    session = client.session
    session["account_authentication_methods"] = [
        {"method": "password", "at": time.time(), "reauthenticated": True}
    ]
    session["account_authentication_methods_user"] = str(member.pk)
    session.save()


def email_entries():
    return list(AuditEntry.objects.filter(action=AuditEntry.Action.EMAIL_CHANGED).order_by("id"))


def section(html: str, testid: str) -> str:
    return html.split(f'data-testid="{testid}"')[1].split("</section>")[0]


# --- The page ---------------------------------------------------------------------------


def test_the_url_is_named():
    assert reverse("account_security") == SECURITY_URL


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(SECURITY_URL)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={SECURITY_URL}"


def test_the_owner_sees_how_they_sign_in(client, member):
    client.force_login(member)

    response = client.get(SECURITY_URL)

    assert response.status_code == 200
    assert_in_our_layout(response, h1="Account and security")
    html = response.content.decode()
    emails = section(html, "email")
    assert member.email in emails and "Confirmed" in emails and "Not confirmed" not in emails
    mfa = section(html, "mfa")
    assert "Off" in mfa
    assert f'<a class="button" href="{reverse("mfa_index")}">Set up two-factor' in mfa
    assert "No organisation account is connected." in section(html, "sso")
    assert f'href="{reverse("socialaccount_connections")}"' in html
    assert f'href="{reverse("account_change_password")}"' in section(html, "password")
    assert f'href="{reverse("account_privacy")}"' in html
    assert f'href="{reverse("account_email")}"' in emails


def test_an_unconfirmed_address_can_have_its_link_sent_again(client, member):
    EmailAddress.objects.create(user=member, email="amina@second.nhs.uk", verified=False)
    client.force_login(member)

    html = client.get(SECURITY_URL).content.decode()

    emails = section(html, "email")
    assert "Not confirmed" in emails
    form = emails.split(f'<form method="post" action="{reverse("account_email")}">')[1]
    assert 'name="email" value="amina@second.nhs.uk"' in form.split("</form>")[0]
    assert 'name="action_send"' in form.split("</form>")[0]
    # The button does what it says: allauth's e-mail view sends the link, no password asked.
    response = client.post(
        reverse("account_email"), {"email": "amina@second.nhs.uk", "action_send": ""}
    )
    assert response.status_code == 302
    assert [message.to for message in mail.outbox] == [["amina@second.nhs.uk"]]


def test_it_shows_two_factor_and_the_recovery_codes_left(client, member):
    TOTP.activate(member, generate_totp_secret())
    codes = RecoveryCodes.activate(member)
    codes.validate_code(codes.generate_codes()[0])
    client.force_login(member)

    html = client.get(SECURITY_URL).content.decode()

    mfa = section(html, "mfa")
    assert "On" in mfa and "Off" not in mfa
    assert "9 of 10 recovery codes left." in mfa
    assert f'href="{reverse("mfa_index")}">Manage two-factor authentication' in mfa


def test_a_single_sign_on_member_sees_their_account_and_may_set_a_password(
    client, entra_configured
):
    member = member_join(
        email="sam.taylor@nhs.net", display_name="Sam Taylor", password=None, email_verified=True
    )
    SocialAccount.objects.create(user=member, provider="entra", uid="oid-1")
    client.force_login(member)

    html = client.get(SECURITY_URL).content.decode()

    assert "NHSmail (Microsoft)" in section(html, "sso")
    password = section(html, "password")
    assert "have no Equitime password" in password
    assert f'href="{reverse("account_set_password")}"' in password


def test_an_account_from_a_provider_since_switched_off_is_still_listed(client, member):
    SocialAccount.objects.create(user=member, provider="oidc", uid="old")
    client.force_login(member)

    response = client.get(SECURITY_URL)

    assert response.status_code == 200
    assert "oidc" in section(response.content.decode(), "sso")


def test_a_member_sees_only_their_own_addresses(client, member, other_member):
    client.force_login(other_member)

    html = client.get(SECURITY_URL).content.decode()

    assert other_member.email in html
    assert member.email not in html


def test_the_page_takes_a_handful_of_queries(client, member, django_assert_max_num_queries):
    TOTP.activate(member, generate_totp_secret())
    RecoveryCodes.activate(member)
    client.force_login(member)

    with django_assert_max_num_queries(12):
        assert client.get(SECURITY_URL).status_code == 200


def test_a_member_reaches_it_from_their_own_profile_only(client, member, other_member):
    client.force_login(member)

    own = client.get(reverse("profile_detail", args=[member.pk])).content.decode()
    theirs = client.get(reverse("profile_detail", args=[other_member.pk])).content.decode()

    assert f'href="{SECURITY_URL}"' in own
    assert f'href="{SECURITY_URL}"' not in theirs


def test_get_changes_nothing(client, member):
    client.force_login(member)
    before = (
        EmailAddress.objects.count(),
        Authenticator.objects.count(),
        AuditEntry.objects.count(),
    )

    client.get(SECURITY_URL)

    assert (
        EmailAddress.objects.count(),
        Authenticator.objects.count(),
        AuditEntry.objects.count(),
    ) == before
    assert mail.outbox == []


# --- E-mail addresses (allauth's page) ------------------------------------------------


def test_the_email_page_sits_in_our_layout_with_a_labelled_group(client, member):
    client.force_login(member)

    response = client.get(reverse("account_email"))

    assert response.status_code == 200
    assert_in_our_layout(response, h1="E-mail addresses")
    html = response.content.decode()
    assert '<legend class="field__legend">Your addresses</legend>' in html
    assert '<label for="id_email">' in html


def test_adding_an_address_asks_for_the_password_first(client, member):
    sign_in(client, member)

    response = client.post(
        reverse("account_email"), {"email": "amina@second.nhs.uk", "action_add": ""}
    )

    assert response.status_code == 302
    assert response["Location"] == f"{REAUTHENTICATE}?next=%2Faccounts%2Femail%2F"
    assert not EmailAddress.objects.filter(email="amina@second.nhs.uk").exists()
    assert email_entries() == []
    assert mail.outbox == []


def test_after_the_password_the_address_is_added_and_audited(client, member):
    sign_in(client, member)
    client.post(reverse("account_email"), {"email": "amina@second.nhs.uk", "action_add": ""})

    # allauth keeps the POST and replays it once the member has confirmed.
    response = client.post(REAUTHENTICATE, {"password": PASSWORD, "next": "/accounts/email/"})

    assert response.status_code == 302
    added = EmailAddress.objects.get(email="amina@second.nhs.uk")
    assert added.user == member and not added.verified
    assert [message.to for message in mail.outbox] == [["amina@second.nhs.uk"]]
    (entry,) = email_entries()
    assert entry.actor == member
    assert entry.data == {"event": "added", "email": "amina@second.nhs.uk"}
    assert entry.ip_address == "127.0.0.1"


def test_a_wrong_password_does_not_add_the_address(client, member):
    sign_in(client, member)
    client.post(reverse("account_email"), {"email": "amina@second.nhs.uk", "action_add": ""})

    response = client.post(
        REAUTHENTICATE, {"password": "not it at all", "next": "/accounts/email/"}
    )

    assert response.status_code == 200
    assert not EmailAddress.objects.filter(email="amina@second.nhs.uk").exists()


def test_changing_the_primary_address_and_removing_one_are_audited(client, member):
    old = member.email
    EmailAddress.objects.create(user=member, email="amina@second.nhs.uk", verified=True)
    sign_in(client, member)
    confirmed_just_now(client, member)

    client.post(reverse("account_email"), {"email": "amina@second.nhs.uk", "action_primary": ""})
    client.post(reverse("account_email"), {"email": old, "action_remove": ""})

    member = Member.objects.get(pk=member.pk)
    assert member.email == "amina@second.nhs.uk"
    assert list(EmailAddress.objects.filter(user=member).values_list("email", flat=True)) == [
        "amina@second.nhs.uk"
    ]
    assert [entry.data for entry in email_entries()] == [
        {"event": "primary_changed", "before": old, "after": "amina@second.nhs.uk"},
        {"event": "removed", "email": old},
    ]


def test_changing_the_primary_address_asks_for_the_password_when_stale(client, member):
    EmailAddress.objects.create(user=member, email="amina@second.nhs.uk", verified=True)
    sign_in(client, member)

    response = client.post(
        reverse("account_email"), {"email": "amina@second.nhs.uk", "action_primary": ""}
    )

    assert response["Location"].startswith(REAUTHENTICATE)
    assert Member.objects.get(pk=member.pk).email == member.email
    assert email_entries() == []


def test_with_two_factor_on_allauth_refuses_an_unconfirmed_new_address(client, member):
    TOTP.activate(member, generate_totp_secret())
    client.force_login(member)
    confirmed_just_now(client, member)

    response = client.post(
        reverse("account_email"), {"email": "amina@second.nhs.uk", "action_add": ""}
    )

    assert response.status_code == 200
    assert (
        "You cannot add an email address to an account protected by two-factor authentication."
        in response.content.decode()
    )
    assert not EmailAddress.objects.filter(email="amina@second.nhs.uk").exists()


# --- Single sign-on accounts (allauth's page) ------------------------------------------


def test_the_connections_page_sits_in_our_layout(client, member, entra_configured):
    client.force_login(member)

    response = client.get(reverse("socialaccount_connections"))

    assert_in_our_layout(response, h1="Single sign-on accounts")
    html = response.content.decode()
    assert "Connect NHSmail (Microsoft)" in html
    assert 'action="/accounts/oidc/entra/login/?process=connect"' in html


def test_the_connections_page_without_providers_offers_nothing_to_connect(client, member):
    client.force_login(member)

    html = client.get(reverse("socialaccount_connections")).content.decode()

    assert "Connect another account" not in html
    assert "/accounts/oidc/" not in html


def test_the_last_account_of_a_member_without_a_password_cannot_be_removed(
    client, entra_configured
):
    member = member_join(
        email="sam.taylor@nhs.net", display_name="Sam Taylor", password=None, email_verified=True
    )
    account = SocialAccount.objects.create(user=member, provider="entra", uid="oid-1")
    client.force_login(member)
    confirmed_just_now(client, member)

    page = client.get(reverse("socialaccount_connections"))
    assert_in_our_layout(page, h1="Single sign-on accounts")
    response = client.post(reverse("socialaccount_connections"), {"account": account.pk})

    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="error-summary"' in html
    assert "Your account has no password set up." in html
    assert SocialAccount.objects.filter(pk=account.pk).exists()


def test_the_password_pages_it_links_to_sit_in_our_layout(client, member):
    client.force_login(member)

    response = client.get(reverse("account_change_password"))

    assert_in_our_layout(response, h1="Change Password")


def test_a_member_without_a_password_is_asked_who_they_are_before_setting_one(client):
    member = member_join(
        email="sam.taylor@nhs.net", display_name="Sam Taylor", password=None, email_verified=True
    )
    client.force_login(member)

    response = client.get(reverse("account_set_password"))

    # No password to give again: allauth offers a code by e-mail instead.
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_request_reauthentication_code"))
    confirmed_just_now(client, member)
    assert_in_our_layout(client.get(reverse("account_set_password")), h1="Set Password")

"""Single sign-on, end to end, against a real OpenID Connect provider.

The stand-in provider (``oidc_provider.py``) runs on 127.0.0.1; allauth talks
to it over HTTP exactly as it would to Microsoft Entra ID (NHSmail) or any
other issuer. Only the browser is simulated: the test client plays Equitime's
side and ``requests`` plays the browser's visit to the provider.
"""

import copy
import socket
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from allauth.socialaccount.models import SocialAccount
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from equitime.core.errors import DomainError
from equitime.ledger.models import Account, Transfer
from equitime.members import roles
from equitime.members.models import Member
from equitime.members.rules import member_check_may_trade
from equitime.members.services import member_role_grant
from equitime.members.tests.factories import PASSWORD
from equitime.members.tests.oidc_provider import Person, StandInProvider, s256
from equitime.members.tests.pages import assert_in_our_layout
from equitime.moderation.services import member_suspend
from equitime.sso_settings import ENTRA_AUTHORITY, oidc_apps_from_env

pytestmark = pytest.mark.django_db

ENTRA_TENANT = "0b1c2d3e-nhs-tenant"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits and allauth's remembered jti live in the cache."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def generic_idp():
    with StandInProvider(client_id="equitime-generic", client_secret="generic-secret") as idp:
        yield idp


@pytest.fixture
def entra_idp():
    # Shaped like an Entra tenant: the issuer is https://login.microsoftonline.com/<tenant>/v2.0.
    with StandInProvider(
        client_id="equitime-entra",
        client_secret="entra-secret",
        base_path=f"/{ENTRA_TENANT}/v2.0",
    ) as idp:
        yield idp


def env_for(*, generic=None, entra=None, **extra) -> dict[str, str]:
    env: dict[str, str] = {}
    if generic is not None:
        env |= {
            "EQUITIME_OIDC_SERVER_URL": generic.issuer,
            "EQUITIME_OIDC_CLIENT_ID": generic.client_id,
            "EQUITIME_OIDC_CLIENT_SECRET": generic.client_secret,
            "EQUITIME_OIDC_NAME": "Leeds Health Partners",
        }
    if entra is not None:
        env |= {
            "EQUITIME_ENTRA_TENANT_ID": ENTRA_TENANT,
            "EQUITIME_ENTRA_CLIENT_ID": entra.client_id,
            "EQUITIME_ENTRA_CLIENT_SECRET": entra.client_secret,
            "EQUITIME_ENTRA_SERVER_URL": entra.issuer,
        }
    return env | extra


def use_apps(settings, env: dict[str, str]) -> None:
    """Point the project's own provider settings at the stand-ins."""
    providers = copy.deepcopy(settings.SOCIALACCOUNT_PROVIDERS)
    providers["openid_connect"]["APPS"] = oidc_apps_from_env(env)
    settings.SOCIALACCOUNT_PROVIDERS = providers


@pytest.fixture
def sso(settings, generic_idp, entra_idp):
    """Both providers configured, as production would be with both sets of variables."""
    use_apps(settings, env_for(generic=generic_idp, entra=entra_idp))
    return {"oidc": generic_idp, "entra": entra_idp}


def login_url(provider_id: str) -> str:
    return reverse("openid_connect_login", kwargs={"provider_id": provider_id})


def start(client, provider_id: str):
    """Press the provider's button: a POST that sends the browser to the provider."""
    return client.post(f"{login_url(provider_id)}?process=login")


def visit_provider(authorize_url: str) -> str:
    """The browser at the provider: it approves and redirects back. Returns
    Equitime's callback path with its query (code and state)."""
    response = requests.get(authorize_url, allow_redirects=False, timeout=10)
    assert response.status_code == 302, response.text
    back = urlsplit(response.headers["Location"])
    assert (back.scheme, back.netloc) == ("http", "testserver")
    return f"{back.path}?{back.query}"


def sign_in_with(client, provider_id: str):
    """The whole round trip; returns Equitime's answer to the callback."""
    response = start(client, provider_id)
    assert response.status_code == 302, response.content.decode()[:2000]
    return client.get(visit_provider(response["Location"]))


def signed_in_id(client):
    return client.session.get("_auth_user_id")


def assert_not_signed_in(client):
    assert signed_in_id(client) is None
    assert client.get(reverse("dashboard")).status_code == 302


# --- The sign-in and sign-up pages ------------------------------------------------


@pytest.mark.parametrize("page", ["account_login", "account_signup"])
def test_the_sign_in_and_join_pages_show_a_button_for_each_provider(client, sso, page):
    response = client.get(reverse(page))
    assert_in_our_layout(response)
    html = response.content.decode()

    assert "Or use your organisation's account" in html
    for provider_id, label in [
        ("entra", "Sign in with NHSmail (Microsoft)"),
        ("oidc", "Sign in with Leeds Health Partners"),
    ]:
        # A form that POSTs to the provider's login URL: a sign-in never starts on a GET.
        action = f'<form method="post" action="{login_url(provider_id)}?process=login">'
        assert action in html
        form = html.split(action)[1].split("</form>")[0]
        assert "csrfmiddlewaretoken" in form
        assert f'<button type="submit" class="button button--secondary">{label}</button>' in form


@pytest.mark.parametrize("page", ["account_login", "account_signup"])
def test_without_providers_the_pages_show_no_single_sign_on(client, settings, page):
    use_apps(settings, {})

    html = client.get(reverse(page)).content.decode()

    assert "/accounts/oidc/" not in html
    assert "Sign in with" not in html
    assert "organisation's account" not in html


# --- The round trip ---------------------------------------------------------------


def test_get_on_the_provider_login_url_asks_first_and_changes_nothing(client, sso):
    response = client.get(login_url("entra"))

    assert response.status_code == 200
    assert_in_our_layout(response, h1="Sign in with NHSmail (Microsoft)")
    assert '<form method="post" class="form">' in response.content.decode()
    assert "socialaccount_states" not in client.session
    assert sso["entra"].record.authorize == []


def test_post_sends_the_browser_to_the_provider_with_pkce_and_state(client, sso):
    response = start(client, "oidc")

    assert response.status_code == 302
    target = urlsplit(response["Location"])
    assert f"{target.scheme}://{target.netloc}{target.path}" == sso["oidc"].url("authorize")
    query = {k: v[0] for k, v in parse_qs(target.query).items()}
    assert query["client_id"] == "equitime-generic"
    assert query["response_type"] == "code"
    assert set(query["scope"].split()) == {"openid", "profile", "email"}
    assert query["redirect_uri"] == "http://testserver/accounts/oidc/oidc/login/callback/"
    assert query["code_challenge_method"] == "S256"
    assert query["state"] in client.session["socialaccount_states"]
    assert signed_in_id(client) is None


def test_a_new_colleague_joins_through_nhsmail_with_the_welcome_gift(client, sso):
    sso["entra"].person = Person(
        sub="entra-oid-1", email="Priya.Shah@nhs.net", name="Priya Shah", email_verified=None
    )

    response = sign_in_with(client, "entra")

    assert response.status_code == 302, response.content.decode()[:3000]
    assert response["Location"] == reverse("dashboard")
    member = Member.objects.get()
    assert signed_in_id(client) == str(member.pk)
    assert member.email == "priya.shah@nhs.net"
    assert member.display_name == "Priya Shah"
    assert not member.has_usable_password()
    assert member.profile is not None
    account = Account.objects.get(member=member)
    assert account.available == 120
    assert Transfer.objects.get(credit_account=account).kind == Transfer.Kind.WELCOME_GIFT
    # Entra sends no email_verified claim; the tenant's addresses are trusted.
    assert EmailAddress.objects.get(user=member).verified
    member_check_may_trade(member)
    social = SocialAccount.objects.get(user=member)
    assert (social.provider, social.uid) == ("entra", "entra-oid-1")
    # The provider really checked our secret and PKCE verifier.
    token_request = sso["entra"].record.token[-1]
    assert token_request["client_secret"] == "entra-secret"
    challenge = sso["entra"].record.authorize[-1]["code_challenge"]
    assert s256(token_request["code_verifier"]) == challenge


def test_the_generic_provider_is_believed_when_it_says_the_address_is_verified(client, sso):
    sso["oidc"].person = Person(sub="u-7", email="ben.carter@nhs.net", name="Ben Carter")

    sign_in_with(client, "oidc")

    member = Member.objects.get()
    assert signed_in_id(client) == str(member.pk)
    assert EmailAddress.objects.get(user=member).verified
    member_check_may_trade(member)
    assert not mail.outbox  # nothing to confirm


def test_an_unverified_address_from_the_generic_provider_must_be_confirmed(client, sso):
    sso["oidc"].person = Person(
        sub="u-8", email="new.starter@nhs.net", name="New Starter", email_verified=False
    )

    sign_in_with(client, "oidc")

    member = Member.objects.get()
    assert signed_in_id(client) == str(member.pk)
    assert not EmailAddress.objects.get(user=member).verified
    with pytest.raises(DomainError) as refusal:
        member_check_may_trade(member)
    assert refusal.value.code == "email_unverified"
    assert [message.to for message in mail.outbox] == [["new.starter@nhs.net"]]


def test_signing_in_again_reuses_the_same_member(client, sso):
    sign_in_with(client, "entra")
    first = Member.objects.get()
    client.post(reverse("account_logout"))
    assert signed_in_id(client) is None

    response = sign_in_with(client, "entra")

    assert response.status_code == 302
    assert signed_in_id(client) == str(first.pk)
    assert Member.objects.count() == 1
    assert SocialAccount.objects.count() == 1
    assert Transfer.objects.filter(kind=Transfer.Kind.WELCOME_GIFT).count() == 1


def test_a_password_member_signs_in_to_the_same_account_through_nhsmail(client, sso, make_member):
    member = make_member(email="amina.okafor@nhs.net", display_name="Amina Okafor")
    sso["entra"].person = Person(sub="entra-oid-2", email="Amina.Okafor@nhs.net", name="A O")

    response = sign_in_with(client, "entra")

    assert response.status_code == 302
    assert signed_in_id(client) == str(member.pk)
    assert Member.objects.count() == 1
    assert SocialAccount.objects.get().user == member
    member.refresh_from_db()
    assert member.display_name == "Amina Okafor"
    # Their address was confirmed, so allauth keeps their password.
    assert member.check_password(PASSWORD)


def test_an_unconfirmed_password_account_loses_its_password_when_nhsmail_claims_it(
    client, sso, make_member
):
    """allauth's guard against someone who joined with a colleague's address
    before the colleague did: the password they chose stops working once the
    address's real owner signs in through a provider that vouches for it."""
    squatter = make_member(email="amina.okafor@nhs.net", email_verified=False)
    EmailAddress.objects.create(user=squatter, email=squatter.email, primary=True, verified=False)
    sso["entra"].person = Person(sub="entra-oid-3", email="amina.okafor@nhs.net", name="Amina")

    sign_in_with(client, "entra")

    assert signed_in_id(client) == str(squatter.pk)
    squatter.refresh_from_db()
    assert not squatter.has_usable_password()


def test_the_generic_provider_does_not_sign_in_to_a_password_account_by_address(
    client, sso, make_member
):
    member = make_member(email="amina.okafor@nhs.net")
    sso["oidc"].person = Person(sub="u-9", email="amina.okafor@nhs.net", name="Not Amina")

    response = sign_in_with(client, "oidc")

    # Asked to sign up instead; the address is taken, so that cannot succeed either.
    assert response.status_code == 302
    assert response["Location"] == reverse("socialaccount_signup")
    assert signed_in_id(client) is None
    assert not SocialAccount.objects.exists()
    assert Member.objects.get() == member
    page = client.get(reverse("socialaccount_signup"))
    assert page.status_code == 200
    assert_in_our_layout(page, h1="Join Equitime")
    posted = client.post(
        reverse("socialaccount_signup"),
        {"email": "amina.okafor@nhs.net", "display_name": "Not Amina", "organisation": ""},
    )
    assert posted.status_code == 200
    assert "error-summary" in posted.content.decode()
    assert signed_in_id(client) is None
    assert Member.objects.count() == 1


def test_a_trusted_generic_provider_signs_in_to_the_password_account(
    client, settings, generic_idp, make_member
):
    use_apps(settings, env_for(generic=generic_idp, EQUITIME_OIDC_TRUST_EMAIL="1"))
    member = make_member(email="amina.okafor@nhs.net")
    generic_idp.person = Person(sub="u-10", email="amina.okafor@nhs.net", name="Amina")

    sign_in_with(client, "oidc")

    assert signed_in_id(client) == str(member.pk)
    assert SocialAccount.objects.get().user == member


# --- Who may not come in ----------------------------------------------------------


def test_an_address_outside_the_allowed_domains_needs_an_invitation(client, sso, settings):
    settings.EQUITIME_ALLOWED_EMAIL_DOMAINS = ["nhs.net"]
    sso["entra"].person = Person(sub="x-1", email="someone@gmail.com", name="Someone")

    response = sign_in_with(client, "entra")

    assert response.status_code == 403
    assert_in_our_layout(response, h1="Joining with this address needs an invitation")
    html = response.content.decode()
    assert "Joining with this address needs an invitation" in html
    assert "someone@gmail.com" in html
    assert not Member.objects.exists()
    assert not SocialAccount.objects.exists()
    assert not Transfer.objects.exists()
    assert signed_in_id(client) is None


def test_an_allowed_domain_still_joins_when_the_list_is_set(client, sso, settings):
    settings.EQUITIME_ALLOWED_EMAIL_DOMAINS = ["nhs.net"]

    sign_in_with(client, "entra")

    assert Member.objects.get().email == "sam.taylor@nhs.net"


def test_a_callback_with_a_state_we_never_issued_is_refused(client, sso):
    response = start(client, "oidc")
    callback = visit_provider(response["Location"])
    path, query = callback.split("?")
    forged = {k: v[0] for k, v in parse_qs(query).items()} | {"state": "not-our-state"}

    answer = client.get(path, forged)

    assert answer.status_code == 401
    assert_in_our_layout(answer, h1="Signing in with Leeds Health Partners did not work")
    assert sso["oidc"].record.token == []  # the code was never even redeemed
    assert not Member.objects.exists()
    assert_not_signed_in(client)


def test_a_callback_replayed_in_another_browser_is_refused(client, sso):
    from django.test import Client

    callback = visit_provider(start(client, "oidc")["Location"])

    answer = Client().get(callback)

    assert answer.status_code == 401
    assert not Member.objects.exists()


def test_a_code_is_redeemed_once(client, sso):
    callback = visit_provider(start(client, "oidc")["Location"])
    assert client.get(callback).status_code == 302
    client.post(reverse("account_logout"))

    again = client.get(callback)

    assert again.status_code == 401  # its state was used up with the first
    assert_not_signed_in(client)


@pytest.mark.parametrize("tamper", ["audience", "issuer", "expired", "garbage", "subject"])
def test_a_bad_id_token_is_refused_without_signing_in(client, sso, tamper):
    sso["oidc"].tamper = tamper

    response = sign_in_with(client, "oidc")

    assert response.status_code == 401
    assert "did not work" in response.content.decode()
    assert not Member.objects.exists()
    assert not SocialAccount.objects.exists()
    assert_not_signed_in(client)


def test_a_bad_id_token_does_not_sign_in_an_existing_member(client, sso):
    sign_in_with(client, "entra")
    client.post(reverse("account_logout"))
    sso["entra"].tamper = "subject"

    response = sign_in_with(client, "entra")

    assert response.status_code == 401
    assert_not_signed_in(client)


def test_an_id_token_signed_by_another_key_is_not_checked_on_the_back_channel(client, sso):
    """allauth's documented choice, pinned here so an upgrade that changes it is
    noticed: an id_token fetched by Equitime itself from the token endpoint is
    trusted through TLS (OIDC Core 3.1.3.7) and its signature is not checked.
    Who signs in still comes from userinfo, fetched with the access token, and
    it must name the same subject (see the 'subject' case above)."""
    sso["oidc"].tamper = "signature"

    response = sign_in_with(client, "oidc")

    assert response.status_code == 302
    assert Member.objects.get().email == "sam.taylor@nhs.net"


def test_a_wrong_client_secret_is_refused(client, settings, sso):
    env = env_for(generic=sso["oidc"], EQUITIME_OIDC_CLIENT_SECRET="guessed")
    use_apps(settings, env)

    response = sign_in_with(client, "oidc")

    assert response.status_code == 401
    assert sso["oidc"].record.token_errors == ["invalid_client"]
    assert_not_signed_in(client)


def test_a_suspended_member_cannot_sign_in_with_sso(client, sso, make_member):
    sign_in_with(client, "entra")
    member = Member.objects.get()
    client.post(reverse("account_logout"))
    moderator = member_role_grant(member=make_member(), role=roles.MODERATOR, by=None)
    member_suspend(member=member, by=moderator, reason="Posting adverts for paid work")

    response = sign_in_with(client, "entra")

    assert response.status_code == 302
    assert response["Location"] == reverse("account_inactive")
    assert_not_signed_in(client)
    assert_in_our_layout(client.get(response["Location"]))


def test_a_suspended_password_member_cannot_get_in_through_nhsmail_either(client, sso, make_member):
    member = make_member(email="sam.taylor@nhs.net")
    moderator = member_role_grant(member=make_member(), role=roles.MODERATOR, by=None)
    member_suspend(member=member, by=moderator, reason="Under review")

    sign_in_with(client, "entra")

    assert_not_signed_in(client)
    assert Member.objects.filter(email="sam.taylor@nhs.net").count() == 1


def test_cancelling_at_the_provider_comes_back_to_a_page_that_says_so(client, sso):
    authorize = start(client, "entra")["Location"]
    state = parse_qs(urlsplit(authorize).query)["state"][0]
    callback = reverse("openid_connect_callback", kwargs={"provider_id": "entra"})

    response = client.get(callback, {"error": "access_denied", "state": state})

    assert response.status_code == 302
    assert response["Location"] == reverse("socialaccount_login_cancelled")
    assert_in_our_layout(client.get(response["Location"]))
    assert_not_signed_in(client)


# --- Connecting an account to a member ------------------------------------------------


def test_a_member_connects_nhsmail_after_giving_their_password_again(client, sso, make_member):
    member = make_member(email="amina.okafor@example.org")  # not the NHSmail address
    sso["entra"].person = Person(sub="oid-amina", email="amina.okafor@nhs.net", name="Amina")
    client.post(reverse("account_login"), {"login": member.email, "password": PASSWORD})
    connect = client.post(f"{login_url('entra')}?process=connect")
    callback = visit_provider(connect["Location"])

    asked = client.get(callback)

    assert asked.status_code == 302
    assert asked["Location"] == reverse("account_reauthenticate")
    assert not SocialAccount.objects.exists()
    done = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert done.status_code == 302
    assert done["Location"] == reverse("socialaccount_connections")
    social = SocialAccount.objects.get()
    assert (social.user, social.provider, social.uid) == (member, "entra", "oid-amina")
    page = client.get(reverse("socialaccount_connections"))
    assert_in_our_layout(page, h1="Single sign-on accounts")
    # From now on NHSmail signs in to this member, whatever their Equitime address.
    client.post(reverse("account_logout"))
    sign_in_with(client, "entra")
    assert signed_in_id(client) == str(member.pk)
    assert Member.objects.count() == 1


def test_an_nhsmail_account_already_used_by_another_member_is_not_moved(client, sso, make_member):
    sign_in_with(client, "entra")  # Sam joins with it
    sam = Member.objects.get()
    client.post(reverse("account_logout"))
    other = make_member(email="ben.carter@nhs.net")
    client.post(reverse("account_login"), {"login": other.email, "password": PASSWORD})
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})

    response = client.get(
        visit_provider(client.post(f"{login_url('entra')}?process=connect")["Location"])
    )

    assert response.status_code == 302
    assert SocialAccount.objects.get().user == sam
    assert signed_in_id(client) == str(other.pk)


# --- Settings from the environment -------------------------------------------------


def test_no_variables_means_no_providers():
    assert oidc_apps_from_env({}) == []
    assert oidc_apps_from_env({"EQUITIME_ENTRA_TENANT_ID": "t"}) == []  # no client id
    assert oidc_apps_from_env({"EQUITIME_OIDC_SERVER_URL": "https://idp.example.org"}) == []


def test_entra_is_built_from_the_tenant():
    (app,) = oidc_apps_from_env(
        {
            "EQUITIME_ENTRA_TENANT_ID": " 1234-abcd ",
            "EQUITIME_ENTRA_CLIENT_ID": "client",
            "EQUITIME_ENTRA_CLIENT_SECRET": "secret",
        }
    )

    assert app["provider_id"] == "entra"
    assert app["name"] == "NHSmail (Microsoft)"
    assert (app["client_id"], app["secret"]) == ("client", "secret")
    assert app["settings"]["server_url"] == "https://login.microsoftonline.com/1234-abcd/v2.0"
    assert app["settings"]["server_url"] == ENTRA_AUTHORITY.format(tenant="1234-abcd")
    assert app["settings"]["verified_email"] is True
    assert app["settings"]["email_authentication"] is True


def test_the_generic_provider_trusts_addresses_only_when_told():
    env = {
        "EQUITIME_OIDC_SERVER_URL": "https://idp.example.org",
        "EQUITIME_OIDC_CLIENT_ID": "client",
    }
    (plain,) = oidc_apps_from_env(env)
    (trusted,) = oidc_apps_from_env(env | {"EQUITIME_OIDC_TRUST_EMAIL": "1"})
    (not_one,) = oidc_apps_from_env(env | {"EQUITIME_OIDC_TRUST_EMAIL": "yes"})

    assert plain["provider_id"] == "oidc"
    assert plain["name"] == "Single sign-on"
    assert plain["settings"] == {"server_url": "https://idp.example.org"}
    assert trusted["settings"]["verified_email"] is True
    assert trusted["settings"]["email_authentication"] is True
    assert "verified_email" not in not_one["settings"]


def test_both_providers_can_be_configured_together(sso):
    apps = oidc_apps_from_env(env_for(generic=sso["oidc"], entra=sso["entra"]))

    assert [app["provider_id"] for app in apps] == ["entra", "oidc"]


def test_single_sign_on_still_asks_for_the_second_factor_when_it_is_on(client, sso):
    sign_in_with(client, "entra")
    member = Member.objects.get()
    TOTP.activate(member, generate_totp_secret())
    client.post(reverse("account_logout"))

    response = sign_in_with(client, "entra")

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert_not_signed_in(client)


def test_a_member_without_a_password_confirms_it_is_them_with_an_emailed_code(client, sso):
    sign_in_with(client, "entra")

    response = client.get(reverse("mfa_activate_totp"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_request_reauthentication_code"))
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert_in_our_layout(page)


def test_an_unreachable_provider_gets_a_page_that_says_so_not_a_server_error(
    client, settings, generic_idp
):
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()  # nothing listens here now
    env = env_for(generic=generic_idp)
    env["EQUITIME_OIDC_SERVER_URL"] = f"http://127.0.0.1:{port}"
    use_apps(settings, env)

    response = start(client, "oidc")

    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert "cannot be reached" in response.content.decode()
    assert_not_signed_in(client)

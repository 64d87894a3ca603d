"""The sign-in, sign-up, password-reset and confirmation pages are ours, not
allauth's defaults: our words, sentence case, our layout, and "e-mail" written
the way the rest of the site writes it (issue 12 §15)."""

import html
import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

# allauth's defaults, as they read on today's main.
DEFAULTS = (
    "Sign In",
    "Sign Up",
    "Signup",
    "Remember Me",
    "Confirm Email Address",
    "Verify Your Email",
    "Password Reset",
    "Reset My Password",
    "Bad Token",
    "Change Password",
    "please sign up",
    "Please contact us",
)
ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
EMAIL_WITHOUT_HYPHEN = re.compile(r"\bemails?\b", re.I)


def visible_text(response) -> str:
    page = response.content.decode()
    main = re.search(r"<main\b.*?</main>", page, flags=re.S)
    assert main, "no <main> landmark"
    title = re.search(r"<title>(.*?)</title>", page, flags=re.S)
    assert title, "no <title>"
    # Labels, buttons, text and placeholders; other attributes (names, ids, URLs) are not read.
    placeholders = " ".join(re.findall(r'placeholder="([^"]*)"', main.group(0)))
    text = re.sub(r"<[^>]+>", " ", main.group(0)) + " " + title.group(1) + " " + placeholders
    return ADDRESS.sub(" ", " ".join(html.unescape(text).split()))


PAGES = {
    "sign in": ("/accounts/login/", "Sign in"),
    "join": ("/accounts/signup/", "Join Equitime"),
    "password reset": ("/accounts/password/reset/", "Reset your password"),
    "password reset sent": ("/accounts/password/reset/done/", "Check your e-mail"),
    "confirmation sent": ("/accounts/confirm-email/", "Check your e-mail"),
    "confirmation link broken": (
        "/accounts/confirm-email/not-a-key/",
        "Confirm your e-mail address",
    ),
    "reset link broken": ("/accounts/password/reset/key/1-x/", "This link no longer works"),
}


@pytest.mark.parametrize("name", PAGES)
def test_account_pages_use_our_words_and_layout(client, name):
    url, heading = PAGES[name]
    response = client.get(url)

    assert response.status_code == 200
    page = response.content.decode()
    assert re.search(rf"<h1[^>]*>\s*{re.escape(heading)}\s*</h1>", page), heading
    assert 'class="narrow card"' in page  # our layout (allauth/layouts/base.html)
    text = visible_text(response)
    assert [words for words in DEFAULTS if words in text] == []
    assert EMAIL_WITHOUT_HYPHEN.findall(text) == []


def test_sign_in_labels_the_address_and_the_keep_signed_in_box(client):
    text = visible_text(client.get(reverse("account_login")))

    assert "E-mail address" in text
    assert "Keep me signed in" in text


def test_a_wrong_password_is_told_in_the_sites_words(client, member):
    response = client.post(
        reverse("account_login"), {"login": member.email, "password": "not it at all 123"}
    )

    text = visible_text(response)
    assert "The e-mail address or the password is not correct." in text
    assert EMAIL_WITHOUT_HYPHEN.findall(text) == []


def test_confirming_an_address_is_in_our_words(client, member):
    from allauth.account.models import EmailAddress, EmailConfirmationHMAC

    address = EmailAddress.objects.filter(user=member).first() or EmailAddress.objects.create(
        user=member, email=member.email, primary=True, verified=False
    )
    address.verified = False
    address.save(update_fields=["verified"])
    client.force_login(member)
    key = EmailConfirmationHMAC(address).key

    text = visible_text(client.get(reverse("account_confirm_email", args=[key])))
    response = client.post(reverse("account_confirm_email", args=[key]), follow=True)

    assert "is your e-mail address" in text
    assert EMAIL_WITHOUT_HYPHEN.findall(text) == []
    assert f"Your e-mail address {member.email} is confirmed." in response.content.decode()

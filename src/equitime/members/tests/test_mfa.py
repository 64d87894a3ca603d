"""Two-factor authentication (an authenticator app, with recovery codes)
through allauth's real pages, as a member meets them.

Codes are computed the way an authenticator app does, from the secret the
activation page keeps in the session.
"""

import base64
import time

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, format_hotp_value, hotp_value
from django.core.cache import cache
from django.urls import reverse

from equitime.audit.models import AuditEntry
from equitime.members.tests.factories import PASSWORD
from equitime.members.tests.pages import assert_in_our_layout, csp_allows_data_images

pytestmark = pytest.mark.django_db

AUTH_RECORDS = "account_authentication_methods"  # allauth's session key
REAUTHENTICATE = reverse("account_reauthenticate")


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits and used TOTP codes are kept in the cache."""
    cache.clear()
    yield
    cache.clear()


def totp_code(secret: str, *, steps_ahead: int = 0) -> str:
    """The code an authenticator app shows now. Near the end of a period,
    wait for the next one, so the server does not see a code about to expire."""
    period = mfa_settings.TOTP_PERIOD
    if period - time.time() % period < 2:
        time.sleep(period - time.time() % period + 0.1)
    return format_hotp_value(hotp_value(secret, int(time.time()) // period + steps_ahead))


def signed_in_id(client):
    return client.session.get("_auth_user_id")


def sign_in(client, member):
    return client.post(reverse("account_login"), {"login": member.email, "password": PASSWORD})


def reauthenticate(client, next_url: str | None = None):
    data = {"password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(REAUTHENTICATE, data)


def age_authentication(client, seconds: int) -> None:
    """Travel in time: make every sign-in and re-authentication this session
    remembers ``seconds`` older, as allauth would see them later."""
    session = client.session
    session[AUTH_RECORDS] = [
        {**record, "at": record["at"] - seconds} for record in session[AUTH_RECORDS]
    ]
    session.save()


def mfa_entries():
    return list(AuditEntry.objects.filter(action=AuditEntry.Action.MFA_CHANGED).order_by("id"))


def activate_totp(client, member, capture) -> str:
    """Sign in, confirm the password, scan and confirm: returns the secret."""
    sign_in(client, member)
    reauthenticate(client)
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    with capture(execute=True):  # allauth signals activation after commit
        response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert response.status_code == 302, response.content.decode()[:3000]
    return secret


def recovery_codes(member) -> list[str]:
    authenticator = Authenticator.objects.get(user=member, type=Authenticator.Type.RECOVERY_CODES)
    return authenticator.wrap().get_unused_codes()


# --- Turning it on --------------------------------------------------------------------


def test_setting_up_asks_for_the_password_even_just_after_signing_in(client, member):
    sign_in(client, member)

    response = client.get(reverse("mfa_activate_totp"))

    assert response.status_code == 302
    assert response["Location"] == f"{REAUTHENTICATE}?next=%2Faccounts%2F2fa%2Ftotp%2Factivate%2F"
    assert SECRET_SESSION_KEY not in client.session


def test_after_confirming_the_password_the_setup_page_shows_a_qr_code(client, member):
    sign_in(client, member)
    confirm = client.get(f"{REAUTHENTICATE}?next=/accounts/2fa/totp/activate/")
    assert_in_our_layout(confirm, h1="Confirm Access")

    response = reauthenticate(client, next_url="/accounts/2fa/totp/activate/")
    assert response["Location"] == "/accounts/2fa/totp/activate/"
    page = client.get(response["Location"])

    assert page.status_code == 200
    parsed = assert_in_our_layout(page, h1="Activate Authenticator App")
    (qr,) = [img for img in parsed.images if img["src"].startswith("data:")]
    assert qr["src"].startswith("data:image/svg+xml;base64,")
    assert qr["alt"] == "QR code to scan with your authenticator app"
    svg = base64.b64decode(qr["src"].split(",", 1)[1]).decode()
    assert svg.lstrip().startswith(("<?xml", "<svg")) and "<script" not in svg
    assert csp_allows_data_images(page)  # img-src 'self' data:
    secret = client.session[SECRET_SESSION_KEY]
    html = page.content.decode()
    assert f'value="{secret}"' in html  # to type in by hand instead of scanning
    assert '<label for="id_code">Authenticator code</label>' in html


def test_the_setup_page_asks_again_once_the_confirmation_is_stale(client, member):
    sign_in(client, member)
    reauthenticate(client)
    assert client.get(reverse("mfa_activate_totp")).status_code == 200

    age_authentication(client, 301)  # ACCOUNT_REAUTHENTICATION_TIMEOUT is 300

    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 302
    assert response["Location"].startswith(REAUTHENTICATE)


def test_a_wrong_code_does_not_turn_it_on(client, member):
    sign_in(client, member)
    reauthenticate(client)
    client.get(reverse("mfa_activate_totp"))

    response = client.post(reverse("mfa_activate_totp"), {"code": "000000"})

    assert response.status_code == 200
    assert "error-summary" in response.content.decode()
    assert not Authenticator.objects.filter(user=member).exists()
    assert mfa_entries() == []


def test_a_correct_code_turns_it_on_with_recovery_codes_and_is_audited(
    client, member, django_capture_on_commit_callbacks
):
    activate_totp(client, member, django_capture_on_commit_callbacks)

    kinds = set(Authenticator.objects.filter(user=member).values_list("type", flat=True))
    assert kinds == {Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES}
    assert len(recovery_codes(member)) == 10
    entries = mfa_entries()
    assert [(e.data["event"], e.data["type"]) for e in entries] == [
        ("authenticator_added", "totp"),
        ("authenticator_added", "recovery_codes"),
    ]
    assert all(e.actor == member and e.ip_address == "127.0.0.1" for e in entries)
    assert member.email in entries[0].summary
    # And the member is shown the codes to keep.
    codes_page = client.get(reverse("mfa_view_recovery_codes"))
    assert_in_our_layout(codes_page, h1="Recovery Codes")
    assert recovery_codes(member)[0] in codes_page.content.decode()


def test_the_two_factor_overview_sits_in_our_layout(
    client, member, django_capture_on_commit_callbacks
):
    sign_in(client, member)
    before = client.get(reverse("mfa_index"))
    assert_in_our_layout(before, h1="Two-Factor Authentication")
    assert 'href="/accounts/2fa/totp/activate/"' in before.content.decode()

    activate_totp(client, member, django_capture_on_commit_callbacks)

    after = client.get(reverse("mfa_index"))
    html = after.content.decode()
    assert_in_our_layout(after, h1="Two-Factor Authentication")
    assert 'class="button button--danger"' in html  # Deactivate
    assert "There are 10 out of 10 recovery codes available." in " ".join(html.split())


# --- Signing in with it ---------------------------------------------------------------


@pytest.fixture
def member_with_totp(client, member, django_capture_on_commit_callbacks):
    secret = activate_totp(client, member, django_capture_on_commit_callbacks)
    client.post(reverse("account_logout"))
    assert signed_in_id(client) is None
    return member, secret


def test_signing_in_then_asks_for_a_code(client, member_with_totp):
    member, _secret = member_with_totp

    response = sign_in(client, member)

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert signed_in_id(client) is None
    page = client.get(reverse("mfa_authenticate"))
    assert_in_our_layout(page, h1="Two-Factor Authentication")


def test_a_wrong_code_is_refused(client, member_with_totp):
    member, _secret = member_with_totp
    sign_in(client, member)

    response = client.post(reverse("mfa_authenticate"), {"code": "123456"})

    assert response.status_code == 200
    assert "Incorrect code." in response.content.decode()
    assert signed_in_id(client) is None
    assert client.get(reverse("dashboard")).status_code == 302


def test_a_correct_code_signs_in(client, member_with_totp):
    member, secret = member_with_totp
    sign_in(client, member)

    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})

    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")
    assert signed_in_id(client) == str(member.pk)


def test_the_same_code_does_not_sign_in_twice(client, member_with_totp):
    member, secret = member_with_totp
    code = totp_code(secret)
    sign_in(client, member)
    client.post(reverse("mfa_authenticate"), {"code": code})
    client.post(reverse("account_logout"))

    sign_in(client, member)
    response = client.post(reverse("mfa_authenticate"), {"code": code})

    assert response.status_code == 200
    assert signed_in_id(client) is None


def test_an_unused_recovery_code_signs_in_once(client, member_with_totp):
    member, _secret = member_with_totp
    code = recovery_codes(member)[3]
    sign_in(client, member)

    response = client.post(reverse("mfa_authenticate"), {"code": code})

    assert response.status_code == 302
    assert signed_in_id(client) == str(member.pk)
    assert code not in recovery_codes(member)
    assert len(recovery_codes(member)) == 9

    client.post(reverse("account_logout"))
    sign_in(client, member)
    again = client.post(reverse("mfa_authenticate"), {"code": code})

    assert again.status_code == 200
    assert "Incorrect code." in again.content.decode()
    assert signed_in_id(client) is None


# --- Turning it off and renewing codes ------------------------------------------------


def test_turning_it_off_asks_for_the_password_and_is_audited(client, member_with_totp):
    member, secret = member_with_totp
    sign_in(client, member)
    client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})

    response = client.get(reverse("mfa_deactivate_totp"))
    assert response.status_code == 302
    assert response["Location"].startswith(REAUTHENTICATE)
    refused = client.post(reverse("mfa_deactivate_totp"))
    assert refused.status_code == 302 and refused["Location"].startswith(REAUTHENTICATE)
    assert Authenticator.objects.filter(user=member, type=Authenticator.Type.TOTP).exists()

    reauthenticate(client)
    page = client.get(reverse("mfa_deactivate_totp"))
    assert_in_our_layout(page, h1="Deactivate Authenticator App")
    response = client.post(reverse("mfa_deactivate_totp"))

    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=member).exists()  # codes go with it
    removed = [e.data for e in mfa_entries() if e.data["event"] == "authenticator_removed"]
    assert sorted(d["type"] for d in removed) == ["recovery_codes", "totp"]
    client.post(reverse("account_logout"))
    assert sign_in(client, member)["Location"] == reverse("dashboard")  # no code asked


def test_new_recovery_codes_replace_the_old_ones_and_are_audited(
    client, member_with_totp, django_capture_on_commit_callbacks
):
    member, secret = member_with_totp
    old = recovery_codes(member)
    sign_in(client, member)
    client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert client.get(reverse("mfa_generate_recovery_codes"))["Location"].startswith(REAUTHENTICATE)

    reauthenticate(client)
    assert_in_our_layout(client.get(reverse("mfa_generate_recovery_codes")), h1="Recovery Codes")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("mfa_generate_recovery_codes"))

    assert response.status_code == 302
    assert set(recovery_codes(member)).isdisjoint(old)
    assert mfa_entries()[-1].data == {"event": "authenticator_reset", "type": "recovery_codes"}


def test_with_two_factor_on_a_code_also_confirms_it_is_you(client, member_with_totp):
    member, secret = member_with_totp
    code = totp_code(secret)
    sign_in(client, member)
    client.post(reverse("mfa_authenticate"), {"code": code})

    page = client.get(reverse("mfa_reauthenticate"))
    assert_in_our_layout(page, h1="Confirm Access")
    spent = client.post(reverse("mfa_reauthenticate"), {"code": code})
    assert spent.status_code == 200  # the code that signed in is spent
    assert "Incorrect code." in spent.content.decode()

    response = client.post(reverse("mfa_reauthenticate"), {"code": recovery_codes(member)[0]})

    assert response.status_code == 302
    assert client.get(reverse("mfa_deactivate_totp")).status_code == 200


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_with_real_commits_turning_it_on_is_audited_after_it_is_saved(client, make_member):
    """allauth sends its 'added' signals from transaction.on_commit: with real
    transactions (not the test's wrapping one) the entries appear once the
    authenticators are saved, and not before."""
    member = make_member()
    sign_in(client, member)
    reauthenticate(client)
    client.get(reverse("mfa_activate_totp"))
    secret = client.session[SECRET_SESSION_KEY]

    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})

    assert response.status_code == 302
    assert Authenticator.objects.filter(user=member).count() == 2
    assert sorted(e.data["type"] for e in mfa_entries()) == ["recovery_codes", "totp"]

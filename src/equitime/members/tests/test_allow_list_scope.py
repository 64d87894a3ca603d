"""The allow-list applies where an address is chosen, not where a member names
one they already have: an invited member from outside it is never locked out."""

import pytest
from django.core import mail
from django.urls import reverse

from equitime.members.tests.factories import PASSWORD


@pytest.fixture
def invited(settings, make_member):
    settings.EQUITIME_ALLOWED_EMAIL_DOMAINS = ["nhs.net", "*.nhs.uk"]
    return make_member(email="carer@care-charity.org.uk")


def test_an_invited_member_can_reset_their_password(client, invited):
    response = client.post(reverse("account_reset_password"), {"email": invited.email})

    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[invited.email]]


def test_an_invited_member_can_sign_in(client, invited):
    response = client.post(reverse("account_login"), {"login": invited.email, "password": PASSWORD})

    assert response.status_code == 302
    assert client.session.get("_auth_user_id") == str(invited.pk)


def test_adding_an_address_outside_the_list_is_refused(client, invited):
    client.force_login(invited)
    client.post(reverse("account_login"), {"login": invited.email, "password": PASSWORD})
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})

    response = client.post(reverse("account_email"), {"action_add": "", "email": "me@gmail.com"})

    assert response.status_code == 200
    assert "Equitime is open to addresses at nhs.net, *.nhs.uk" in response.content.decode()
    assert not invited.emailaddress_set.filter(email="me@gmail.com").exists()


def test_adding_an_address_inside_the_list_is_allowed(client, invited):
    client.post(reverse("account_login"), {"login": invited.email, "password": PASSWORD})
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})

    response = client.post(
        reverse("account_email"), {"action_add": "", "email": "carer@mft.nhs.uk"}
    )

    assert response.status_code == 302
    assert invited.emailaddress_set.filter(email="carer@mft.nhs.uk").exists()

"""Sign-ups are limited per network, per e-mail domain and per mailbox, with
plus-addressing folded (issue 10 §3): nobody makes accounts in bulk for their
welcome gifts. A refused sign-up is a form error and creates nothing."""

import pytest
from django.test import Client
from django.urls import reverse

from equitime.members.models import Member
from equitime.members.signup_forms import email_domain, email_mailbox
from equitime.members.tests.test_signup_page import NEW_PASSWORD

pytestmark = pytest.mark.django_db

URL = reverse("account_signup")


@pytest.fixture
def limits(settings):
    def set_limits(**rates):
        settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, **rates}

    return set_limits


def sign_up(email, ip="10.0.0.1"):
    """A sign-up from a fresh browser (a signed-in one is sent away from the form)."""
    return Client().post(
        URL,
        {
            "email": email,
            "display_name": "Priya Shah",
            "organisation": "",
            "profession": "Data analyst",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
        REMOTE_ADDR=ip,
    )


def joined(response) -> bool:
    return response.status_code == 302


def form_errors(response) -> str:
    return " ".join(response.context["form"].non_field_errors())


def test_mailboxes_fold_case_and_plus_addressing():
    assert email_mailbox("Ann.Lee+equitime2@Trust.NHS.uk") == "ann.lee@trust.nhs.uk"
    assert email_mailbox("ann.lee@trust.nhs.uk") == "ann.lee@trust.nhs.uk"
    assert email_domain("Ann+2@Trust.NHS.uk") == "trust.nhs.uk"


def test_sign_ups_from_one_network_are_limited(limits):
    limits(signup_network="2/1h/ip")

    first = sign_up("a@one.nhs.uk")
    second = sign_up("b@two.nhs.uk")
    third = sign_up("c@three.nhs.uk")
    elsewhere = sign_up("d@four.nhs.uk", ip="10.9.9.9")

    assert joined(first) and joined(second) and joined(elsewhere)
    assert third.status_code == 200
    assert form_errors(third) == (
        "Too many sign-ups from this network in the last hour. Try again later or ask "
        "your organisation's Equitime contact."
    )
    assert 'class="error-summary"' in third.content.decode()
    assert not Member.objects.filter(email="c@three.nhs.uk").exists()


def test_sign_ups_with_one_email_domain_are_limited(limits):
    limits(signup_domain="2/1h/key")

    assert joined(sign_up("a@trust.nhs.uk", ip="10.0.0.1"))
    assert joined(sign_up("b@TRUST.nhs.uk", ip="10.0.0.2"))
    refused = sign_up("c@trust.nhs.uk", ip="10.0.0.3")

    assert "Too many sign-ups with addresses at trust.nhs.uk in the last hour" in form_errors(
        refused
    )
    assert not Member.objects.filter(email="c@trust.nhs.uk").exists()
    assert joined(sign_up("c@other.nhs.uk", ip="10.0.0.3"))


def test_plus_addressing_counts_as_one_mailbox(limits):
    limits(signup_mailbox="1/1d/key")

    assert joined(sign_up("ann@trust.nhs.uk", ip="10.0.0.1"))
    refused = sign_up("Ann+gift2@trust.nhs.uk", ip="10.0.0.2")

    assert "Too many sign-ups for this mailbox in the last day" in form_errors(refused)
    assert Member.objects.filter(email__istartswith="ann").count() == 1


def test_a_refused_sign_up_uses_up_no_other_limit(limits):
    limits(signup_network="1/1h/ip", signup_domain="1/1h/key")

    assert joined(sign_up("a@one.nhs.uk", ip="10.0.0.1"))
    assert form_errors(sign_up("b@two.nhs.uk", ip="10.0.0.1"))  # the network is spent

    # two.nhs.uk was not counted by the refused attempt.
    assert joined(sign_up("b@two.nhs.uk", ip="10.0.0.2"))


def test_an_invalid_form_is_not_counted(limits):
    limits(signup_network="1/1h/ip")
    client = Client()
    bad = client.post(URL, {"email": "a@one.nhs.uk", "password1": "x"}, REMOTE_ADDR="10.0.0.1")

    assert bad.status_code == 200
    assert joined(sign_up("a@one.nhs.uk", ip="10.0.0.1"))


def test_an_invited_person_is_not_limited(limits, make_member):
    from equitime.members import roles
    from equitime.members.services import invitation_send, member_role_grant

    limits(signup_network="1/1h/ip")
    admin = member_role_grant(member=make_member(), role=roles.COMMUNITY_ADMIN, by=None)
    _invitation, token = invitation_send(email="guest@university.example.org", by=admin)
    assert joined(sign_up("a@one.nhs.uk"))
    assert form_errors(sign_up("b@two.nhs.uk"))  # this network is spent
    guest = Client()
    guest.post(reverse("invitation_accept", args=[token]), REMOTE_ADDR="10.0.0.1")

    response = guest.post(
        URL,
        {
            "email": "guest@university.example.org",
            "display_name": "Grace Guest",
            "organisation": "",
            "profession": "Lecturer",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
        REMOTE_ADDR="10.0.0.1",
    )

    assert joined(response)
    assert Member.objects.filter(email="guest@university.example.org").exists()

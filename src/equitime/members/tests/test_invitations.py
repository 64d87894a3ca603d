"""Invitations: a community administrator invites someone from outside the
allow-list; the link lets that one address join, once, already confirmed."""

import hashlib
import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.contrib.messages import get_messages
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from equitime.audit.models import AuditEntry
from equitime.core.errors import DomainError
from equitime.ledger.models import Account, Transfer
from equitime.listings.models import Format, Listing
from equitime.listings.services import listing_create
from equitime.members import roles
from equitime.members.adapters import INVITATION_SESSION_KEY
from equitime.members.models import Invitation, Member
from equitime.members.rules import member_email_verified
from equitime.members.services import (
    invitation_accept,
    invitation_find,
    invitation_send,
    invitation_withdraw,
    member_role_grant,
)
from equitime.skills.models import ImprovementArea, Skill

pytestmark = pytest.mark.django_db

GUEST = "guest@university.example.ac.uk"
PASSWORD = "quiet lantern harbour 42"
LIST_URL = "/invitations/"
INVITE_LINK = re.compile(r"https?://[^/\s]+(/join/[^/\s]+/)")


@pytest.fixture(autouse=True)
def _nhs_only(settings):
    settings.EQUITIME_ALLOWED_EMAIL_DOMAINS = ["nhs.net", "*.nhs.uk"]
    cache.clear()  # allauth's rate limits
    yield
    cache.clear()


@pytest.fixture
def admin(make_member):
    return member_role_grant(
        member=make_member(display_name="Ada Admin"), role=roles.COMMUNITY_ADMIN, by=None
    )


@pytest.fixture
def moderator(make_member):
    return member_role_grant(
        member=make_member(display_name="Mo Moderator"), role=roles.MODERATOR, by=None
    )


@pytest.fixture
def invited(admin):
    """A pending invitation for GUEST and the token from its link."""
    return invitation_send(email=GUEST, by=admin)


# --- Helpers -------------------------------------------------------------------


def accept_url(token: str) -> str:
    return reverse("invitation_accept", args=[token])


def withdraw_url(invitation: Invitation) -> str:
    return reverse("invitation_withdraw", args=[invitation.pk])


def flash(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def signup_data(email=GUEST, **overrides):
    data = {
        "email": email,
        "display_name": "Grace Guest",
        "organisation": "",
        "profession": "Lecturer in health statistics",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    data.update(overrides)
    return data


def assert_invalid_page(response):
    assert response.status_code == 404
    assert "members/invitation_invalid.html" in [t.name for t in response.templates]
    assert "This invitation cannot be used" in response.content.decode()


def try_to_trade(member: Member) -> Listing:
    return listing_create(
        owner=member,
        kind=Listing.Kind.OFFER,
        title="Medical statistics clinic",
        description="An hour on choosing the right test.",
        improvement_area=ImprovementArea.objects.get(slug="patient-safety"),
        benefit="Sounder evaluations of service changes.",
        estimated_minutes=60,
        format=Format.REMOTE,
        skills=[Skill.objects.get(slug="survival-analysis")],
    )


# --- Who may see and use the invitations page -----------------------------------


def test_urls_are_wired():
    assert reverse("invitation_list") == LIST_URL
    assert reverse("invitation_withdraw", args=[7]) == "/invitations/7/withdraw/"
    assert accept_url("abc") == "/join/abc/"


@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_visitor_is_sent_to_sign_in(client, method):
    response = getattr(client, method)(LIST_URL, {"email": GUEST} if method == "post" else None)

    assert response.status_code == 302
    assert response.url == f"{reverse('account_login')}?next={LIST_URL}"
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("who", ["member", "moderator"])
def test_members_without_the_permission_are_refused(client, request, who):
    client.force_login(request.getfixturevalue(who))

    assert client.get(LIST_URL).status_code == 403
    assert client.post(LIST_URL, {"email": GUEST}).status_code == 403
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_a_community_administrator_sees_the_page_and_the_allowed_domains(client, admin, member):
    client.force_login(admin)

    response = client.get(LIST_URL)

    assert response.status_code == 200
    content = response.content.decode()
    assert "nhs.net, *.nhs.uk" in content
    assert 'name="email"' in content
    # The menu leads there for them, and not for a plain member.
    assert f'href="{LIST_URL}"' in content
    client.force_login(member)
    assert f'href="{LIST_URL}"' not in client.get(reverse("dashboard")).content.decode()


def test_the_service_refuses_anyone_without_the_permission(moderator, member):
    for who in (moderator, member):
        with pytest.raises(DomainError) as refused:
            invitation_send(email=GUEST, by=who)
        assert refused.value.code == "forbidden"
    assert not Invitation.objects.exists()


# --- Sending ----------------------------------------------------------------------


def test_sending_creates_the_invitation_an_audit_entry_and_after_commit_an_e_mail(
    client, admin, django_capture_on_commit_callbacks
):
    client.force_login(admin)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(LIST_URL, {"email": "  Guest@University.Example.ac.uk "})
        assert mail.outbox == []  # nothing leaves before the transaction commits

    assert response.status_code == 302
    assert response.url == LIST_URL
    assert flash(response) == [f"Invitation sent to {GUEST}."]
    invitation = Invitation.objects.get()
    assert invitation.email == GUEST
    assert invitation.invited_by == admin
    assert invitation.is_pending
    days = (invitation.expires_at - invitation.created_at).days
    assert days == 14
    entry = AuditEntry.objects.get(action=AuditEntry.Action.INVITATION_SENT)
    assert entry.actor == admin
    assert entry.target == f"members.invitation:{invitation.pk}"
    assert GUEST in entry.summary

    assert len(callbacks) == 1
    callbacks[0]()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [GUEST]
    assert "Ada Admin" in message.subject
    link = INVITE_LINK.search(str(message.body))
    assert link
    shown = client.get(link.group(1))
    assert shown.status_code == 302  # the administrator is signed in
    client.logout()
    shown = client.get(link.group(1))
    assert shown.status_code == 200
    assert GUEST in shown.content.decode()
    assert "Ada Admin" in shown.content.decode()


def test_only_the_hash_of_the_token_is_stored(admin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation, token = invitation_send(email=GUEST, by=admin)

    stored = Invitation.objects.filter(pk=invitation.pk).values().get()
    assert stored["token_hash"] == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(stored)
    assert not AuditEntry.objects.filter(summary__contains=token).exists()
    assert not AuditEntry.objects.filter(data__icontains=token).exists()
    assert len(token) >= 40
    # The link carries the token itself.
    assert accept_url(token) in mail.outbox[0].body
    assert invitation_find(token=token) == invitation
    assert invitation_find(token=stored["token_hash"]) is None


def test_an_invalid_address_is_a_form_error(client, admin):
    client.force_login(admin)

    response = client.post(LIST_URL, {"email": "not an address"})

    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    assert 'class="error-summary"' in response.content.decode()
    assert not Invitation.objects.exists()


def test_inviting_an_existing_members_address_is_refused_with_a_message(
    client, admin, member, django_capture_on_commit_callbacks
):
    client.force_login(admin)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(LIST_URL, {"email": member.email.upper()})

    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [
        "Someone with this address is already a member."
    ]
    assert "Someone with this address is already a member." in response.content.decode()
    assert not Invitation.objects.exists()
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.INVITATION_SENT).exists()
    assert mail.outbox == []


def test_inviting_the_same_address_again_withdraws_the_older_invitation(
    client, admin, django_capture_on_commit_callbacks
):
    first, first_token = invitation_send(email=GUEST, by=admin)

    second, second_token = invitation_send(email=GUEST.upper(), by=admin)

    first.refresh_from_db()
    assert first.revoked_at is not None
    assert second.is_pending
    assert Invitation.objects.filter(revoked_at__isnull=True).get() == second
    assert_invalid_page(client.get(accept_url(first_token)))
    assert client.get(accept_url(second_token)).status_code == 200


def test_the_page_lists_invitations_with_their_state(client, admin, member, invited):
    withdrawn, _token = invitation_send(email="left@example.org", by=admin)
    invitation_withdraw(invitation=withdrawn, by=admin)
    used, _token = invitation_send(email="joined@example.org", by=admin)
    invitation_accept(invitation=used, member=member)
    client.force_login(admin)

    content = client.get(LIST_URL).content.decode()

    assert "Withdrawn" in content
    assert f"Joined as {member.display_name}" in content
    assert "Waiting, until" in content
    # Only the pending invitation can be withdrawn.
    assert f'action="{withdraw_url(invited[0])}"' in content
    assert f'action="{withdraw_url(withdrawn)}"' not in content
    assert f'action="{withdraw_url(used)}"' not in content


def test_the_list_page_query_count_does_not_grow_with_invitations(client, admin, member):
    invitation_send(email="one@example.org", by=admin)
    client.force_login(admin)
    client.get(LIST_URL)  # what every page keeps (menu, time zone) is kept from now on
    with CaptureQueriesContext(connection) as few:
        client.get(LIST_URL)

    for n in range(6):
        invitation, _token = invitation_send(email=f"guest{n}@example.org", by=admin)
        if n % 2:
            invitation_accept(invitation=invitation, member=member)
    with CaptureQueriesContext(connection) as many:
        client.get(LIST_URL)

    assert len(many) == len(few)


# --- Withdrawing ------------------------------------------------------------------


def test_withdrawing_ends_the_link(client, admin, invited):
    invitation, token = invited
    client.force_login(admin)

    response = client.post(withdraw_url(invitation))

    assert response.status_code == 302
    assert response.url == LIST_URL
    assert flash(response) == [f"The invitation to {GUEST} is withdrawn."]
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    entry = AuditEntry.objects.get(action=AuditEntry.Action.INVITATION_WITHDRAWN)
    assert (entry.actor, entry.target) == (admin, f"members.invitation:{invitation.pk}")
    client.logout()
    assert_invalid_page(client.get(accept_url(token)))


def test_withdrawing_needs_a_post(client, admin, invited):
    invitation, _token = invited
    client.force_login(admin)

    response = client.get(withdraw_url(invitation))

    assert response.status_code == 405
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


@pytest.mark.parametrize("who", ["member", "moderator"])
def test_withdrawing_is_refused_without_the_permission(client, request, invited, who):
    invitation, _token = invited
    client.force_login(request.getfixturevalue(who))

    assert client.post(withdraw_url(invitation)).status_code == 403
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_withdrawing_an_unknown_invitation_is_404(client, admin):
    client.force_login(admin)

    assert client.post("/invitations/999999/withdraw/").status_code == 404


def test_a_used_invitation_cannot_be_withdrawn(client, admin, member, invited):
    invitation, _token = invited
    invitation_accept(invitation=invitation, member=member)
    client.force_login(admin)

    response = client.post(withdraw_url(invitation))

    assert response.status_code == 302
    assert flash(response) == ["This invitation has already been used."]
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    assert invitation.revoked_at is None


# --- Using the link ----------------------------------------------------------------


def test_the_invited_person_joins_confirmed_and_can_trade_at_once(client, invited):
    invitation, token = invited
    mail.outbox.clear()

    shown = client.get(accept_url(token))
    assert shown.status_code == 200
    assert INVITATION_SESSION_KEY not in client.session  # a GET changes nothing
    taken = client.post(accept_url(token))
    assert taken.status_code == 302
    assert taken.url == reverse("account_signup")
    form = client.get(taken.url)
    assert f'value="{GUEST}"' in form.content.decode()

    joined = client.post(reverse("account_signup"), signup_data())

    assert joined.status_code == 302
    assert joined.url == reverse("dashboard")
    member = Member.objects.get(email=GUEST)
    assert client.session["_auth_user_id"] == str(member.pk)
    assert Account.objects.get(member=member).available == 120
    assert Transfer.objects.filter(
        kind=Transfer.Kind.WELCOME_GIFT, credit_account__member=member
    ).exists()
    address = EmailAddress.objects.get(user=member)
    assert (address.email, address.verified, address.primary) == (GUEST, True, True)
    assert member_email_verified(member)
    assert mail.outbox == []  # nothing to confirm
    assert try_to_trade(member).owner == member
    assert "Confirm your e-mail address" not in client.get(reverse("dashboard")).content.decode()
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    assert invitation.accepted_by == member
    assert INVITATION_SESSION_KEY not in client.session


def test_the_invited_address_may_be_typed_in_another_case(client, invited):
    invitation, token = invited
    client.post(accept_url(token))

    response = client.post(reverse("account_signup"), signup_data(email=GUEST.upper()))

    assert response.status_code == 302
    member = Member.objects.get(email=GUEST)
    assert member_email_verified(member)
    invitation.refresh_from_db()
    assert invitation.accepted_by == member


def test_a_used_link_cannot_be_used_again(client, invited, django_user_model):
    _invitation, token = invited
    client.post(accept_url(token))
    client.post(reverse("account_signup"), signup_data())
    client.post(reverse("account_logout"))

    assert_invalid_page(client.get(accept_url(token)))
    assert_invalid_page(client.post(accept_url(token)))
    assert INVITATION_SESSION_KEY not in client.session
    # Nor does anyone else get in with the same address.
    again = client.post(reverse("account_signup"), signup_data(display_name="Second Grace"))
    assert again.status_code == 200
    assert Member.objects.filter(email=GUEST).count() == 1


def test_signing_up_with_a_different_outside_address_is_still_refused(client, invited):
    invitation, token = invited
    client.post(accept_url(token))

    response = client.post(
        reverse("account_signup"), signup_data(email="grace.personal@example.org")
    )

    assert response.status_code == 200
    errors = response.context["form"].errors["email"]
    assert any("nhs.net, *.nhs.uk" in error for error in errors)
    assert not Member.objects.filter(email="grace.personal@example.org").exists()
    invitation.refresh_from_db()
    assert invitation.is_pending


def test_signing_up_with_a_different_allowed_address_leaves_the_invitation_alone(client, invited):
    """The invitation's link confirmed the invited address, and that address only."""
    invitation, token = invited
    client.post(accept_url(token))

    response = client.post(reverse("account_signup"), signup_data(email="grace@mft.nhs.uk"))

    assert response.status_code == 302
    member = Member.objects.get(email="grace@mft.nhs.uk")
    addresses = list(EmailAddress.objects.filter(user=member).values_list("email", "verified"))
    assert addresses == [("grace@mft.nhs.uk", False)]
    assert not Member.objects.filter(email=GUEST).exists()
    assert not member_email_verified(member)
    invitation.refresh_from_db()
    assert invitation.is_pending
    assert invitation.accepted_by is None


def test_without_opening_the_link_the_invited_address_is_refused(client, invited):
    response = client.post(reverse("account_signup"), signup_data())

    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    assert not Member.objects.filter(email=GUEST).exists()


def test_an_invitation_withdrawn_after_it_was_opened_no_longer_lets_the_address_in(
    client, admin, invited
):
    invitation, token = invited
    client.post(accept_url(token))
    invitation_withdraw(invitation=invitation, by=admin)

    response = client.post(reverse("account_signup"), signup_data())

    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    assert not Member.objects.filter(email=GUEST).exists()


def test_an_invitation_that_expired_after_it_was_opened_no_longer_lets_the_address_in(
    client, invited
):
    invitation, token = invited
    client.post(accept_url(token))
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())

    response = client.post(reverse("account_signup"), signup_data())

    assert response.status_code == 200
    assert not Member.objects.filter(email=GUEST).exists()


@pytest.mark.parametrize("state", ["expired", "withdrawn", "unknown"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_expired_withdrawn_and_unknown_links_show_the_404_page(
    client, admin, invited, state, method
):
    invitation, token = invited
    if state == "expired":
        Invitation.objects.filter(pk=invitation.pk).update(
            expires_at=timezone.now() - timedelta(seconds=1)
        )
    elif state == "withdrawn":
        invitation_withdraw(invitation=invitation, by=admin)
    else:
        token = "no-such-token-" + token[:10]

    response = getattr(client, method)(accept_url(token))

    assert_invalid_page(response)
    assert INVITATION_SESSION_KEY not in client.session
    assert "account_verified_email" not in client.session


def test_a_signed_in_member_opening_a_link_is_sent_to_the_dashboard_with_a_message(
    client, member, invited
):
    invitation, token = invited
    client.force_login(member)

    for method in ("get", "post"):
        response = getattr(client, method)(accept_url(token), follow=True)
        assert response.redirect_chain == [(reverse("dashboard"), 302)]
        assert "You are already signed in; sign out to use this invitation." in (
            response.content.decode()
        )
    assert INVITATION_SESSION_KEY not in client.session
    invitation.refresh_from_db()
    assert invitation.is_pending

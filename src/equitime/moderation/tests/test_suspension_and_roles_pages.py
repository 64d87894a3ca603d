"""Suspending, reinstating and making moderators, from a member's profile: as
an anonymous visitor, as a member, as the member themselves, as a moderator
and as a community administrator; and what a suspension does to the member."""

import pytest
from django.urls import reverse

from equitime.audit.models import AuditEntry
from equitime.listings.models import Listing
from equitime.members import roles
from equitime.members.models import Member
from equitime.members.tests.factories import PASSWORD
from equitime.moderation.services import member_suspend

pytestmark = pytest.mark.django_db

REASON = "Repeatedly advertised paid private work."


def body(response) -> str:
    return response.content.decode()


def page_messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def profile_url(member):
    return reverse("profile_detail", args=[member.pk])


def suspend_url(member):
    return reverse("member_suspend", args=[member.pk])


def reinstate_url(member):
    return reverse("member_reinstate", args=[member.pk])


def roles_url(member):
    return reverse("member_roles", args=[member.pk])


def fresh(member) -> Member:
    return Member.objects.get(pk=member.pk)


def audit(action):
    return AuditEntry.objects.filter(action=action)


def signed_in_id(client):
    return client.session.get("_auth_user_id")


# --- What the profile shows to whom -------------------------------------------------


def test_a_moderator_sees_a_suspend_form_on_a_colleagues_profile(client, moderator, owner):
    client.force_login(moderator)

    page = body(client.get(profile_url(owner)))

    assert '<h2 id="moderation-title">Moderation</h2>' in page
    assert "<summary>Suspend this member</summary>" in page
    assert f'action="{suspend_url(owner)}"' in page
    assert '<label for="id_reason">Why are you suspending this member?</label>' in page
    # Roles are for community administrators.
    assert roles_url(owner) not in page


def test_a_member_sees_no_moderation_on_a_colleagues_profile(client, reporter, owner):
    client.force_login(reporter)

    page = body(client.get(profile_url(owner)))

    assert "moderation-title" not in page
    assert suspend_url(owner) not in page
    assert roles_url(owner) not in page


@pytest.mark.parametrize("who", ["moderator", "admin"])
def test_nobody_sees_moderation_on_their_own_profile(client, request, who):
    person = request.getfixturevalue(who)
    client.force_login(person)

    page = body(client.get(profile_url(person)))

    assert "moderation-title" not in page
    assert suspend_url(person) not in page


def test_an_administrator_sees_the_suspend_form_and_a_make_moderator_button(client, admin, owner):
    client.force_login(admin)

    page = body(client.get(profile_url(owner)))

    assert f'action="{suspend_url(owner)}"' in page
    roles_form = page.split(f'action="{roles_url(owner)}"', 1)[1].split("</form>", 1)[0]
    assert '<input type="hidden" name="role" value="moderator">' in roles_form
    assert '<input type="hidden" name="change" value="grant">' in roles_form
    assert "Make moderator" in roles_form


def test_an_administrator_sees_remove_moderator_on_a_moderators_profile(client, admin, moderator):
    client.force_login(admin)

    page = body(client.get(profile_url(moderator)))

    assert "<p>Moderator</p>" in page
    roles_form = page.split(f'action="{roles_url(moderator)}"', 1)[1].split("</form>", 1)[0]
    assert '<input type="hidden" name="change" value="revoke">' in roles_form
    assert "Remove moderator" in roles_form


def test_a_suspended_profile_shows_moderators_when_by_whom_and_why(client, moderator, owner):
    member_suspend(member=owner, by=moderator, reason=REASON)
    client.force_login(moderator)

    response = client.get(profile_url(owner))

    assert response.status_code == 200
    notice = body(response).split('data-testid="suspension"', 1)[1].split("</div>", 1)[0]
    date = fresh(owner).suspended_at
    assert f"Suspended on {date:%-d %B %Y} by {moderator.display_name}: {REASON}" in notice
    assert f'action="{reinstate_url(owner)}"' in body(response)
    assert "Suspend this member" not in body(response)


def test_a_suspended_profile_is_404_for_members(client, moderator, owner, reporter):
    member_suspend(member=owner, by=moderator, reason=REASON)
    client.force_login(reporter)

    response = client.get(profile_url(owner))

    assert response.status_code == 404
    assert REASON not in body(response)


def test_a_closed_account_is_404_even_for_moderators(client, moderator, owner):
    Member.objects.filter(pk=owner.pk).update(is_active=False)
    client.force_login(moderator)

    assert client.get(profile_url(owner)).status_code == 404
    assert client.post(suspend_url(owner), {"reason": REASON}).status_code == 404


# --- Suspending --------------------------------------------------------------------


@pytest.mark.parametrize("url", [suspend_url, reinstate_url, roles_url])
def test_anonymous_posts_are_sent_to_sign_in(client, owner, url):
    response = client.post(url(owner), {"reason": REASON, "role": "moderator", "change": "grant"})

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={url(owner)}"
    assert fresh(owner).is_active


@pytest.mark.parametrize("url", [suspend_url, reinstate_url, roles_url])
def test_members_are_refused(client, reporter, owner, url):
    client.force_login(reporter)

    response = client.post(url(owner), {"reason": REASON, "role": "moderator", "change": "grant"})

    assert response.status_code == 403
    assert fresh(owner).is_active
    assert roles.member_roles(owner) == []


@pytest.mark.parametrize("url", [suspend_url, reinstate_url, roles_url])
def test_get_is_refused(client, admin, owner, url):
    client.force_login(admin)

    response = client.get(url(owner))

    assert response.status_code == 405
    assert response["Allow"] == "POST"


@pytest.mark.parametrize("who", ["moderator", "admin"])
def test_suspending_signs_the_member_out_pauses_their_listings_and_is_audited(
    client, request, who, owner, listing, reporter
):
    by = request.getfixturevalue(who)
    owners_browser = client_for(owner)
    assert owners_browser.get(reverse("dashboard")).status_code == 200
    client.force_login(by)

    response = client.post(suspend_url(owner), {"reason": REASON}, follow=True)

    assert response.redirect_chain == [(profile_url(owner), 302)]
    assert any("is suspended" in text for text in page_messages(response))
    owner = fresh(owner)
    assert (owner.is_active, owner.suspended_by, owner.suspension_reason) == (False, by, REASON)
    entry = audit(AuditEntry.Action.MEMBER_SUSPENDED).get()
    assert entry.actor == by
    assert entry.data["listings_paused"] == 1
    # Their listing is paused and gone from browsing.
    assert Listing.objects.get(pk=listing.pk).status == Listing.Status.PAUSED
    browser = client_for(reporter)
    assert listing.title not in body(browser.get(reverse("listing_browse")))
    assert browser.get(reverse("listing_detail", args=[listing.pk])).status_code == 404
    # Their session is over: the next request is anonymous.
    next_request = owners_browser.get(reverse("dashboard"))
    assert next_request.status_code == 302
    assert next_request["Location"].startswith(reverse("account_login"))
    assert not next_request.wsgi_request.user.is_authenticated


def test_a_suspended_member_cannot_sign_in(client, moderator, owner):
    member_suspend(member=owner, by=moderator, reason=REASON)

    response = client.post(reverse("account_login"), {"login": owner.email, "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("account_inactive")
    assert signed_in_id(client) is None
    assert client.get(reverse("dashboard")).status_code == 302


def test_a_suspension_needs_a_reason(client, moderator, owner):
    client.force_login(moderator)

    response = client.post(suspend_url(owner), {"reason": "  "})

    assert response.status_code == 422
    page = body(response)
    assert "There is a problem" in page
    assert '<details class="disclosure" open>' in page
    assert fresh(owner).is_active
    assert not audit(AuditEntry.Action.MEMBER_SUSPENDED).exists()


def test_a_moderator_cannot_suspend_a_community_administrator(client, moderator, admin):
    client.force_login(moderator)

    response = client.post(suspend_url(admin), {"reason": REASON}, follow=True)

    assert response.redirect_chain == [(profile_url(admin), 302)]
    assert any("cannot suspend a community administrator" in m for m in page_messages(response))
    assert fresh(admin).is_active
    assert not audit(AuditEntry.Action.MEMBER_SUSPENDED).exists()


def test_an_administrator_can_suspend_a_moderator(client, admin, moderator):
    client.force_login(admin)

    response = client.post(suspend_url(moderator), {"reason": REASON})

    assert response.status_code == 302
    assert fresh(moderator).suspended_by == admin


@pytest.mark.parametrize("who", ["moderator", "admin"])
def test_nobody_suspends_themselves(client, request, who):
    person = request.getfixturevalue(who)
    client.force_login(person)

    response = client.post(suspend_url(person), {"reason": REASON}, follow=True)

    assert response.redirect_chain == [(profile_url(person), 302)]
    assert "You cannot suspend yourself." in page_messages(response)
    assert fresh(person).is_active
    assert signed_in_id(client) == str(person.pk)


def test_suspending_twice_says_so(client, moderator, make_moderator, owner):
    member_suspend(member=owner, by=make_moderator("First Mo"), reason=REASON)
    client.force_login(moderator)

    response = client.post(suspend_url(owner), {"reason": "Again"}, follow=True)

    assert "This member is already suspended." in page_messages(response)
    assert fresh(owner).suspension_reason == REASON


# --- Reinstating -------------------------------------------------------------------


@pytest.mark.parametrize("who", ["moderator", "admin"])
def test_reinstating_lets_the_member_sign_in_again(client, request, who, owner, listing):
    by = request.getfixturevalue(who)
    member_suspend(member=owner, by=by, reason=REASON)
    client.force_login(by)

    response = client.post(reinstate_url(owner), follow=True)

    assert response.redirect_chain == [(profile_url(owner), 302)]
    assert any("is reinstated" in text for text in page_messages(response))
    owner = fresh(owner)
    assert owner.is_active
    assert owner.suspended_at is owner.suspended_by is None
    assert owner.suspension_reason == ""
    assert audit(AuditEntry.Action.MEMBER_REINSTATED).get().actor == by
    # Paused listings stay paused: the member reopens them.
    assert Listing.objects.get(pk=listing.pk).status == Listing.Status.PAUSED
    owners_browser = client_for_password(owner)
    assert signed_in_id(owners_browser) == str(owner.pk)


def test_reinstating_a_member_who_is_not_suspended_says_so(client, moderator, owner):
    client.force_login(moderator)

    response = client.post(reinstate_url(owner), follow=True)

    assert "This member is not suspended." in page_messages(response)
    assert not audit(AuditEntry.Action.MEMBER_REINSTATED).exists()


# --- Roles ------------------------------------------------------------------------------


def test_an_administrator_makes_a_member_moderator_and_takes_it_away(client, admin, owner):
    client.force_login(admin)

    made = client.post(roles_url(owner), {"role": "moderator", "change": "grant"}, follow=True)

    assert made.redirect_chain == [(profile_url(owner), 302)]
    assert f"{owner.display_name} is now a moderator." in page_messages(made)
    assert roles.member_roles(owner) == [roles.MODERATOR]
    assert fresh(owner).has_perm("members.moderate")
    assert "Remove moderator" in body(made)

    taken = client.post(roles_url(owner), {"role": "moderator", "change": "revoke"}, follow=True)

    assert f"{owner.display_name} is no longer a moderator." in page_messages(taken)
    assert roles.member_roles(owner) == []
    assert not fresh(owner).has_perm("members.moderate")
    entries = list(audit(AuditEntry.Action.ROLE_CHANGED).filter(actor=admin).order_by("pk"))
    assert [(e.actor, e.data["after"]) for e in entries] == [
        (admin, [roles.MODERATOR]),
        (admin, []),
    ]


def test_a_new_moderator_can_open_the_queue(client, admin, owner):
    client.force_login(admin)
    client.post(roles_url(owner), {"role": "moderator", "change": "grant"})

    client.force_login(owner)

    assert client.get(reverse("moderation_queue")).status_code == 200


def test_a_moderator_cannot_change_roles(client, moderator, owner):
    client.force_login(moderator)

    response = client.post(roles_url(owner), {"role": "moderator", "change": "grant"})

    assert response.status_code == 403
    assert roles.member_roles(owner) == []


def test_an_administrator_cannot_appoint_administrators_from_the_page(client, admin, owner):
    client.force_login(admin)

    response = client.post(
        roles_url(owner), {"role": "community_admin", "change": "grant"}, follow=True
    )

    assert any("staff can appoint community administrators" in m for m in page_messages(response))
    assert roles.member_roles(owner) == []


def test_an_administrator_cannot_change_their_own_roles(client, admin):
    client.force_login(admin)

    response = client.post(roles_url(admin), {"role": "moderator", "change": "grant"}, follow=True)

    assert "You cannot change your own roles." in page_messages(response)
    assert roles.member_roles(admin) == [roles.COMMUNITY_ADMIN]


def test_a_tampered_roles_form_changes_nothing(client, admin, owner):
    client.force_login(admin)

    response = client.post(roles_url(owner), {"role": "king", "change": "grant"}, follow=True)

    assert any("changed or has expired" in m for m in page_messages(response))
    assert roles.member_roles(owner) == []
    assert not audit(AuditEntry.Action.ROLE_CHANGED).filter(actor=admin).exists()


# --- Helpers that need the fixtures' client class ------------------------------------------


def client_for(member):
    from django.test import Client

    browser = Client()
    browser.force_login(member)
    return browser


def client_for_password(member):
    from django.test import Client

    browser = Client()
    browser.post(reverse("account_login"), {"login": member.email, "password": PASSWORD})
    return browser


def test_reinstating_does_not_bring_back_a_session_from_before_the_suspension(client, make_member):
    from equitime.members import roles
    from equitime.members.services import member_reinstate, member_role_grant
    from equitime.moderation.services import member_suspend

    moderator = member_role_grant(member=make_member(), role=roles.MODERATOR, by=None)
    suspect = make_member()
    client.force_login(suspect)
    assert client.get("/dashboard/").status_code == 200

    member_suspend(member=suspect, by=moderator, reason="Asked for payment.")
    member_reinstate(member=suspect, by=moderator)

    response = client.get("/dashboard/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    suspect.refresh_from_db()
    client.force_login(suspect)  # signing in again works
    assert client.get("/dashboard/").status_code == 200

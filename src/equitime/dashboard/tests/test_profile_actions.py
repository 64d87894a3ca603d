"""A colleague's profile offers Give credits, Propose an exchange and Ask for
help; your own profile, a suspended member's and staff accounts do not."""

import re

import pytest
from django.urls import reverse

from equitime.members import roles
from equitime.members.models import Member
from equitime.members.services import member_role_grant
from equitime.moderation.services import member_suspend

pytestmark = pytest.mark.django_db


def profile(client, member):
    response = client.get(reverse("profile_detail", args=[member.pk]))
    assert response.status_code == 200
    return response.content.decode()


def actions(html) -> dict[str, str]:
    block = re.search(r'<ul class="profile__actions".*?</ul>', html, flags=re.S)
    if block is None:
        return {}
    return {
        text: href.replace("&amp;", "&")
        for href, text in re.findall(r'<a class="button[^"]*" href="([^"]+)">([^<]+)</a>', block[0])
    }


def test_a_colleague_profile_offers_three_ways_to_work_together(client, member, other_member):
    client.force_login(member)

    html = profile(client, other_member)

    assert actions(html) == {
        "Give credits": f"/give/?to={other_member.pk}",
        "Propose an exchange": f"/exchanges/new/?to={other_member.pk}&direction=gave",
        "Ask for help": f"/exchanges/new/?to={other_member.pk}&direction=received",
    }
    assert 'aria-label="Work with Ben Carter"' in html


def test_your_own_profile_offers_none(client, member):
    client.force_login(member)

    assert actions(profile(client, member)) == {}


def test_a_suspended_member_profile_offers_none_even_to_a_moderator(
    client, make_member, other_member
):
    moderator = member_role_grant(member=make_member(), role=roles.MODERATOR, by=None)
    member_suspend(member=other_member, by=moderator, reason="Spam.")
    client.force_login(moderator)

    html = profile(client, other_member)

    assert "Reinstate Ben Carter" in html  # the moderator does see the profile
    assert actions(html) == {}


def test_a_staff_account_profile_offers_none(client, member, make_member):
    admin = make_member(display_name="Demo Administrator")
    Member.objects.filter(pk=admin.pk).update(is_staff=True, is_superuser=True)
    client.force_login(member)

    assert actions(profile(client, admin)) == {}


def test_a_visitor_who_is_not_signed_in_sees_no_profile_and_no_buttons(client, other_member):
    url = reverse("profile_detail", args=[other_member.pk])

    response = client.get(url)

    assert response.status_code == 302
    assert response.url == f"{reverse('account_login')}?next={url}"


def test_the_avatar_shows_initials_without_a_title(client, member, make_member):
    wei = make_member(display_name="Dr Wei Zhang")
    client.force_login(member)

    assert '<div class="avatar" aria-hidden="true">WZ</div>' in profile(client, wei)


def test_each_button_lands_on_its_form_with_the_colleague_chosen(client, member, other_member):
    client.force_login(member)
    links = actions(profile(client, other_member))

    give = client.get(links["Give credits"]).content.decode()
    propose = client.get(links["Propose an exchange"])
    ask = client.get(links["Ask for help"])

    assert 'name="recipient" value="Ben Carter"' in give
    for response in (propose, ask):
        html = response.content.decode()
        assert 'name="colleague" value="Ben Carter"' in html
        assert f'name="colleague_id" value="{other_member.pk}"' in html
    assert propose.context["form"]["direction"].value() == "gave"
    assert ask.context["form"]["direction"].value() == "received"
    assert "<h1>Propose an exchange</h1>" in propose.content.decode()
    assert "<h1>Ask for help</h1>" in ask.content.decode()

"""The pages: the panel on a request (poster and coordinator only), asking,
the invitation page from the e-mail (sign in first), and the opt-out page."""

import pytest
from django.urls import reverse

from equitime.matching.models import HelpInvitation
from equitime.matching.services import help_invitation_ask, is_suggestable
from equitime.matching.tests.factories import a_request, colleague
from equitime.matching.tests.test_services import coordinator

pytestmark = pytest.mark.django_db


@pytest.fixture
def poster():
    return colleague("Pat Poster", profession="Nurse")


@pytest.fixture
def request_(poster):
    return a_request(poster)


@pytest.fixture
def helper():
    return colleague("Sam Stats", skills=["medical-statistics"], profession="Statistician")


def page_of(client, member, request_):
    client.force_login(member)
    return client.get(reverse("listing_detail", args=[request_.pk]))


def test_the_poster_sees_who_could_help_and_why(client, poster, request_, helper):
    html = page_of(client, poster, request_).content.decode()
    assert 'data-testid="who-can-help"' in html
    assert "Sam Stats" in html and "Offers Medical statistics" in html
    assert "Ask them" in html


def test_a_coordinator_sees_it(client, request_, helper):
    assert "Sam Stats" in page_of(client, coordinator(), request_).content.decode()


def test_nobody_else_sees_it(client, request_, helper):
    other = colleague("Olly Other")
    html = page_of(client, other, request_).content.decode()
    assert 'data-testid="who-can-help"' not in html
    assert "Offers Medical statistics" not in html


def test_asking_from_the_page(client, poster, request_, helper):
    client.force_login(poster)
    response = client.post(
        reverse("help_ask", args=[request_.pk]), {"helper": helper.pk, "note": "Please?"}
    )
    assert response.status_code == 302
    invitation = HelpInvitation.objects.get()
    assert (invitation.helper, invitation.note) == (helper, "Please?")
    html = client.get(response.url).content.decode()
    assert "Sam Stats is asked" in html


def test_asking_twice_says_so(client, poster, request_, helper):
    help_invitation_ask(listing=request_, helper=helper, member=poster)
    client.force_login(poster)
    response = client.post(
        reverse("help_ask", args=[request_.pk]), {"helper": helper.pk}, follow=True
    )
    assert "You have already asked Sam Stats" in response.content.decode()


def test_a_stranger_cannot_ask(client, request_, helper):
    client.force_login(colleague("Olly Other"))
    response = client.post(reverse("help_ask", args=[request_.pk]), {"helper": helper.pk})
    assert response.status_code == 404
    assert not HelpInvitation.objects.exists()


def test_the_e_mail_link_asks_to_sign_in_then_offers_accept_and_decline(
    client, poster, request_, helper
):
    invitation = help_invitation_ask(listing=request_, helper=helper, member=poster)
    url = reverse("help_invitation_detail", args=[invitation.pk])
    response = client.get(url)
    assert response.status_code == 302 and "login" in response.url and "next=" in response.url
    client.force_login(helper)
    html = client.get(url).content.decode()
    assert 'data-testid="accept"' in html and 'data-testid="decline"' in html


def test_accepting_on_the_page_goes_to_the_exchange(client, poster, request_, helper):
    invitation = help_invitation_ask(listing=request_, helper=helper, member=poster)
    client.force_login(helper)
    response = client.post(
        reverse("help_invitation_act", args=[invitation.pk, "accept"]),
        {"accept-message": "Tuesday works."},
    )
    invitation.refresh_from_db()
    assert response.status_code == 302
    assert response.url == reverse("exchange_detail", args=[invitation.exchange_id])


def test_declining_with_money_talk_is_shown_on_the_form(client, poster, request_, helper):
    invitation = help_invitation_ask(listing=request_, helper=helper, member=poster)
    client.force_login(helper)
    response = client.post(
        reverse("help_invitation_act", args=[invitation.pk, "decline"]),
        {"decline-reason": "Only if you pay me £40"},
    )
    assert response.status_code == 422
    assert HelpInvitation.objects.get().status == "asked"


def test_others_get_404_on_an_invitation(client, poster, request_, helper):
    invitation = help_invitation_ask(listing=request_, helper=helper, member=poster)
    client.force_login(colleague("Olly Other"))
    assert client.get(reverse("help_invitation_detail", args=[invitation.pk])).status_code == 404
    response = client.post(reverse("help_invitation_act", args=[invitation.pk, "accept"]))
    assert response.status_code == 404


def test_the_opt_out_page(client, helper):
    client.force_login(helper)
    url = reverse("suggestion_settings")
    assert client.get(url).status_code == 200
    response = client.post(url, {})
    assert response.status_code == 302
    assert not is_suggestable(helper)
    client.post(url, {"suggestable": "on"})
    assert is_suggestable(helper)

"""The administrators' leads page, the panel on a member's profile, and the menu."""

import pytest

from equitime.impact.models import OrganisationLead
from equitime.impact.tests.leads_factories import admin, lead_of, lead_row, member_at, organisation
from equitime.members.models import Profile
from equitime.members.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db
LEADS = "/impact/leads/"


def signed_in(client, member):
    assert client.login(email=member.email, password=PASSWORD)
    return client


def test_an_administrator_appoints_a_lead_by_name_and_sees_them_by_organisation(client):
    org = organisation("Northbridge Trust")
    member = member_at(org, "Olivia Brennan")
    client = signed_in(client, admin())

    response = client.post(LEADS, {"member": "Olivia Brennan"}, follow=True)

    assert OrganisationLead.objects.filter(member=member, organisation=org).exists()
    html = response.content.decode()
    assert "Olivia Brennan now leads Northbridge Trust." in html
    assert "Northbridge Trust</h3>" in html


def test_a_lead_is_found_by_e_mail_address_too(client):
    member = member_at(organisation())
    signed_in(client, admin()).post(LEADS, {"member": member.email})
    assert OrganisationLead.objects.filter(member=member).exists()


def test_a_refusal_is_shown_on_the_form(client):
    member = member_at(None, "Nadia Nowhere")
    response = signed_in(client, admin()).post(LEADS, {"member": "Nadia Nowhere"})
    assert response.status_code == 200
    assert "has no organisation on their profile" in response.content.decode()
    assert not OrganisationLead.objects.filter(member=member).exists()


def test_an_empty_form_is_answered_with_its_error(client):
    response = signed_in(client, admin()).post(LEADS, {})
    assert response.status_code == 422
    assert "Enter your colleague" in response.content.decode()


def test_a_lead_who_works_elsewhere_now_is_marked(client):
    boss = admin()
    member = lead_of(organisation("First Trust"), by=boss)
    Profile.objects.filter(member=member).update(organisation=organisation("Second Trust"))
    html = signed_in(client, boss).get(LEADS).content.decode()
    assert "Works elsewhere now" in html


def test_removing_a_lead_from_the_page(client):
    boss = admin()
    lead = lead_row(lead_of(organisation(), by=boss))
    response = signed_in(client, boss).post(f"/impact/leads/{lead.pk}/remove/")
    assert response.status_code == 302 and response["Location"] == LEADS
    assert not OrganisationLead.objects.exists()


def test_removing_from_the_profile_goes_back_to_it_and_never_elsewhere(client):
    boss = admin()
    member = lead_of(organisation(), by=boss)
    profile = f"/members/{member.pk}/"
    response = signed_in(client, boss).post(
        f"/impact/leads/{lead_row(member).pk}/remove/", {"next": profile}
    )
    assert response["Location"] == profile

    lead = lead_row(lead_of(organisation(), by=boss, name="Second Lead"))
    response = client.post(f"/impact/leads/{lead.pk}/remove/", {"next": "https://evil.example/"})
    assert response["Location"] == LEADS


def test_members_cannot_open_the_leads_page(client):
    assert client.get(LEADS).status_code == 302
    lead = lead_of(organisation())
    assert signed_in(client, lead).get(LEADS).status_code == 403


def test_the_profile_offers_to_make_a_member_lead_of_their_organisation(client):
    boss = admin()
    member = member_at(organisation("Riverside PCN"), "Fatima Hussain")
    client = signed_in(client, boss)
    profile = f"/members/{member.pk}/"

    html = client.get(profile).content.decode()
    assert "Make lead of Riverside PCN" in html

    response = client.post(f"/impact/leads/members/{member.pk}/appoint/", follow=True)
    assert OrganisationLead.objects.filter(member=member).exists()
    html = response.content.decode()
    assert "Fatima Hussain now leads Riverside PCN." in html
    assert 'Remove as lead<span class="visually-hidden"> of Riverside PCN' in html


def test_members_see_no_lead_panel_on_a_profile(client):
    member = member_at(organisation())
    html = signed_in(client, member_at(organisation())).get(f"/members/{member.pk}/")
    assert 'data-testid="lead-panel"' not in html.content.decode()


def test_the_menu_shows_impact_to_leads_and_administrators_only(client):
    org = organisation()
    lead = lead_of(org)
    html = signed_in(client, lead).get("/dashboard/").content.decode()
    assert 'href="/impact/dashboard/">Impact<' in html
    response = client.get("/impact/organisations/mine/")
    assert response["Location"] == f"/impact/organisations/{org.pk}/members/"

    client.logout()
    html = signed_in(client, member_at(org)).get("/dashboard/").content.decode()
    assert 'href="/impact/dashboard/"' not in html
    assert client.get("/impact/organisations/mine/").status_code == 403

    client.logout()
    signed_in(client, admin())
    assert 'href="/impact/dashboard/">Impact<' in client.get("/dashboard/").content.decode()
    assert client.get("/impact/organisations/mine/")["Location"] == LEADS

"""The profile form: light (country and time zone typed with a few suggestions,
not 850 options), skills ticked in the picker, and the organisation select the
same as on sign-up."""

import re

import pytest
from django.urls import reverse

from equitime.members.models import Organisation, Profile
from equitime.members.tests.factories import OrganisationFactory
from equitime.members.tests.test_profile_pages import profile_data
from equitime.skills.models import Skill

pytestmark = pytest.mark.django_db

EDIT = reverse("profile_edit")
# On main before issue 12 the page carried 908 <option>s and weighed 51 KB.
MAX_OPTIONS = 100
MAX_BYTES = 32_000


@pytest.fixture
def organisations(db):
    # Named so that a case-sensitive order would differ from the one people expect.
    return [
        OrganisationFactory(name="barnet Hospice", country="GB"),
        OrganisationFactory(name="Zeta Care", country="KE"),
        OrganisationFactory(name="Aberdeen Royal Infirmary", country="GB"),
    ]


def test_the_edit_page_carries_few_options(client, member, organisations, no_page_cache):
    client.force_login(member)

    html = client.get(EDIT).content

    assert html.count(b"<option") < MAX_OPTIONS
    assert len(html) < MAX_BYTES
    assert b'<select name="country"' not in html
    assert b'<select name="time_zone"' not in html


def test_country_and_time_zone_are_boxes_with_suggestions(client, member, organisations):
    profile = member.profile
    profile.country, profile.time_zone = "IN", "Asia/Kolkata"
    profile.save()
    client.force_login(member)

    html = client.get(EDIT).content.decode()

    country = re.search(r'<input type="text" name="country" value="([^"]*)"[^>]*>', html)
    assert country is not None and country.group(1) == "India"
    assert 'list="id_country_suggestions"' in country.group(0)
    assert re.findall(r'<datalist id="id_country_suggestions">(.*?)</datalist>', html) == [
        '<option value="India"><option value="Kenya"><option value="United Kingdom">'
    ]
    zones = re.search(r'<datalist id="id_time_zone_suggestions">(.*?)</datalist>', html)
    assert zones is not None
    offered = re.findall(r'<option value="([^"]+)">', zones.group(1))
    assert offered[:2] == ["Europe/London", "Asia/Kolkata"]
    assert len(offered) == len(set(offered)) < 40
    assert 'name="time_zone" value="Asia/Kolkata"' in html


def test_the_owner_types_a_country_and_a_city_and_they_are_saved_as_codes(client, member):
    client.force_login(member)

    response = client.post(EDIT, profile_data(country="Kenya", time_zone="nairobi"))

    assert response.status_code == 302
    profile = Profile.objects.get(member=member)
    assert (str(profile.country), profile.time_zone) == ("KE", "Africa/Nairobi")


@pytest.mark.parametrize(
    ("field", "typed", "error"),
    [
        ("time_zone", "Mars/Olympus_Mons", "“Mars/Olympus_Mons” is not a time zone we know."),
        ("country", "Narnia", "“Narnia” is not a country we know."),
        ("time_zone", "", "This field is required."),
    ],
)
def test_a_place_nobody_knows_is_an_error_on_its_field(client, member, field, typed, error):
    client.force_login(member)
    before = Profile.objects.values().get(member=member)

    response = client.post(EDIT, profile_data(**{field: typed}))

    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(
        rf'<p class="field-error" id="id_{field}_error"><span class="visually-hidden">Error:'
        rf"</span> {re.escape(error)}",
        html,
    )
    assert f'value="{typed}"' in html or not typed  # what was typed is kept to correct
    assert Profile.objects.values().get(member=member) == before


def test_the_owner_ticks_several_skills(client, member):
    chosen = list(Skill.objects.filter(slug__in=["physiotherapy", "falls-prevention", "sql"]))
    client.force_login(member)

    response = client.post(EDIT, profile_data(skills=[skill.pk for skill in chosen]))

    assert response.status_code == 302
    assert set(member.profile.skills.all()) == set(chosen)
    html = client.get(EDIT).content.decode()
    assert set(re.findall(r'name="skills" value="(\d+)" id="[^"]+" checked', html)) == {
        str(skill.pk) for skill in chosen
    }
    assert "3 chosen: SQL, Falls prevention, Physiotherapy." in html


def test_another_member_posting_changes_only_their_own_skills(client, member, other_member):
    client.force_login(other_member)

    client.post(EDIT, profile_data(skills=[Skill.objects.get(slug="podiatry").pk]))

    assert not member.profile.skills.exists()
    assert list(other_member.profile.skills.values_list("slug", flat=True)) == ["podiatry"]


def test_an_anonymous_visitor_cannot_post_skills(client, member):
    response = client.post(EDIT, profile_data(skills=[Skill.objects.get(slug="podiatry").pk]))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert not Profile.objects.filter(skills__slug="podiatry").exists()


def organisation_field(html: str) -> str:
    found = re.search(r'<label for="id_organisation">.*?</select>', html, re.S)
    assert found is not None
    return " ".join(found.group(0).split())


def test_the_organisation_select_reads_the_same_on_sign_up_and_profile(
    client, member, organisations, no_page_cache
):
    signup = organisation_field(client.get(reverse("account_signup")).content.decode())
    client.force_login(member)
    profile = organisation_field(client.get(EDIT).content.decode())

    assert signup == profile
    assert re.findall(r"<option [^>]*>([^<]+)</option>", signup) == [
        "Not listed, or choose later",
        "Aberdeen Royal Infirmary",
        "barnet Hospice",
        "Zeta Care",
    ]
    assert "Where you work. Not in the list yet?" in signup
    assert Organisation.objects.count() == len(organisations)

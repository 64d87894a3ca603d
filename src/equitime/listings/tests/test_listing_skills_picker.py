"""Skills on a listing are ticked in the picker: a fieldset per category, the
new skills among them, several at once; a bad one is a field error, never a 500.
Tried as the owner, as another member and as an anonymous visitor."""

import re

import pytest
from django.urls import reverse

from equitime.listings.models import Format, Listing
from equitime.skills.models import ImprovementArea, Skill

pytestmark = pytest.mark.django_db

CREATE = reverse("listing_create", args=["offer"])


def skill_ids(*slugs: str) -> list[int]:
    return [Skill.objects.get(slug=slug).pk for slug in slugs]


def form_data(**overrides):
    data = {
        "title": "Strength and balance for falls prevention",
        "description": "Our twelve-week class plan and how to adapt it.",
        "improvement_area": ImprovementArea.objects.get(slug="patient-safety").pk,
        "benefit": "Keeps older people steady on their feet.",
        "skills": skill_ids("physiotherapy", "falls-prevention", "rehabilitation"),
        "hours": "1",
        "format": Format.REMOTE,
        "place": "",
        "languages": "English",
    }
    data.update(overrides)
    return data


def ticked(html: str) -> set[int]:
    return {
        int(value) for value in re.findall(r'name="skills" value="(\d+)" id="[^"]+" checked', html)
    }


def test_the_form_draws_the_picker_with_a_fieldset_per_category(client, member):
    client.force_login(member)

    html = client.get(CREATE).content.decode()

    assert '<script src="/static/equitime/picker.js" defer></script>' in html
    assert '<legend class="field__legend">Skills <span class="optional">' in html
    groups = re.findall(
        r'<fieldset class="picker__group" data-picker-group><legend>([^<]+)</legend>', html
    )
    assert "Allied health professions" in groups
    assert groups.index("Allied health professions") == groups.index("Clinical expertise") + 1
    allied = re.search(r"<legend>Allied health professions</legend><ul>(.*?)</ul>", html)
    assert allied is not None
    assert re.findall(r"<label [^>]+>([^<]+)</label>", allied.group(1))[:3] == [
        "Art therapy",
        "Diagnostic radiography",
        "Dietetics",
    ]
    for name in ("Falls prevention", "Rehabilitation", "Patient and public involvement"):
        assert f">{name}</label>" in html
    assert '<select name="skills"' not in html


def test_the_owner_posts_a_listing_with_several_skills(client, member):
    client.force_login(member)

    response = client.post(CREATE, form_data())

    listing = Listing.objects.get(owner=member)
    assert response.status_code == 302
    assert set(listing.skills.values_list("slug", flat=True)) == {
        "physiotherapy",
        "falls-prevention",
        "rehabilitation",
    }
    edit = client.get(reverse("listing_edit", args=[listing.pk])).content.decode()
    assert ticked(edit) == set(skill_ids("physiotherapy", "falls-prevention", "rehabilitation"))
    assert "3 chosen: Falls prevention, Rehabilitation, Physiotherapy." in edit


@pytest.mark.parametrize("bad", [["424242"], ["physio"]])
def test_a_skill_that_is_not_in_the_list_is_an_error_beside_the_picker(client, member, bad):
    client.force_login(member)

    response = client.post(CREATE, form_data(skills=bad))

    assert response.status_code == 200
    assert not Listing.objects.exists()
    html = response.content.decode()
    assert re.search(
        r'<fieldset class="field field--error"[^>]*>\s*<legend class="field__legend">Skills .*?'
        r'<p class="field-error"><span class="visually-hidden">Error:</span> '
        r"Select a valid choice.",
        html,
        re.S,
    )
    assert '<a href="#id_skills_0_0">Skills: Select a valid choice.' in html


def test_another_member_cannot_change_the_skills(client, member, other_member, make_listing):
    listing = make_listing(member)
    before = set(listing.skills.values_list("pk", flat=True))
    client.force_login(other_member)

    response = client.post(reverse("listing_edit", args=[listing.pk]), form_data())

    assert response.status_code == 404
    assert set(listing.skills.values_list("pk", flat=True)) == before


def test_an_anonymous_visitor_cannot_post_skills(client):
    response = client.post(CREATE, form_data())

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert not Listing.objects.exists()

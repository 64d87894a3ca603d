"""The taxonomy in people's languages (issue 16): stored in English, shown
through ``label``, every seeded name marked for the catalogues."""

import pytest
from django.utils import translation
from django.utils.translation import gettext, pgettext

from equitime.skills import seed
from equitime.skills.models import ImprovementArea, Skill, SkillCategory
from equitime.skills.selectors import taxonomy
from equitime.skills.taxonomy import CONTEXTS, label
from equitime.tests.test_unmarked_strings import pseudo_locale

pytestmark = pytest.mark.django_db

MARKED = {
    *seed.CATEGORIES,
    *(name for names in seed.CATEGORIES.values() for name in names),
    *(name for pair in seed.IMPROVEMENT_AREAS for name in pair),
    *seed.LATER,
}


def test_every_name_the_migrations_load_is_marked_for_translation():
    stored = {
        *SkillCategory.objects.values_list("name", flat=True),
        *Skill.objects.values_list("name", flat=True),
        *ImprovementArea.objects.values_list("name", flat=True),
        *ImprovementArea.objects.exclude(description="").values_list("description", flat=True),
    }

    assert stored <= MARKED, sorted(stored - MARKED)


@pytest.mark.parametrize("language", ["en-gb", "cy", "ar"])
def test_a_label_is_the_name_in_the_readers_language(language):
    area = ImprovementArea.objects.get(slug="patient-safety")
    lean = Skill.objects.get(name="Lean")
    other = SkillCategory.objects.get(name="Other")

    with translation.override(language):
        assert area.label == str(area) == gettext("Patient safety")
        assert area.description_label == gettext("Preventing avoidable harm")
        assert lean.label == pgettext("quality improvement method", "Lean")
        assert other.label == pgettext("skill category", "Other")
    assert area.name == "Patient safety"  # stored as it was


def test_every_name_shown_goes_through_gettext_and_the_stored_name_stays():
    with pseudo_locale():
        known = taxonomy()
        area = ImprovementArea.objects.get(slug="patient-safety")
        assert area.label == "⟦Patient safety⟧"
        assert Skill.objects.get(name="Lean").label == "⟦Lean⟧"
        assert area.name == "Patient safety"
    assert all(name.startswith("⟦") for _slug, name in known.areas)
    assert all(name.startswith("⟦") for _slug, name in known.categories)
    for category, skills in known.skill_ids_by_category:
        assert category.startswith("⟦")
        assert all(name.startswith("⟦") for _pk, name in skills)
    # The cache keeps the stored names: the next reader gets their own language.
    assert ("patient-safety", "Patient safety") in taxonomy().areas


def test_skills_are_listed_in_the_order_of_their_translated_names():
    for _category, skills in taxonomy().skills_by_category:
        names = [name for _slug, name in skills]
        assert names == sorted(names, key=str.casefold)


def test_a_name_an_administrator_adds_shows_as_typed_until_translated():
    category = SkillCategory.objects.create(name="Sign language poetry", slug="poetry")
    with translation.override("cy"):
        assert category.label == "Sign language poetry"
    assert label("") == ""


def test_contexts_are_only_for_names_the_seed_loads():
    assert set(CONTEXTS) <= MARKED | {"Lean", "Other"}
    assert "Lean" not in seed.LATER


def test_search_still_finds_a_listing_by_its_stored_skill_name(client, make_member, make_listing):
    member = make_member()
    make_listing(member, "offer", 60, title="Help with curves", skills=("survival-analysis",))
    client.force_login(make_member())

    with translation.override("cy"):
        response = client.get("/listings/", {"q": "Survival analysis"}, HTTP_ACCEPT_LANGUAGE="cy")

    assert "Help with curves" in response.content.decode()


def test_the_api_keeps_the_stable_english_name(client, make_member):
    from equitime.api.services import api_token_create

    _token, secret = api_token_create(member=make_member(), name="t")
    response = client.get(
        "/api/v1/skills", headers={"Authorization": f"Bearer {secret}", "Accept-Language": "cy"}
    )

    names = {skill["name"] for category in response.json() for skill in category["skills"]}
    assert "Survival analysis" in names

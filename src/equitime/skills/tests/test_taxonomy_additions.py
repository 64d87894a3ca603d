"""What health and care staff asked for first is in the taxonomy (migration
0003): the allied health professions, rehabilitation, falls prevention, patient
and public involvement. The migration runs twice without harm, and going back
keeps what members chose."""

import importlib

import pytest
from django.apps import apps
from django.core.management.color import no_style
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from equitime.skills.models import Skill, SkillCategory
from equitime.skills.selectors import taxonomy

pytestmark = pytest.mark.django_db

migration = importlib.import_module(
    "equitime.skills.migrations.0003_allied_health_and_rehabilitation"
)

ALLIED_HEALTH = {
    "art-therapy",
    "diagnostic-radiography",
    "dietetics",
    "drama-therapy",
    "music-therapy",
    "occupational-therapy",
    "operating-department-practice",
    "orthoptics",
    "osteopathy",
    "paramedic-practice",
    "physiotherapy",
    "podiatry",
    "prosthetics-and-orthotics",
    "speech-and-language-therapy",
    "therapeutic-radiography",
}
ADDED = {
    **dict.fromkeys(ALLIED_HEALTH, "allied-health-professions"),
    "rehabilitation": "clinical-expertise",
    "falls-prevention": "clinical-expertise",
    "patient-and-public-involvement": "communication-and-design",
}


def added_skills() -> dict[str, str]:
    return dict(
        Skill.objects.filter(slug__in=ADDED).values_list("slug", "category__slug").order_by()
    )


def test_the_skills_staff_asked_for_are_there_after_migrating():
    assert added_skills() == ADDED
    assert Skill.objects.get(slug="physiotherapy").name == "Physiotherapy"
    assert Skill.objects.get(slug="patient-and-public-involvement").name == (
        "Patient and public involvement"
    )


def test_the_allied_health_professions_come_after_the_clinical_expertise():
    names = [name for _slug, name in taxonomy().categories]

    assert names.index("Allied health professions") == names.index("Clinical expertise") + 1


def test_running_it_again_adds_nothing():
    before = (SkillCategory.objects.count(), Skill.objects.count())

    migration.add(apps, None)

    assert (SkillCategory.objects.count(), Skill.objects.count()) == before


def test_a_skill_staff_added_in_admin_by_another_slug_is_not_added_twice():
    Skill.objects.filter(slug="falls-prevention").delete()
    Skill.objects.create(
        name="Falls Prevention",
        slug="falls",
        category=SkillCategory.objects.get(slug="wellbeing"),
    )

    migration.add(apps, None)

    assert list(Skill.objects.filter(name__iexact="falls prevention").values_list("slug")) == [
        ("falls",)
    ]


def test_going_back_removes_them_but_keeps_one_a_member_chose(member):
    member.profile.skills.add(Skill.objects.get(slug="physiotherapy"))
    first_taxonomy = Skill.objects.exclude(slug__in=ADDED).count()

    migration.remove(apps, None)

    assert added_skills() == {"physiotherapy": "allied-health-professions"}
    assert list(member.profile.skills.values_list("slug", flat=True)) == ["physiotherapy"]
    assert Skill.objects.exclude(slug__in=ADDED).count() == first_taxonomy
    # And forward again: whole, with the kept one untouched.
    migration.add(apps, None)
    assert added_skills() == ADDED


def test_going_back_removes_the_new_category_once_empty():
    migration.remove(apps, None)

    assert added_skills() == {}
    assert not SkillCategory.objects.filter(slug="allied-health-professions").exists()
    assert SkillCategory.objects.filter(slug="clinical-expertise").exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_goes_back_and_forward():
    # A serialized rollback puts the taxonomy back with its ids but leaves
    # PostgreSQL's sequences where an earlier flush left them: move them past
    # those rows, as loaddata does, so the migration's inserts get new ids.
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [SkillCategory, Skill]):
            cursor.execute(sql)
    executor = MigrationExecutor(connection)
    executor.migrate([("skills", "0002_seed_taxonomy")])
    assert added_skills() == {}

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    # Forward to every app's latest: going back unapplied the apps that depend
    # on this migration (scheduling's sessions name improvement areas), and
    # the tests after this one on the same database need their tables.
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert added_skills() == ADDED

"""Seed the taxonomy from equitime.skills.seed (idempotent)."""

from django.db import migrations
from django.utils.text import slugify


def seed(apps, schema_editor):
    from equitime.skills.seed import CATEGORIES, IMPROVEMENT_AREAS

    SkillCategory = apps.get_model("skills", "SkillCategory")
    Skill = apps.get_model("skills", "Skill")
    ImprovementArea = apps.get_model("skills", "ImprovementArea")
    for position, (name, skills) in enumerate(CATEGORIES.items()):
        category, _ = SkillCategory.objects.get_or_create(
            slug=slugify(name), defaults={"name": name, "position": position}
        )
        for skill in skills:
            Skill.objects.get_or_create(slug=slugify(skill), defaults={"name": skill, "category": category})
    for position, (name, description) in enumerate(IMPROVEMENT_AREAS):
        ImprovementArea.objects.get_or_create(
            slug=slugify(name), defaults={"name": name, "description": description, "position": position}
        )


class Migration(migrations.Migration):
    dependencies = [("skills", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

"""Add the skills health and care staff asked for first (issue 12 point 23):
physiotherapy and rehabilitation, falls prevention, patient and public
involvement, and the core skills of the allied health professions.

The list is frozen here, not read from ``equitime.skills.seed``, so this
migration does the same thing whenever it runs.

Idempotent: a category or skill that exists already, by slug or by name (staff
may have added one in admin), is left as it is. Reversible: going back removes
these skills, except one that a profile or listing has chosen (removing it would
silently drop a member's choice), and a category it added once it is empty.
"""

from django.db import migrations
from django.db.models import Max, Q
from django.utils.text import slugify

# The category a new one goes after, to sit among the clinical categories.
AFTER_CATEGORY = "clinical-expertise"
NEW_CATEGORIES = ["Allied health professions"]
SKILLS: dict[str, list[str]] = {
    # The fourteen allied health professions of the NHS, radiography in its two branches.
    "Allied health professions": [
        "Art therapy",
        "Diagnostic radiography",
        "Dietetics",
        "Drama therapy",
        "Music therapy",
        "Occupational therapy",
        "Operating department practice",
        "Orthoptics",
        "Osteopathy",
        "Paramedic practice",
        "Physiotherapy",
        "Podiatry",
        "Prosthetics and orthotics",
        "Speech and language therapy",
        "Therapeutic radiography",
    ],
    "Clinical expertise": ["Rehabilitation", "Falls prevention"],
    "Communication and design": ["Patient and public involvement"],
}


def _category(SkillCategory, name):
    return SkillCategory.objects.filter(Q(slug=slugify(name)) | Q(name__iexact=name)).first()


def add(apps, schema_editor):
    SkillCategory = apps.get_model("skills", "SkillCategory")
    Skill = apps.get_model("skills", "Skill")
    for name, skills in SKILLS.items():
        category = _category(SkillCategory, name)
        if category is None:
            after = SkillCategory.objects.filter(slug=AFTER_CATEGORY).first()
            if after is not None:
                position = after.position + 1
            else:
                position = (SkillCategory.objects.aggregate(last=Max("position"))["last"] or 0) + 1
            category = SkillCategory.objects.create(name=name, slug=slugify(name), position=position)
        for skill in skills:
            if not Skill.objects.filter(Q(slug=slugify(skill)) | Q(name__iexact=skill)).exists():
                Skill.objects.create(name=skill, slug=slugify(skill), category=category)


def _in_use(skill) -> bool:
    """Whether anything points at the skill: profiles, listings, whatever is added later."""
    for relation in skill._meta.related_objects:
        if relation.related_model._base_manager.filter(**{relation.field.name: skill}).exists():
            return True
    return False


def remove(apps, schema_editor):
    SkillCategory = apps.get_model("skills", "SkillCategory")
    Skill = apps.get_model("skills", "Skill")
    for skills in SKILLS.values():
        for skill in Skill.objects.filter(slug__in=[slugify(name) for name in skills]):
            if not _in_use(skill):
                skill.delete()
    for name in NEW_CATEGORIES:
        category = _category(SkillCategory, name)
        if category is not None and not Skill.objects.filter(category=category).exists():
            category.delete()


class Migration(migrations.Migration):
    dependencies = [("skills", "0002_seed_taxonomy")]

    operations = [migrations.RunPython(add, remove)]

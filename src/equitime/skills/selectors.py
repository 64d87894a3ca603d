"""Reads of the taxonomy: skill categories, skills and improvement areas.

The taxonomy changes only when staff edit it in admin, yet every filter form
draws it, so ``taxonomy()`` keeps it in the cache; a save or delete of any of
its rows forgets it (``apps.SkillsConfig.ready``), and a process that missed
the signal (a local-memory cache in another process) sees the change within
``TAXONOMY_CACHE_SECONDS``.
"""

import time
from dataclasses import dataclass
from typing import TypeVar

from django.core.cache import cache

from equitime.skills.models import ImprovementArea, Skill, SkillCategory
from equitime.skills.taxonomy import label

# A data migration writes rows without the signals that forget the cache: one
# that changes the taxonomy bumps this, so a deploy never serves the old one
# from a shared cache (v2: skills 0003).
TAXONOMY_CACHE_KEY = "skills-taxonomy-v2"
TAXONOMY_CACHE_SECONDS = 300

Choices = list[tuple[str, str]]
Key = TypeVar("Key", str, int)


@dataclass(frozen=True)
class Taxonomy:
    categories: Choices  # (slug, name), in the categories' order
    skills_by_category: list[tuple[str, Choices]]  # (category name, [(slug, name)])
    skill_ids_by_category: list[tuple[str, list[tuple[int, str]]]]  # (category, [(pk, name)])
    areas: Choices  # (slug, name)
    version: int  # when it was read: pages that cache what they drew from it key on this


def _taxonomy_read() -> Taxonomy:
    by_slug: dict[str, list[tuple[str, str]]] = {}
    by_pk: dict[str, list[tuple[int, str]]] = {}
    for skill in Skill.objects.select_related("category").order_by(
        "category__position", "category__name", "name"
    ):
        by_slug.setdefault(skill.category.name, []).append((skill.slug, skill.name))
        by_pk.setdefault(skill.category.name, []).append((skill.pk, skill.name))
    return Taxonomy(
        categories=[(category.slug, category.name) for category in SkillCategory.objects.all()],
        skills_by_category=list(by_slug.items()),
        skill_ids_by_category=list(by_pk.items()),
        areas=[(area.slug, area.name) for area in ImprovementArea.objects.all()],
        version=time.time_ns(),
    )


def _in_language(known: Taxonomy) -> Taxonomy:
    """The cached taxonomy (stored English names) in the active language, each
    category's skills in the order of their translated names."""

    def named(choices: list[tuple[Key, str]]) -> list[tuple[Key, str]]:
        return [(key, label(name)) for key, name in choices]

    def sorted_by_name(choices: list[tuple[Key, str]]) -> list[tuple[Key, str]]:
        return sorted(named(choices), key=lambda choice: choice[1].casefold())

    return Taxonomy(
        categories=named(known.categories),
        skills_by_category=[
            (label(category), sorted_by_name(skills))
            for category, skills in known.skills_by_category
        ],
        skill_ids_by_category=[
            (label(category), sorted_by_name(skills))
            for category, skills in known.skill_ids_by_category
        ],
        areas=named(known.areas),
        version=known.version,
    )


def taxonomy() -> Taxonomy:
    """The whole taxonomy in the reader's language, from the cache when it is
    there (three queries when not). The cache keeps the stored names."""
    known: Taxonomy | None = cache.get_or_set(
        TAXONOMY_CACHE_KEY, _taxonomy_read, TAXONOMY_CACHE_SECONDS
    )
    return _in_language(known if known is not None else _taxonomy_read())


def taxonomy_forget(**kwargs) -> None:
    """Connected to saves and deletes of the taxonomy's models."""
    cache.delete(TAXONOMY_CACHE_KEY)


def skill_choices() -> list[tuple[str, list[tuple[int, str]]]]:
    """Skills grouped by category, for a grouped <select> of skill ids."""
    return taxonomy().skill_ids_by_category

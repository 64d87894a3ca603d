"""The shared vocabulary: what people can help with, and what it improves.

    SkillCategory 1 ──< Skill            ("Data and statistics" > "Survival analysis")
    ImprovementArea                      ("Patient safety", "Staff wellbeing" ...)

Profiles and listings pick skills from this taxonomy (rule 1 asks every
listing to name the improvement area it serves). Staff edit both in admin;
the first set is seeded by a data migration.

``name`` is stored in English and never changes with the reader: search,
matching, the API and the exports use it. People read ``label`` (and
``str()``), the name in their language (``skills.taxonomy``).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from equitime.skills.taxonomy import label


class SkillCategory(models.Model):
    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("skill category")
        verbose_name_plural = _("skill categories")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The name in the reader's language."""
        return label(self.name)


class Skill(models.Model):
    category = models.ForeignKey(
        SkillCategory, on_delete=models.PROTECT, related_name="skills", verbose_name=_("category")
    )
    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)

    class Meta:
        verbose_name = _("skill")
        verbose_name_plural = _("skills")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The name in the reader's language."""
        return label(self.name)


class ImprovementArea(models.Model):
    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = models.CharField(_("description"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("improvement area")
        verbose_name_plural = _("improvement areas")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The name in the reader's language."""
        return label(self.name)

    @property
    def description_label(self) -> str:
        return label(self.description)

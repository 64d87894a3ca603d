"""API: the skills taxonomy and the improvement areas every activity serves."""

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Schema

from equitime.api.problems import PROBLEM_RESPONSES
from equitime.skills.models import ImprovementArea, Skill, SkillCategory

router = Router(tags=["Skills and improvement areas"])


class SkillOut(Schema):
    id: int
    name: str
    slug: str


class SkillCategoryOut(Schema):
    id: int
    name: str
    slug: str
    skills: list[SkillOut]

    @staticmethod
    def resolve_skills(obj: SkillCategory) -> list[Skill]:
        return list(obj.skills.all())


class ImprovementAreaOut(Schema):
    id: int
    name: str
    slug: str
    description: str


@router.get(
    "/skills",
    response={200: list[SkillCategoryOut], **PROBLEM_RESPONSES},
    summary="Skill categories with their skills",
)
def skill_list(request: HttpRequest) -> QuerySet[SkillCategory]:
    return SkillCategory.objects.prefetch_related("skills").order_by("position", "name")


@router.get(
    "/improvement-areas",
    response={200: list[ImprovementAreaOut], **PROBLEM_RESPONSES},
    summary="The areas of health and care improvement",
)
def improvement_area_list(request: HttpRequest) -> QuerySet[ImprovementArea]:
    return ImprovementArea.objects.order_by("position", "name")

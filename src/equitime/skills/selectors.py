from equitime.skills.models import Skill


def skill_choices() -> list[tuple[str, list[tuple[int, str]]]]:
    """Skills grouped by category, for a grouped <select>: one query."""
    groups: dict[str, list[tuple[int, str]]] = {}
    for skill in Skill.objects.select_related("category").order_by(
        "category__position", "category__name", "name"
    ):
        groups.setdefault(skill.category.name, []).append((skill.pk, skill.name))
    return list(groups.items())

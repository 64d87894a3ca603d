from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class SkillsConfig(AppConfig):
    name = "equitime.skills"
    label = "skills"
    verbose_name = "Skills and improvement areas"

    def ready(self):
        from equitime.skills.models import ImprovementArea, Skill, SkillCategory
        from equitime.skills.selectors import taxonomy_forget

        # The cached taxonomy is forgotten whenever any of it changes, however
        # it changes (admin, a data migration, a test's factory).
        for model in (SkillCategory, Skill, ImprovementArea):
            post_save.connect(taxonomy_forget, sender=model, dispatch_uid=f"taxonomy-{model}")
            post_delete.connect(taxonomy_forget, sender=model, dispatch_uid=f"taxonomy-d-{model}")

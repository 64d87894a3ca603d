from django.apps import AppConfig


class SkillsConfig(AppConfig):
    name = "equitime.skills"
    label = "skills"
    verbose_name = "Skills and improvement areas"

from django.contrib import admin

from equitime.skills.models import ImprovementArea, Skill, SkillCategory


class SkillInline(admin.TabularInline):
    model = Skill
    prepopulated_fields = {"slug": ["name"]}
    extra = 1


@admin.register(SkillCategory)
class SkillCategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "position"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [SkillInline]


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ["name", "category"]
    list_filter = ["category"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(ImprovementArea)
class ImprovementAreaAdmin(admin.ModelAdmin):
    list_display = ["name", "position", "description"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}

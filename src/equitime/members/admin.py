from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from equitime.members.models import Member, Organisation, Profile


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False
    autocomplete_fields = ["organisation"]


@admin.register(Member)
class MemberAdmin(UserAdmin):
    """Members are created by joining (``member_join``), which also opens their
    account and gives the welcome gift, so the admin does not add members."""

    inlines = [ProfileInline]
    list_display = ["email", "display_name", "organisation", "is_active", "is_staff", "date_joined"]
    list_filter = ["is_active", "is_staff", "profile__organisation__kind"]
    search_fields = ["email", "display_name", "profile__organisation__name"]
    ordering = ["email"]
    readonly_fields = ["date_joined", "last_login"]
    fieldsets = [
        (None, {"fields": ["email", "display_name", "password"]}),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]

    @admin.display(description=_("organisation"), ordering="profile__organisation__name")
    def organisation(self, member):
        return member.profile.organisation if hasattr(member, "profile") else None

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("profile__organisation")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        # A member's transfers keep pointing at them; accounts are closed, not deleted.
        return False


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "country"]
    list_filter = ["kind", "country"]
    search_fields = ["name"]

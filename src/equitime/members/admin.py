from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from equitime.audit.models import AuditEntry
from equitime.audit.services import audit_record, client_ip
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

    # Role changes (flags, groups, permissions) go to the audit log.
    def save_model(self, request, obj, form, change):
        self._roles_before = _roles(Member.objects.get(pk=obj.pk)) if change else {}
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        member = form.instance
        after = _roles(member)
        before = getattr(self, "_roles_before", {})
        if change and after != before:
            audit_record(
                action=AuditEntry.Action.ROLE_CHANGED,
                actor=request.user,
                target=member,
                summary=f"Roles of {member.email} changed by {request.user.email}",
                data={"before": before, "after": after},
                ip_address=client_ip(request),
            )


def _roles(member: Member) -> dict:
    return {
        "is_active": member.is_active,
        "is_staff": member.is_staff,
        "is_superuser": member.is_superuser,
        "groups": sorted(member.groups.values_list("name", flat=True)),
        "permissions": sorted(member.user_permissions.values_list("codename", flat=True)),
    }


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "country"]
    list_filter = ["kind", "country"]
    search_fields = ["name"]

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from equitime.audit.models import AuditEntry
from equitime.audit.services import audit_record, client_ip
from equitime.core.errors import DomainError
from equitime.members import roles
from equitime.members.models import Member, Organisation, Profile
from equitime.members.services import (
    member_reinstate,
    member_role_grant,
    member_role_revoke,
)


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False
    autocomplete_fields = ["organisation"]


def each_member(modeladmin, request, queryset, change, done) -> None:
    """Run ``change(member)`` (a service) for each selected member; say what
    happened, and each refusal with its reason."""
    changed = 0
    for member in queryset.order_by("pk"):
        try:
            change(member)
        except DomainError as error:
            modeladmin.message_user(
                request, f"{member.email}: {error.message}", level=messages.ERROR
            )
        else:
            changed += 1
    if changed:
        modeladmin.message_user(request, done % {"n": changed}, level=messages.SUCCESS)


def _role_action(role: str, *, grant: bool):
    service = member_role_grant if grant else member_role_revoke
    label = roles.ROLE_LABELS[role]

    def action(modeladmin, request, queryset):
        each_member(
            modeladmin,
            request,
            queryset,
            lambda member: service(member=member, role=role, by=request.user),
            _("Roles changed for %(n)s member(s)."),
        )

    action.__name__ = f"{'grant' if grant else 'revoke'}_{role}"
    template = (
        _("Give the role %(role)s to selected members")
        if grant
        else _("Take the role %(role)s from selected members")
    )
    return admin.action(description=template % {"role": label})(action)


@admin.register(Member)
class MemberAdmin(UserAdmin):
    """Members are created by joining (``member_join``), which also opens their
    account and gives the welcome gift, so the admin does not add members.

    Whether a member may sign in, and the roles they hold, change only through
    the services, as the moderation pages change them: suspending revokes the
    member's sessions, pauses their listings and writes an audit row, and an
    erased member is never revived. So ``is_active``, groups and permissions
    are read-only here; the actions below call those services (suspending is
    moderation's: ``moderation.admin`` adds that action)."""

    inlines = [ProfileInline]
    actions = [
        "reinstate",
        _role_action(roles.MODERATOR, grant=True),
        _role_action(roles.MODERATOR, grant=False),
        _role_action(roles.COMMUNITY_ADMIN, grant=True),
        _role_action(roles.COMMUNITY_ADMIN, grant=False),
        _role_action(roles.AMBASSADOR, grant=True),
        _role_action(roles.AMBASSADOR, grant=False),
    ]
    list_display = ["email", "display_name", "organisation", "is_active", "is_staff", "date_joined"]
    list_filter = ["is_active", "is_staff", "profile__organisation__kind"]
    search_fields = ["email", "display_name", "profile__organisation__name"]
    ordering = ["email"]
    readonly_fields = [
        "date_joined",
        "last_login",
        "is_active",
        "groups",
        "user_permissions",
        "suspended_at",
        "suspended_by",
        "suspension_reason",
    ]
    fieldsets = [
        (None, {"fields": ["email", "display_name", "password"]}),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Suspension"), {"fields": ["suspended_at", "suspended_by", "suspension_reason"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]

    @admin.display(description=_("organisation"), ordering="profile__organisation__name")
    def organisation(self, member):
        return member.profile.organisation if hasattr(member, "profile") else None

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("profile__organisation")

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Reinstate selected suspended members"))
    def reinstate(self, request, queryset):
        each_member(
            self,
            request,
            queryset,
            lambda member: member_reinstate(member=member, by=request.user),
            _("%(n)s member(s) reinstated."),
        )

    def has_delete_permission(self, request, obj=None):
        # A member's transfers keep pointing at them; accounts are closed, not deleted.
        return False

    # Role changes (flags, groups, permissions) go to the audit log.
    def save_model(self, request, obj, form, change):
        self._roles_before = _roles(Member.objects.get(pk=obj.pk)) if change else {}
        obj.name_keys_set()  # the display name may have changed here
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

from django.contrib import admin

from equitime.core.admin import ReadOnlyAdmin
from equitime.scheduling.models import SchedulingSettings, Seat, Session, SessionEvent


class EventInline(admin.TabularInline[SessionEvent, Session]):
    model = SessionEvent
    extra = 0
    can_delete = False
    readonly_fields = ["created_at", "verb", "actor", "member", "starts_at", "minutes", "reason"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class SeatInline(admin.TabularInline[Seat, Session]):
    model = Seat
    extra = 0
    can_delete = False
    readonly_fields = ["member", "status", "hold", "payment", "joined_at", "booked_at", "left_at"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Session)
class SessionAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "status", "starts_at", "minutes", "organiser", "capacity"]
    list_filter = ["kind", "status", "credit_policy"]
    search_fields = ["title"]
    inlines = [SeatInline, EventInline]


@admin.register(SchedulingSettings)
class SchedulingSettingsAdmin(admin.ModelAdmin[SchedulingSettings]):
    """Community administrators choose how group sessions are paid for."""

    fields = ["group_credit_policy", "updated_by", "updated_at"]
    readonly_fields = ["updated_by", "updated_at"]

    def has_add_permission(self, request) -> bool:
        return not SchedulingSettings.objects.exists()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        from django.utils import timezone

        obj.pk = 1
        obj.updated_by = request.user
        obj.updated_at = timezone.now()
        super().save_model(request, obj, form, change)

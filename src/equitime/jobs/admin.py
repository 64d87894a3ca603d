from django.contrib import admin

from equitime.jobs.models import PeriodicRun


@admin.register(PeriodicRun)
class PeriodicRunAdmin(admin.ModelAdmin):
    """The record of the schedule: read only, since each row is what happened."""

    list_display = ("job", "period_start", "outcome", "started_at", "finished_at", "worker")
    list_filter = ("job", "outcome")
    date_hierarchy = "period_start"
    search_fields = ("job", "worker", "summary")
    readonly_fields = [f.name for f in PeriodicRun._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

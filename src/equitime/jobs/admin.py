from django.contrib import admin

from equitime.core.admin import ReadOnlyAdmin
from equitime.jobs.models import PeriodicRun


@admin.register(PeriodicRun)
class PeriodicRunAdmin(ReadOnlyAdmin):
    """The record of the schedule: read only, since each row is what happened."""

    list_display = ("job", "period_start", "outcome", "started_at", "finished_at", "worker")
    list_filter = ("job", "outcome")
    date_hierarchy = "period_start"
    search_fields = ("job", "worker", "summary")
    readonly_fields = [f.name for f in PeriodicRun._meta.fields]

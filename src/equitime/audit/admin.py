from django.contrib import admin

from equitime.audit.models import AuditEntry
from equitime.core.admin import ReadOnlyAdmin


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """Administrators read and filter the log; nobody edits or deletes it."""

    list_display = ["created_at", "action", "actor", "target", "summary", "ip_address"]
    list_filter = ["action", ("created_at", admin.DateFieldListFilter)]
    search_fields = ["summary", "target", "actor__email", "ip_address"]
    date_hierarchy = "created_at"
    list_select_related = ["actor"]
    readonly_fields = [field.name for field in AuditEntry._meta.fields]

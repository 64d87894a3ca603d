from django.contrib import admin

from equitime.core.admin import ReadOnlyAdmin
from equitime.exports.models import Export


@admin.register(Export)
class ExportAdmin(ReadOnlyAdmin):
    """Operators' exports, read only: they are asked for and downloaded on
    /operations/exports/, where the permission is checked and each download audited."""

    list_display = ("kind", "status", "requested_by", "requested_at", "rows_done", "expires_at")
    list_filter = ("kind", "status")
    date_hierarchy = "requested_at"
    readonly_fields = [f.name for f in Export._meta.fields]

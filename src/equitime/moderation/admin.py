from django.contrib import admin

from equitime.core.admin import ReadOnlyAdmin
from equitime.moderation.models import ListingFlag


@admin.register(ListingFlag)
class ListingFlagAdmin(ReadOnlyAdmin):
    """Staff look reports up; moderators decide them at /moderation/, where the
    decision closes the listing, tells the members and is audited."""

    list_display = ["created_at", "listing", "reason", "flagged_by", "status", "decided_by"]
    list_filter = ["status", "reason"]
    search_fields = ["listing__title", "flagged_by__email", "note"]
    list_select_related = ["listing", "flagged_by", "decided_by"]
    readonly_fields = [field.name for field in ListingFlag._meta.fields]

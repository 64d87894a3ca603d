from django.contrib import admin

from equitime.core.admin import ReadOnlyAdmin
from equitime.listings.models import Listing


@admin.register(Listing)
class ListingAdmin(ReadOnlyAdmin):
    """Staff can read listings; members change their own through the site."""

    list_display = ["title", "kind", "owner", "improvement_area", "status", "expires_at"]
    list_filter = ["kind", "status", "improvement_area", "format"]
    search_fields = ["title", "description", "owner__email", "owner__display_name"]
    list_select_related = ["owner", "improvement_area"]
    readonly_fields = [field.name for field in Listing._meta.fields] + ["skills"]

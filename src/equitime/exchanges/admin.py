from django.contrib import admin

from equitime.core.admin import ReadOnlyAdmin
from equitime.exchanges.models import Exchange, ExchangeEvent


class EventInline(admin.TabularInline):
    model = ExchangeEvent
    extra = 0
    can_delete = False
    readonly_fields = ["created_at", "verb", "actor", "from_status", "to_status", "minutes", "note"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Exchange)
class ExchangeAdmin(ReadOnlyAdmin):
    """Read-only: every change goes through the exchange services, which keep
    the ledger and the timeline in step. Moderators resolve disputes on the site."""

    list_display = ["title", "provider", "receiver", "status", "proposed_minutes", "updated_at"]
    list_filter = ["status", "improvement_area"]
    search_fields = ["title", "provider__email", "receiver__email"]
    list_select_related = ["provider", "receiver"]
    inlines = [EventInline]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in Exchange._meta.fields]

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from equitime.core.admin import ReadOnlyAdmin
from equitime.core.errors import DomainError
from equitime.exchanges import services
from equitime.exchanges.models import Exchange, ExchangeEvent, Status


class EventInline(admin.TabularInline[ExchangeEvent, Exchange]):
    model = ExchangeEvent
    extra = 0
    can_delete = False
    readonly_fields = ["created_at", "verb", "actor", "from_status", "to_status", "minutes", "note"]

    def has_add_permission(self, request: HttpRequest, obj: Exchange | None = None) -> bool:
        return False


class ReverseForm(forms.Form):
    reason = forms.CharField(
        label=_("Why (both members will read this)"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


@admin.register(Exchange)
class ExchangeAdmin(ReadOnlyAdmin):
    """Read-only: every change goes through the exchange services, which keep
    the ledger and the timeline in step. Moderators resolve disputes on the site;
    a completed exchange's payment is reversed here (``exchange_reverse``),
    never from the ledger's transfers."""

    list_display = ["title", "provider", "receiver", "status", "proposed_minutes", "updated_at"]
    list_filter = ["status", "improvement_area"]
    search_fields = ["title", "provider__email", "receiver__email"]
    list_select_related = ["provider", "receiver"]
    inlines = [EventInline]
    actions = ["reverse_payments"]

    def get_readonly_fields(self, request: HttpRequest, obj: Exchange | None = None) -> list[str]:
        return [field.name for field in Exchange._meta.fields]

    @admin.action(
        description=_("Reverse the payment of the selected completed exchanges"),
        permissions=["reverse"],
    )
    def reverse_payments(
        self, request: HttpRequest, queryset: QuerySet[Exchange]
    ) -> TemplateResponse | None:
        moderator = request.user
        if not moderator.is_authenticated:  # the admin site lets only staff in
            raise PermissionDenied
        form = ReverseForm(request.POST if "apply" in request.POST else None)
        if not form.is_valid():
            # First the reason, on a page of its own; the action runs when it is given.
            return TemplateResponse(
                request,
                "admin/exchanges/exchange/reverse_payments.html",
                {
                    **self.admin_site.each_context(request),
                    "title": _("Reverse exchange payments"),
                    "opts": self.model._meta,
                    "form": form,
                    "exchanges": queryset.select_related("provider", "receiver").order_by("pk"),
                },
            )
        done = 0
        for exchange in queryset.order_by("pk"):
            if exchange.status == Status.REVERSED:
                self.message_user(
                    request,
                    _("Exchange %(id)s was already reversed.") % {"id": exchange.pk},
                    messages.WARNING,
                )
                continue
            try:
                services.exchange_reverse(
                    exchange=exchange, moderator=moderator, reason=form.cleaned_data["reason"]
                )
            except DomainError as error:
                self.message_user(request, f"Exchange {exchange.pk}: {error}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(
                request,
                ngettext("Reversed %d exchange.", "Reversed %d exchanges.", done) % done,
                messages.SUCCESS,
            )
        return None

    def has_reverse_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return user.is_authenticated and services.can_moderate(user)

"""The ledger in admin is read-only. A correction is a reversal, made by the
``transfer_reverse`` service, never an edit. An exchange's transfer is not
reversed here: the service refuses it and says to reverse the exchange (its
admin action), so the exchange, its timeline and both members follow."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from equitime.core.admin import ReadOnlyAdmin
from equitime.core.errors import DomainError
from equitime.ledger.models import Account, Transfer
from equitime.ledger.services import transfer_reverse


@admin.register(Account)
class AccountAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "balance", "held", "available", "floor", "opened_at"]
    list_filter = ["kind"]
    search_fields = ["name", "member__email", "code"]
    list_select_related = ["member"]


@admin.register(Transfer)
class TransferAdmin(ReadOnlyAdmin):
    list_display = [
        "id",
        "created_at",
        "kind",
        "state",
        "debit_account",
        "credit_account",
        "amount",
        "initiated_by",
    ]
    list_filter = ["kind", "state"]
    search_fields = ["key", "memo", "debit_account__name", "credit_account__name"]
    list_select_related = ["debit_account", "credit_account", "initiated_by"]
    actions = ["reverse_transfers"]

    @admin.action(description=_("Reverse the selected posted transfers"), permissions=["reverse"])
    def reverse_transfers(self, request: HttpRequest, queryset: QuerySet[Transfer]) -> None:
        staff = request.user
        if not staff.is_authenticated:  # the admin site lets only staff in
            raise PermissionDenied
        reversed_count = 0
        for transfer in queryset.select_related("reversal").order_by("pk"):
            if hasattr(transfer, "reversal"):
                self.message_user(
                    request,
                    _("Transfer %(id)s was already reversed.") % {"id": transfer.pk},
                    messages.WARNING,
                )
                continue
            try:
                transfer_reverse(
                    # One key per transfer: repeating the action cannot reverse twice.
                    key=f"admin-reversal:{transfer.pk}",
                    transfer=transfer,
                    initiated_by=staff,
                    memo=f"Reversed by {staff.email} in admin",
                )
            except DomainError as error:
                self.message_user(request, f"Transfer {transfer.pk}: {error}", messages.ERROR)
            else:
                reversed_count += 1
        if reversed_count:
            self.message_user(
                request,
                ngettext("Reversed %d transfer.", "Reversed %d transfers.", reversed_count)
                % reversed_count,
                messages.SUCCESS,
            )

    def has_reverse_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser or request.user.has_perm("ledger.add_transfer")

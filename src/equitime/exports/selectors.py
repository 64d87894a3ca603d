"""Reading exports: the list the page and the API show, and one export."""

from django.db.models import Exists, OuterRef, QuerySet
from django.shortcuts import get_object_or_404

from equitime.audit.models import AuditEntry
from equitime.exports.models import Export


def exports_list() -> QuerySet[Export]:
    """Every export still kept, newest first, each marked ``withdrawn`` when a
    member's data was erased after it was asked for."""
    erased_after = AuditEntry.objects.filter(
        action=AuditEntry.Action.MEMBER_ERASED, created_at__gt=OuterRef("requested_at")
    )
    return (
        Export.objects.select_related("requested_by")
        .annotate(withdrawn=Exists(erased_after))
        .order_by("-requested_at", "-id")
    )


def export_get(*, pk: int) -> Export:
    return get_object_or_404(exports_list(), pk=pk)


def exports_in_progress(exports: list[Export]) -> bool:
    return any(not export.is_finished for export in exports)

"""Exports expire: their files and rows are deleted ``exports_days`` after they
were asked for, and at once (by the next run) when a member's data was erased
after they were asked for. Files left half-written by a worker that died
(``*.part``) go after a day."""

from __future__ import annotations

import time
from datetime import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet

from equitime.audit.models import AuditEntry
from equitime.exports.models import Export
from equitime.exports.services import exports_dir

PART_FILE_SECONDS = 24 * 3600


def exports_expired(*, now: datetime) -> QuerySet[Export]:
    erased_after = AuditEntry.objects.filter(
        action=AuditEntry.Action.MEMBER_ERASED, created_at__gt=OuterRef("requested_at")
    )
    return Export.objects.filter(Q(expires_at__lte=now) | Q(Exists(erased_after)))


def export_purge_expired(*, now: datetime) -> int:
    """Delete the expired exports' files, then their rows; how many exports went."""
    directory = exports_dir()
    count = 0
    for export in exports_expired(now=now).only("pk", "file_name").iterator():
        if export.file_name:
            (directory / export.file_name).unlink(missing_ok=True)
        Export.objects.filter(pk=export.pk).delete()
        count += 1
    if directory.is_dir():
        stale = time.time() - PART_FILE_SECONDS
        for part in directory.glob("*.part"):
            if part.stat().st_mtime < stale:
                part.unlink(missing_ok=True)
    return count

"""Asking for an export, making its file in the background, and handing it over.

    export_request ──(on commit)──> tasks.export_run ──> export_run_now
         audit: export_requested                        writes the file, progress
    export_open ──> the file, to stream                  done | failed (a message to act on)
         audit: export_downloaded

Only holders of ``exports.export_data`` (community administrators; staff
superusers hold every permission) ask for and download exports. An export is
an operator record shared by those who hold it: any of them sees the list
and may download a file, and every download is audited with who and when.
"""

from __future__ import annotations

import contextlib
import csv
import logging
import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from equitime.audit.models import AuditEntry
from equitime.audit.services import audit_record
from equitime.core.csv import csv_safe
from equitime.core.errors import DomainError, ErrorKind
from equitime.core.retention import retention_days
from equitime.core.zones import zone_of
from equitime.exports.errors import ExportGone, ExportNotReady
from equitime.exports.kinds import CHUNK, SHEETS, Context, sheet_cutoff, sheet_records
from equitime.exports.models import Export

logger = logging.getLogger(__name__)

EXPORT_PERMISSION = "exports.export_data"
# Progress is saved every this many records: often enough for the page's bar,
# rarely enough that saving it costs nothing beside the writing.
PROGRESS_EVERY = 2000
# Exports one person may have waiting or running at once.
MAX_WAITING = 3


def may_export(member: Any) -> bool:
    return bool(
        member
        and member.is_authenticated
        and member.is_active
        and member.has_perm(EXPORT_PERMISSION)
    )


def export_check_may(member: Any) -> None:
    if not may_export(member):
        raise PermissionDenied(_("Only community administrators may export the community's data."))


def exports_dir() -> Path:
    return Path(settings.EQUITIME_EXPORTS_DIR)


def export_path(export: Export) -> Path:
    return exports_dir() / export.file_name


def export_request(*, member: Any, kind: str, ip_address: str | None = None) -> Export:
    """Queue an export of ``kind`` for ``member``; the task starts once committed."""
    export_check_may(member)
    if kind not in Export.Kind.values:
        raise DomainError(
            _("Choose what to export."), kind=ErrorKind.INVALID, code="unknown_kind", field="kind"
        )
    with transaction.atomic():
        waiting = Export.objects.filter(
            requested_by=member, status__in=[Export.Status.QUEUED, Export.Status.RUNNING]
        ).count()
        if waiting >= MAX_WAITING:
            raise DomainError(
                _(
                    "You have %(count)s exports waiting or running. Wait for one to finish, "
                    "then ask again."
                )
                % {"count": waiting},
                kind=ErrorKind.CONFLICT,
                code="too_many_exports",
            )
        now = timezone.now()
        export = Export.objects.create(
            kind=kind,
            requested_by=member,
            requested_at=now,
            expires_at=now + timedelta(days=retention_days("exports")),
        )
        audit_record(
            action=AuditEntry.Action.EXPORT_REQUESTED,
            actor=member,
            target=export,
            summary=f"Member {member.pk} asked for an export of {kind}",
            data={"kind": kind},
            ip_address=ip_address,
        )

        def enqueue() -> None:
            from equitime.exports.tasks import export_run

            export_run.enqueue(export_id=export.pk)

        transaction.on_commit(enqueue)
    return export


def export_withdrawn(export: Export) -> bool:
    """Whether a member's data was erased after the export was asked for: its
    file may hold what was erased, so it is no longer handed out."""
    return AuditEntry.objects.filter(
        action=AuditEntry.Action.MEMBER_ERASED, created_at__gt=export.requested_at
    ).exists()


def export_check_available(export: Export, *, now: Any = None) -> None:
    """Refuse an export that is not ready, or no longer to be had."""
    now = now or timezone.now()
    if export.expires_at <= now:
        raise ExportGone(
            _("This export expired on %(date)s and its file is deleted. Ask for a new one.")
            % {"date": date_format(timezone.localtime(export.expires_at), "j M Y")}
        )
    if export_withdrawn(export):
        raise ExportGone(
            _(
                "A member's data was erased after this export was asked for, so its file is "
                "no longer handed out. Ask for a new one."
            )
        )
    if export.status == Export.Status.FAILED:
        raise ExportNotReady(_("This export failed: %(error)s") % {"error": export.error})
    if export.status != Export.Status.DONE:
        raise ExportNotReady(
            _("This export is not ready yet (%(status)s). Wait for it to finish.")
            % {"status": export.get_status_display().lower()}
        )
    if not export_path(export).is_file():
        raise ExportGone(_("This export's file is no longer there. Ask for a new one."))


def export_open(*, export: Export, member: Any, ip_address: str | None = None) -> IO[bytes]:
    """The export's file, opened for streaming to ``member``; the download is audited."""
    export_check_may(member)
    export_check_available(export)
    handle = export_path(export).open("rb")
    audit_record(
        action=AuditEntry.Action.EXPORT_DOWNLOADED,
        actor=member,
        target=export,
        summary=f"Member {member.pk} downloaded export {export.pk} ({export.kind})",
        data={"kind": export.kind, "rows": export.rows_done},
        ip_address=ip_address,
    )
    return handle


def export_download_name(export: Export) -> str:
    day = timezone.localtime(export.requested_at).date().isoformat()
    return f"equitime-{export.kind.replace('_', '-')}-{day}-{export.pk}.csv"


# --- The background work ------------------------------------------------------------------


def _progress(export_id: int, rows_done: int) -> None:
    Export.objects.filter(pk=export_id).update(rows_done=rows_done)


def _failure(error: Exception, rows_done: int) -> str:
    reason = f"{type(error).__name__}: {error}"[:200]
    if isinstance(error, OSError):
        return _(
            "The file could not be written in %(dir)s (%(reason)s). Check that the disk has "
            "room and that the worker may write there, then ask for the export again."
        ) % {"dir": exports_dir(), "reason": reason}
    if isinstance(error, DatabaseError):
        return _(
            "The database stopped the export after %(rows)s rows (%(reason)s). Ask for it "
            "again; if it fails again, check the database and the worker's log."
        ) % {"rows": rows_done, "reason": reason}
    return _(
        "The export stopped after %(rows)s rows (%(reason)s). The details are in the "
        "worker's log; ask for it again, and if it fails again, tell whoever runs the service."
    ) % {"rows": rows_done, "reason": reason}


def export_run_now(*, export_id: int) -> str:
    """Write the export's file (the task's work). A queued export, or one left
    running by a worker that died, is (re)started; any other is left alone.

    Always in the community's language (``LANGUAGE_CODE``), whoever asked:
    an export is an operator record shared by every administrator and read
    by finance and audit tools, which key on its column names, so its
    headings and words stay the same from one export to the next."""
    with translation.override(settings.LANGUAGE_CODE):
        return _export_run_now(export_id=export_id)


def _export_run_now(*, export_id: int) -> str:
    claimed = Export.objects.filter(
        pk=export_id, status__in=[Export.Status.QUEUED, Export.Status.RUNNING]
    ).update(
        status=Export.Status.RUNNING,
        started_at=timezone.now(),
        rows_done=0,
        rows_total=None,
        error="",
    )
    if not claimed:
        return "nothing to do"
    export = Export.objects.select_related("requested_by__profile").get(pk=export_id)
    sheet = SHEETS[export.kind]
    directory = exports_dir()
    part = directory / f"{export.pk}-{secrets.token_hex(8)}.part"
    rows_done = 0
    try:
        directory.mkdir(parents=True, exist_ok=True)
        cutoff = sheet_cutoff(export.kind)
        records = sheet_records(export.kind, cutoff=cutoff)
        total = records.count()
        Export.objects.filter(pk=export_id).update(rows_total=total)
        context = Context(zone=zone_of(export.requested_by), cutoff=cutoff)
        totals: dict[str, int] = {}
        # utf-8-sig: a spreadsheet opening the file reads its names as UTF-8.
        with part.open("w", newline="", encoding="utf-8-sig") as handle:
            writer = csv.writer(handle)
            writer.writerow([csv_safe(cell) for cell in sheet.header()])
            for record in records.iterator(chunk_size=CHUNK):
                for row in sheet.rows(record, context):
                    writer.writerow([csv_safe(cell) for cell in row])
                if sheet.totals is not None:
                    for key, value in sheet.totals(record).items():
                        totals[key] = totals.get(key, 0) + value
                rows_done += 1
                if rows_done % PROGRESS_EVERY == 0:
                    _progress(export_id, rows_done)
            if sheet.closing is not None:
                for row in sheet.closing(context, totals):
                    writer.writerow([csv_safe(cell) for cell in row])
        name = f"{secrets.token_urlsafe(24)}.csv"
        final = directory / name
        os.replace(part, final)
        finished = Export.objects.filter(pk=export_id, status=Export.Status.RUNNING).update(
            status=Export.Status.DONE,
            file_name=name,
            size=final.stat().st_size,
            rows_done=rows_done,
            rows_total=rows_done,
            finished_at=timezone.now(),
        )
        if not finished:  # deleted by retention meanwhile (a member's erasure)
            final.unlink(missing_ok=True)
            return "the export was withdrawn while it ran"
        return f"{rows_done} rows"
    except Exception as error:
        logger.exception("Export %s (%s) failed after %s rows", export_id, export.kind, rows_done)
        with contextlib.suppress(OSError):  # the directory itself may be what failed
            part.unlink(missing_ok=True)
        message = _failure(error, rows_done)
        Export.objects.filter(pk=export_id).update(
            status=Export.Status.FAILED, finished_at=timezone.now(), error=message[:500]
        )
        return f"failed: {message}"

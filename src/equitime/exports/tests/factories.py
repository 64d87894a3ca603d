"""Export test data: an export asked for and, if wanted, made in-process."""

from equitime.exports.models import Export
from equitime.exports.services import export_path, export_request, export_run_now


def export_made(member, kind: str, *, run: bool = True) -> Export:
    export = export_request(member=member, kind=kind)
    if run:
        export_run_now(export_id=export.pk)
    return Export.objects.get(pk=export.pk)


def export_rows(export: Export) -> list[list[str]]:
    from equitime.exports.tests.conftest import read_csv

    return read_csv(export_path(export).read_bytes())

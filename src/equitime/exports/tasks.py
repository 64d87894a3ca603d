"""The exports' background work: one task per export (``services.export_run_now``)."""

from django_tasks import task

from equitime.exports.services import export_run_now


@task()
def export_run(*, export_id: int) -> str:
    return export_run_now(export_id=export_id)

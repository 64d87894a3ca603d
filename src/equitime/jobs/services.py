"""Running the periodic schedule: claim a job's period, run it, record the outcome."""

import logging
import traceback
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from equitime.jobs.models import PeriodicRun
from equitime.jobs.schedule import SCHEDULE, Job

logger = logging.getLogger(__name__)


def periodic_run_claim(*, job: Job, now: datetime, worker: str) -> PeriodicRun | None:
    """Insert the row for ``job``'s current period, or return None if another
    worker (here or on another machine) has inserted it already. The unique
    constraint on (job, period_start) decides: the database lets one through."""
    try:
        with transaction.atomic():
            return PeriodicRun.objects.create(
                job=job.name, period_start=job.period_start(now), worker=worker, started_at=now
            )
    except IntegrityError:
        return None


def periodic_run_finish(*, run: PeriodicRun, outcome: str, summary: str) -> PeriodicRun:
    run.outcome = outcome
    run.summary = summary
    run.finished_at = timezone.now()
    run.save(update_fields=["outcome", "summary", "finished_at"])
    return run


def periodic_job_run(*, job: Job, now: datetime, worker: str) -> PeriodicRun | None:
    """Run ``job`` if this worker wins its current period. A failure is
    recorded on the run (with its traceback) and does not propagate: one
    broken job must not stop the others or the worker."""
    run = periodic_run_claim(job=job, now=now, worker=worker)
    if run is None:
        return None
    try:
        summary = job.run(now)
    except Exception:
        logger.exception("Periodic job %s failed", job.name)
        return periodic_run_finish(
            run=run, outcome=PeriodicRun.Outcome.FAILED, summary=traceback.format_exc()[-4000:]
        )
    logger.info("Periodic job %s: %s", job.name, summary)
    return periodic_run_finish(run=run, outcome=PeriodicRun.Outcome.SUCCEEDED, summary=summary)


def periodic_jobs_run_due(
    *, worker: str, now: datetime | None = None, schedule: tuple[Job, ...] = SCHEDULE
) -> list[PeriodicRun]:
    """Run every job in the schedule whose current period nobody has claimed
    yet. Returns the runs this worker made."""
    now = now or timezone.now()
    runs = []
    for job in schedule:
        if not job.applies():
            continue
        run = periodic_job_run(job=job, now=now, worker=worker)
        if run is not None:
            runs.append(run)
    return runs

"""The periodic schedule's record: one row per job and period, the lock and the log at once.

    schedule.SCHEDULE:  job name ──> what to call, how often (its period)

    PeriodicRun (job, period_start) unique
        worker        which `equitime worker` ran it (host:pid)
        started_at ── finished_at
        outcome       running → succeeded | failed, with a summary or the traceback

Periods are fixed slices of time counted from the Unix epoch in UTC (every 15
minutes: 10:00, 10:15 …), so every worker on every machine names the same
period the same way. A worker that finds a job due *inserts* its row for the
current period before running it; the unique constraint lets exactly one insert
through, and every other worker gets an IntegrityError and skips that job until
the next period. So a job runs at most once per period however many workers
run, and in every period in which any worker is up. A run that dies half-way
stays "running" and is not retried within its period: each job does all that is
due when it runs, so the next period's run catches up.

Queued tasks (e-mail) are not here: they are django-tasks-db's ``DBTaskResult``.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PeriodicRun(models.Model):
    class Outcome(models.TextChoices):
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    job = models.CharField(_("job"), max_length=64)
    period_start = models.DateTimeField(_("period start"))
    worker = models.CharField(_("worker"), max_length=200)
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=16, choices=Outcome.choices, default=Outcome.RUNNING
    )
    summary = models.TextField(_("summary"), blank=True)

    class Meta:
        ordering = ["-period_start", "job"]
        constraints = [
            models.UniqueConstraint(
                fields=["job", "period_start"], name="jobs_run_once_per_period"
            ),
            models.CheckConstraint(
                condition=Q(outcome="running", finished_at__isnull=True)
                | (~Q(outcome="running") & Q(finished_at__isnull=False)),
                name="jobs_run_finished_iff_not_running",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.job} @ {self.period_start:%Y-%m-%d %H:%M} ({self.outcome})"

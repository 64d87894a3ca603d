"""The periodic schedule: what `equitime worker` runs, and how often.

One line per job in ``SCHEDULE``. A job is a function taking the moment it
runs (``now``) and returning a one-line summary for the run's record; it must
be safe to run again (each does whatever is due, so a missed period is caught
up by the next). Each runs once per period however many workers run
(``models.PeriodicRun``). The management commands that do the same work
(``auto_confirm_exchanges``, ``expire_listings``, ``apply_retention``, ``purge_messages``) stay for
operators; they call the same services.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import connection
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from equitime.core.database import sqlite_statistics_refresh
from equitime.digest.services import digest_send_due
from equitime.exchanges.services import exchanges_auto_confirm_due
from equitime.impact.tasks import impact_figures
from equitime.jobs.models import PeriodicRun
from equitime.jobs.retention import retention_apply
from equitime.listings.expiry import listings_warn_expiring
from equitime.listings.services import listings_expire
from equitime.scheduling.reminders import reminders_send_due

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Job:
    name: str
    every: timedelta
    run: Callable[[datetime], str]
    # Whether the job applies here at all (SQLite upkeep, for one).
    applies: Callable[[], bool] = lambda: True

    def period_start(self, now: datetime) -> datetime:
        """The start of the period ``now`` falls in, counted from the epoch in
        UTC, so that every worker on every machine names it alike."""
        return EPOCH + ((now - EPOCH) // self.every) * self.every


def auto_confirm_exchanges(now: datetime) -> str:
    confirmed, problems = exchanges_auto_confirm_due(now=now)
    summary = f"confirmed {confirmed} exchange(s)"
    if problems:
        summary += f"; {len(problems)} could not be: " + "; ".join(problems)
    return summary


def expire_listings(now: datetime) -> str:
    warned = listings_warn_expiring(now=now)
    expired = listings_expire(now=now)
    return f"warned {warned} owner(s); expired {expired} listing(s)"


def apply_retention(now: datetime) -> str:
    """Every retention period (``jobs.retention``), messages among them."""
    return "; ".join(outcome.line(dry_run=False) for outcome in retention_apply(now=now))


# How long the record of periodic runs is kept.
RUN_RECORD_DAYS = 90


def prune_task_results(now: datetime) -> str:
    """Finished tasks go after a while: their arguments hold e-mail addresses
    and links, and nobody needs them once the e-mail went (or was given up).
    The record of periodic runs is kept longer, but not for ever."""
    cutoff = now - timedelta(days=settings.EQUITIME_TASK_RESULT_DAYS)
    deleted, _ = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    runs, _ = PeriodicRun.objects.filter(
        period_start__lt=now - timedelta(days=RUN_RECORD_DAYS)
    ).delete()
    return f"deleted {deleted} finished task(s) and {runs} periodic run record(s)"


# A task still running after this long was left by a worker that died (killed,
# or its machine lost): ours are e-mails, which take seconds.
STALLED_AFTER = timedelta(minutes=30)


def requeue_stalled_tasks(now: datetime) -> str:
    """Put back in the queue the tasks whose worker died under them, so that
    an e-mail is late rather than lost. The notification's e-mail task sends
    nothing twice (``emailed_at``); another e-mail may, rarely, go out twice."""
    requeued = (
        DBTaskResult.objects.running()
        .filter(started_at__lt=now - STALLED_AFTER)
        .update(status=TaskResultStatus.READY, started_at=None)
    )
    return f"requeued {requeued} stalled task(s)"


def send_session_reminders(now: datetime) -> str:
    """Reminders before sessions, and the nudge to log the hours after one
    (``scheduling.reminders``)."""
    return reminders_send_due(now=now)


def send_weekly_digests(now: datetime) -> str:
    """Each member's weekly digest, once a week, in batches (``digest.services``)."""
    return digest_send_due(now=now)


def on_sqlite() -> bool:
    return connection.vendor == "sqlite"


def sqlite_optimize(now: datetime) -> str:
    """Keep the query planner's statistics (``core.database``)."""
    return sqlite_statistics_refresh()


SCHEDULE: tuple[Job, ...] = (
    Job("auto_confirm_exchanges", timedelta(minutes=15), auto_confirm_exchanges),
    Job("expire_listings", timedelta(hours=1), expire_listings),
    Job("apply_retention", timedelta(days=1), apply_retention),
    Job("prune_task_results", timedelta(days=1), prune_task_results),
    Job("requeue_stalled_tasks", timedelta(minutes=15), requeue_stalled_tasks),
    # Often enough that a "1 hour before" reminder comes 55 to 60 minutes before.
    Job("send_session_reminders", timedelta(minutes=5), send_session_reminders),
    # Hourly: from Monday 07:00 UTC, whoever is due and not sent yet.
    Job("send_weekly_digests", timedelta(hours=1), send_weekly_digests),
    # The impact pages' monthly figures, rebuilt from the ledger (impact.aggregates).
    Job("impact_figures", timedelta(days=1), impact_figures),
    Job("sqlite_optimize", timedelta(hours=6), sqlite_optimize, applies=on_sqlite),
)

"""The periodic schedule: each job once per period, however many workers run
and however they race; a failing job is recorded and the rest go on."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from equitime.core.testing import race
from equitime.jobs.models import PeriodicRun
from equitime.jobs.schedule import SCHEDULE, Job
from equitime.jobs.services import periodic_job_run, periodic_jobs_run_due
from equitime.jobs.tests.conftest import NOON
from equitime.listings.models import Format, Listing
from equitime.listings.services import listing_create
from equitime.notifications.tests.samples import sample
from equitime.skills.models import ImprovementArea

calls: list[str] = []


def counted(now):
    calls.append(f"ran at {now:%H:%M}")
    return f"ran at {now:%H:%M}"


def broken(now):
    raise RuntimeError("the job broke")


QUARTER_HOURLY = Job("counted", timedelta(minutes=15), counted)
BROKEN = Job("broken", timedelta(minutes=15), broken)


@pytest.fixture(autouse=True)
def _no_calls_yet():
    calls.clear()


def test_periods_are_slices_of_utc_time_from_the_epoch():
    job = Job("x", timedelta(minutes=15), counted)
    assert job.period_start(datetime(2026, 3, 2, 12, 14, 59, tzinfo=UTC)) == datetime(
        2026, 3, 2, 12, 0, tzinfo=UTC
    )
    assert job.period_start(datetime(2026, 3, 2, 12, 15, tzinfo=UTC)) == datetime(
        2026, 3, 2, 12, 15, tzinfo=UTC
    )
    daily = Job("y", timedelta(days=1), counted)
    assert daily.period_start(NOON) == datetime(2026, 3, 2, tzinfo=UTC)


@pytest.mark.django_db
def test_a_job_runs_once_in_its_period_and_again_in_the_next():
    schedule = (QUARTER_HOURLY,)

    [run] = periodic_jobs_run_due(worker="a", now=NOON, schedule=schedule)
    assert (
        periodic_jobs_run_due(worker="b", now=NOON + timedelta(minutes=9), schedule=schedule) == []
    )
    [later] = periodic_jobs_run_due(worker="b", now=NOON + timedelta(minutes=10), schedule=schedule)

    assert calls == ["ran at 12:05", "ran at 12:15"]
    assert (run.period_start, later.period_start) == (
        datetime(2026, 3, 2, 12, 0, tzinfo=UTC),
        datetime(2026, 3, 2, 12, 15, tzinfo=UTC),
    )
    run.refresh_from_db()
    assert run.outcome == PeriodicRun.Outcome.SUCCEEDED
    assert run.summary == "ran at 12:05"
    assert run.worker == "a"
    assert run.finished_at is not None


@pytest.mark.django_db
def test_two_burst_workers_run_the_real_schedule_once(burst):
    jobs_a, _ = burst(name="worker-a")
    jobs_b, _ = burst(name="worker-b")

    expected = {job.name for job in SCHEDULE if job.applies()}
    assert jobs_a == len(expected)
    assert jobs_b == 0
    runs = PeriodicRun.objects.all()
    assert {run.job for run in runs} == expected
    assert {run.worker for run in runs} == {"worker-a"}
    assert {run.outcome for run in runs} == {PeriodicRun.Outcome.SUCCEEDED}
    assert ("sqlite_optimize" in expected) == (connection.vendor == "sqlite")


@pytest.mark.django_db
def test_the_worker_does_the_work_of_the_commands_it_replaces(make_member, burst):
    owner = make_member(display_name="Olu Owner")
    listing = listing_create(
        owner=owner,
        kind=Listing.Kind.OFFER,
        title="Run charts for QI",
        description="I can show you how to build and read a run chart.",
        improvement_area=ImprovementArea.objects.get(slug="patient-safety"),
        benefit="Teams see whether their change is an improvement.",
        estimated_minutes=60,
        format=Format.REMOTE,
    )
    Listing.objects.filter(pk=listing.pk).update(expires_at=timezone.now() - timedelta(days=1))

    burst(now=timezone.now())

    listing.refresh_from_db()
    assert listing.status == Listing.Status.EXPIRED
    run = PeriodicRun.objects.get(job="expire_listings")
    assert run.summary == "warned 0 owner(s); expired 1 listing(s)"


@pytest.mark.django_db
def test_a_failing_job_is_recorded_and_the_others_still_run(burst):
    jobs, _ = burst(schedule=(BROKEN, QUARTER_HOURLY))

    assert jobs == 2
    assert calls == ["ran at 12:05"]
    failed = PeriodicRun.objects.get(job="broken")
    assert failed.outcome == PeriodicRun.Outcome.FAILED
    assert "RuntimeError: the job broke" in failed.summary
    assert failed.finished_at is not None
    assert PeriodicRun.objects.get(job="counted").outcome == PeriodicRun.Outcome.SUCCEEDED
    # Not tried again in the same period; the next period tries afresh.
    assert burst(schedule=(BROKEN,)) == (0, 0)
    assert burst(schedule=(BROKEN,), now=NOON + timedelta(minutes=15)) == (1, 0)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_workers_racing_for_one_period_run_the_job_once():
    """Eight workers in eight threads, each on its own connection, released at
    the same instant: the unique (job, period) row lets exactly one through."""
    workers = 8
    outcomes = race(
        lambda n: periodic_job_run(job=QUARTER_HOURLY, now=NOON, worker=f"w{n}"), workers
    )
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    results = {f"w{n}": outcome for n, outcome in enumerate(outcomes)}

    winners = [name for name, run in results.items() if run is not None]
    assert len(winners) == 1
    assert calls == ["ran at 12:05"]
    [run] = PeriodicRun.objects.all()
    assert run.worker == winners[0]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # as in production
def test_a_stop_signal_lets_the_round_finish_then_ends_the_loop():
    from equitime.jobs.worker import Worker

    worker = Worker(interval=3600, name="w", clock=lambda: NOON)

    def stop_while_working(now):
        import signal

        worker.stop(signal.SIGTERM, None)
        return "asked to stop"

    worker.schedule = (Job("stopper", timedelta(minutes=15), stop_while_working), QUARTER_HOURLY)
    worker.run()  # returns, rather than waiting an hour

    assert not worker.running
    assert calls == ["ran at 12:05"]  # the job after the signal still ran: rounds finish
    assert PeriodicRun.objects.get(job="stopper").outcome == PeriodicRun.Outcome.SUCCEEDED


@pytest.mark.django_db
def test_the_worker_command_reports_what_it_ran():
    import io

    out = io.StringIO()
    call_command("worker", "--burst", stdout=out)
    assert out.getvalue().startswith("Ran ")


@pytest.mark.django_db
def test_the_admin_lists_runs_and_changes_none(client, make_member, burst):
    burst()
    admin = make_member(display_name="Staff Admin")
    type(admin).objects.filter(pk=admin.pk).update(is_staff=True, is_superuser=True)
    client.force_login(admin)
    run = PeriodicRun.objects.first()
    assert run is not None

    assert client.get(reverse("admin:jobs_periodicrun_changelist")).status_code == 200
    assert client.get(reverse("admin:jobs_periodicrun_change", args=[run.pk])).status_code == 200
    assert client.get(reverse("admin:jobs_periodicrun_add")).status_code == 403
    assert client.post(reverse("admin:jobs_periodicrun_delete", args=[run.pk])).status_code == 403
    before = PeriodicRun.objects.get(pk=run.pk)
    client.post(
        reverse("admin:jobs_periodicrun_change", args=[run.pk]),
        {"job": "changed", "outcome": "failed"},
    )
    assert PeriodicRun.objects.get(pk=run.pk).job == before.job


@pytest.mark.django_db
def test_old_finished_tasks_and_run_records_are_pruned(settings):
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from equitime.core.tasks import email_send
    from equitime.jobs.schedule import prune_task_results

    now = timezone.now()
    old, recent, waiting = (
        email_send.enqueue(subject="s", body="b", to=["a@example.org"]).id for _ in range(3)
    )
    DBTaskResult.objects.filter(pk__in=[old, recent]).update(
        status=TaskResultStatus.SUCCESSFUL, finished_at=now - timedelta(days=2)
    )
    DBTaskResult.objects.filter(pk=old).update(finished_at=now - timedelta(days=8))
    PeriodicRun.objects.create(
        job="counted",
        period_start=now - timedelta(days=91),
        worker="w",
        outcome=PeriodicRun.Outcome.SUCCEEDED,
        finished_at=now - timedelta(days=91),
    )
    kept = PeriodicRun.objects.create(job="counted", period_start=now, worker="w")

    summary = prune_task_results(now)

    assert summary == "deleted 1 finished task(s) and 1 periodic run record(s)"
    assert set(DBTaskResult.objects.values_list("pk", flat=True)) == {
        DBTaskResult.objects.get(pk=recent).pk,
        DBTaskResult.objects.get(pk=waiting).pk,
    }
    assert list(PeriodicRun.objects.all()) == [kept]


@pytest.mark.django_db
def test_a_task_whose_worker_died_goes_back_in_the_queue(make_member, burst):
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from equitime.jobs.schedule import requeue_stalled_tasks
    from equitime.notifications.models import Notification
    from equitime.notifications.tasks import notification_email

    member = make_member(display_name="Amina Okafor")
    notification = Notification.objects.create(
        recipient=member, kind=Notification.Kind.EXCHANGE_ACCEPTED, **sample("exchange_accepted")
    )
    now = timezone.now()
    stalled = notification_email.enqueue(notification_id=notification.pk).id
    working = notification_email.enqueue(notification_id=notification.pk).id
    DBTaskResult.objects.filter(pk=stalled).update(
        status=TaskResultStatus.RUNNING, started_at=now - timedelta(minutes=31)
    )
    DBTaskResult.objects.filter(pk=working).update(
        status=TaskResultStatus.RUNNING, started_at=now - timedelta(minutes=29)
    )

    assert requeue_stalled_tasks(now) == "requeued 1 stalled task(s)"
    assert DBTaskResult.objects.get(pk=stalled).status == TaskResultStatus.READY
    assert DBTaskResult.objects.get(pk=working).status == TaskResultStatus.RUNNING

    burst(schedule=())

    notification.refresh_from_db()
    assert notification.emailed_at is not None

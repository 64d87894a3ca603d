"""The worker's tests queue tasks in the database, as production does (the
rest of the suite runs them at once), and count what a broken mail server
refuses."""

from datetime import UTC, datetime

import pytest
from django.core.mail.backends.base import BaseEmailBackend

from equitime.jobs.worker import Worker

# A fixed moment, well inside its periods, so that no test straddles a boundary.
NOON = datetime(2026, 3, 2, 12, 5, tzinfo=UTC)


class RefusingBackend(BaseEmailBackend):
    """A mail server that is down."""

    attempts = 0

    def send_messages(self, email_messages):
        type(self).attempts += 1
        raise ConnectionRefusedError("mail server refused the connection")


@pytest.fixture(autouse=True)
def _database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def mail_server_down(settings):
    RefusingBackend.attempts = 0
    settings.EMAIL_BACKEND = "equitime.jobs.tests.conftest.RefusingBackend"
    return RefusingBackend


@pytest.fixture
def burst():
    """Run a worker once, as `equitime worker --burst` does, at a fixed clock."""

    def run(*, now=NOON, name="worker-a", **kwargs):
        return Worker(interval=0, burst=True, name=name, clock=lambda: now, **kwargs).run_once()

    return run

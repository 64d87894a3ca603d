"""E-mail leaves through the task queue, never inside a request, and a mail
server that is down costs a late e-mail, never the notification."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from equitime.members.services import invitation_send
from equitime.notifications.models import Notification
from equitime.notifications.services import notify

pytestmark = pytest.mark.django_db


@pytest.fixture
def notify_in_a_request(django_capture_on_commit_callbacks):
    """The way a view notifies: in a transaction, the e-mail queued on commit."""

    def run(member):
        with django_capture_on_commit_callbacks(execute=True):
            return notify(
                recipient=member,
                kind=Notification.Kind.EXCHANGE_ACCEPTED,
                params={"name": "Ben", "title": "your exchange"},
            )

    return run


def queued():
    return DBTaskResult.objects.filter(status=TaskResultStatus.READY)


def make_due(task_result):
    """Move a waiting retry's time to now: the clock has passed its back-off."""
    DBTaskResult.objects.filter(pk=task_result.pk).update(run_after=timezone.now())


def test_a_notification_is_queued_not_sent_and_the_worker_sends_it(
    member, notify_in_a_request, burst
):
    notification = notify_in_a_request(member)

    assert mail.outbox == []
    [task] = queued()
    assert task.task_path == "equitime.notifications.tasks.notification_email"
    assert task.args_kwargs["kwargs"] == {"notification_id": notification.pk}

    # Without the periodic jobs: NOON is a Monday, when the weekly digests go too.
    _, tasks = burst(schedule=())

    assert tasks == 1
    [email] = mail.outbox
    assert email.to == [member.email]
    assert email.subject == "Equitime: Ben accepted the exchange: your exchange"
    notification.refresh_from_db()
    assert notification.emailed_at is not None
    assert (notification.email_attempts, notification.email_error) == (1, "")
    assert DBTaskResult.objects.get(pk=task.pk).status == TaskResultStatus.SUCCESSFUL


def test_the_worker_command_in_burst_mode_sends_what_is_queued(member, notify_in_a_request):
    notify_in_a_request(member)

    call_command("worker", "--burst", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert len(mail.outbox) == 1
    assert not queued().exists()


def test_a_task_run_twice_sends_once(member, notify_in_a_request, burst):
    from equitime.notifications.tasks import notification_email

    notification = notify_in_a_request(member)
    burst()
    notification_email.enqueue(notification_id=notification.pk)
    burst()

    assert len(mail.outbox) == 1


def test_a_password_reset_request_queues_its_email(client, member, burst):
    response = client.post(reverse("account_reset_password"), {"email": member.email})

    assert response.status_code == 302
    assert mail.outbox == []
    [task] = queued()
    assert task.task_path == "equitime.core.tasks.email_send"

    burst()

    [email] = mail.outbox
    assert email.to == [member.email]
    assert "/accounts/password/reset/key/" in email.body


def test_a_failed_send_keeps_the_notification_and_retries_with_back_off(
    member, notify_in_a_request, burst, mail_server_down, settings
):
    settings.EQUITIME_EMAIL_ATTEMPTS = 3
    notification = notify_in_a_request(member)
    [first] = queued()

    before = timezone.now()
    burst()

    # The notification is there for the member, with the failure written on it.
    notification.refresh_from_db()
    assert notification.emailed_at is None
    assert notification.email_attempts == 1
    assert "ConnectionRefusedError: mail server refused" in notification.email_error
    failed = DBTaskResult.objects.get(pk=first.pk)
    assert failed.status == TaskResultStatus.FAILED
    assert "ConnectionRefusedError" in failed.traceback
    # Tried again in a minute, not before.
    [retry] = queued()
    assert retry.args_kwargs["kwargs"] == {"notification_id": notification.pk, "attempt": 2}
    assert before + timedelta(minutes=1) <= retry.run_after <= timezone.now() + timedelta(minutes=1)
    assert burst() == (0, 0)
    assert mail_server_down.attempts == 1

    make_due(retry)
    burst()

    # Then in five minutes.
    [third] = queued()
    assert third.args_kwargs["kwargs"]["attempt"] == 3
    assert third.run_after >= timezone.now() + timedelta(minutes=4)
    make_due(third)
    burst()

    # Three attempts was the limit: given up, the error kept, the notification too.
    assert not queued().exists()
    assert mail_server_down.attempts == 3
    notification.refresh_from_db()
    assert notification.email_attempts == 3
    assert notification.emailed_at is None
    assert "ConnectionRefusedError" in notification.email_error
    assert Notification.objects.filter(pk=notification.pk, read_at__isnull=True).exists()


def test_a_send_that_fails_once_goes_out_on_the_retry(
    member, notify_in_a_request, burst, mail_server_down, settings
):
    notification = notify_in_a_request(member)
    burst()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    make_due(queued().get())

    burst()

    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert notification.emailed_at is not None
    assert (notification.email_attempts, notification.email_error) == (2, "")
    assert not queued().exists()


def test_an_invitation_email_is_retried_too(
    make_member, burst, mail_server_down, settings, django_capture_on_commit_callbacks
):
    from django.contrib.auth.models import Permission

    admin = make_member(display_name="Ada Admin")
    admin.user_permissions.add(Permission.objects.get(codename="invite_member"))
    admin = type(admin).objects.get(pk=admin.pk)
    with django_capture_on_commit_callbacks(execute=True):
        invitation_send(email="new.colleague@example.org", by=admin)

    burst()

    assert mail_server_down.attempts == 1
    [retry] = queued()
    assert retry.task_path == "equitime.core.tasks.email_send"
    assert retry.args_kwargs["kwargs"]["attempt"] == 2
    assert retry.args_kwargs["kwargs"]["to"] == ["new.colleague@example.org"]

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    make_due(retry)
    burst()

    [email] = mail.outbox
    assert email.to == ["new.colleague@example.org"]
    assert "/join/" in email.body

"""Trying a background task again later, and the e-mail task every app uses.

django-tasks (0.12) has no retries of its own: a task that should be tried
again enqueues itself once more with ``run_after`` set, carrying the number of
the attempt it will be. The waits grow fivefold: 1, 5, 25, 125 … minutes, until
``EQUITIME_EMAIL_ATTEMPTS`` attempts have been made.

E-mail goes out only from a task, never inside a web request: a slow or
broken mail server then costs a member nothing but a late e-mail.
"""

import logging
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)


def retry_delay(*, attempt: int) -> timedelta:
    """How long to wait after failed attempt number ``attempt`` (1, 2, …)."""
    return timedelta(minutes=5 ** (attempt - 1))


def task_retry(task_, *, attempt: int, now: datetime | None = None, **kwargs) -> datetime | None:
    """Enqueue ``task_`` again for attempt ``attempt + 1`` after the back-off,
    or return None when ``attempt`` was the last one allowed. Returns when
    the next attempt is due."""
    if attempt >= settings.EQUITIME_EMAIL_ATTEMPTS:
        return None
    run_after = (now or timezone.now()) + retry_delay(attempt=attempt)
    if task_.get_backend().supports_defer:
        task_.using(run_after=run_after).enqueue(attempt=attempt + 1, **kwargs)
    else:
        # A backend that cannot wait (the immediate one, in tests) tries at once.
        task_.enqueue(attempt=attempt + 1, **kwargs)
    return run_after


@task()
def email_send(
    *,
    subject: str,
    body: str,
    to: list[str],
    from_email: str | None = None,
    html: str = "",
    headers: dict[str, str] | None = None,
    attempt: int = 1,
) -> str:
    """Send one e-mail that was rendered when it was asked for; on failure,
    try again later and let the failure show in the task's result.

    ``headers``: extra headers, such as the one-click unsubscribe of
    ``core.unsubscribe``."""
    message = EmailMultiAlternatives(
        subject=subject, body=body, from_email=from_email, to=to, headers=headers or None
    )
    if html:
        message.attach_alternative(html, "text/html")
    try:
        message.send()
    except Exception:
        kwargs: dict[str, Any] = {
            "subject": subject,
            "body": body,
            "to": to,
            "from_email": from_email,
            "headers": headers,
        }
        if task_retry(email_send, attempt=attempt, html=html, **kwargs) is None:
            logger.exception("Gave up sending %r to %s after %d attempts", subject, to, attempt)
        raise
    return f"sent to {len(to)} recipient(s)"


def email_enqueue(message: EmailMessage) -> None:
    """Hand a rendered message to the e-mail task (call it after commit)."""
    html = ""
    for content, mimetype in getattr(message, "alternatives", []):
        if mimetype == "text/html":
            html = content
    email_send.enqueue(
        subject=str(message.subject),
        body=str(message.body),
        to=list(message.to),
        from_email=message.from_email,
        html=html,
        headers=dict(message.extra_headers),
    )

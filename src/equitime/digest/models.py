"""The weekly digest: one e-mail a week that gathers what matters to a member.

    Member 1 ──< DigestSend (member, week_start) unique: one per member per week

A digest is built when it is sent or shown (``build``), from a registry of
sections (``sections.SECTIONS``): what waits for the member, new offers in
what they follow, notifications they were not e-mailed, what the community
achieved. Nothing of its content is stored; ``DigestSend`` records only that a
week's digest was decided for a member, and how: ``sent``, or ``empty`` (there
was nothing for them, so nothing was sent).

At most once a week. ``services.digest_send_one`` inserts the member's row for
the week and sends the e-mail in one transaction: the unique constraint lets
one worker through, and a send that fails rolls the row back, so the next run
tries that member again while those already sent are skipped. Sending is the
worker's (``jobs.schedule``: ``send_weekly_digests``), in batches of
``services.BATCH_SIZE`` members per task.

Where this app sits: above scheduling (it reads sessions, exchanges, listings
and notifications) and below dashboard. Campaigns and matching, when they
come, sit below it and add their sections to the registry.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DigestSend(models.Model):
    class Status(models.TextChoices):
        SENT = "sent", _("Sent")
        EMPTY = "empty", _("Nothing to send")

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="digest_sends",
        verbose_name=_("member"),
    )
    # The Monday (UTC) of the week the digest was sent in.
    week_start = models.DateField(_("week starting"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    sections = models.PositiveSmallIntegerField(_("sections"), default=0)
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)

    class Meta:
        verbose_name = _("digest sent")
        verbose_name_plural = _("digests sent")
        ordering = ["-week_start", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "week_start"], name="digest_once_per_member_and_week"
            )
        ]
        indexes = [models.Index(fields=["week_start", "status"])]
        permissions = [("preview_digest", _("Can preview any member's digest"))]

    def __str__(self) -> str:
        return f"Digest of {self.member_id} for {self.week_start}: {self.status}"

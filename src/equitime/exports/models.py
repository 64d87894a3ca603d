"""Operators' exports: the community's data as CSV files, made in the background.

    Export ──> requested_by (Member: a community administrator, or staff)
       │       kind      members | organisations | listings | exchanges | transfers
       │                 | journal (the ledger as double-entry journal entries)
       │                 | trial_balance (each account's debits, credits and balance)
       │       status    queued ──> running ──> done | failed
       └── file_name     a random name under EQUITIME_EXPORTS_DIR, set when done

A request writes the row and queues a task (``tasks.export_run``) that streams
the rows into the file, saving ``rows_done`` every ``PROGRESS_EVERY`` rows so
the page and the API show progress. Every export expires ``exports_days``
after it was asked for (``EQUITIME_RETENTION``): the daily retention run
deletes its file and its row (``retention``). Requests and downloads are
audited; the audit log keeps them after the row is gone.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Export(models.Model):
    class Kind(models.TextChoices):
        MEMBERS = "members", _("Members")
        ORGANISATIONS = "organisations", _("Organisations")
        LISTINGS = "listings", _("Offers and requests")
        EXCHANGES = "exchanges", _("Exchanges")
        TRANSFERS = "transfers", _("Ledger transfers")
        JOURNAL = "journal", _("Ledger journal (double entry)")
        TRIAL_BALANCE = "trial_balance", _("Trial balance")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    # An operator record: erasure turns the member into "Former member", the row stays.
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("asked for by"),
    )
    requested_at = models.DateTimeField(_("asked for"), default=timezone.now, db_index=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    rows_done = models.PositiveIntegerField(_("rows written"), default=0)
    # Counted when the task starts; NULL until then.
    rows_total = models.PositiveIntegerField(_("rows in all"), null=True, blank=True)
    file_name = models.CharField(_("file"), max_length=64, blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), null=True, blank=True)
    error = models.CharField(_("what went wrong"), max_length=500, blank=True)
    expires_at = models.DateTimeField(_("expires"), db_index=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-requested_at", "-id"]
        permissions = [("export_data", _("Can export the community's data as CSV"))]
        constraints = [
            # A finished export names its file; nothing else does.
            models.CheckConstraint(
                condition=Q(status="done", finished_at__isnull=False) & ~Q(file_name="")
                | ~Q(status="done") & Q(file_name=""),
                name="export_file_when_done",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(100, self.rows_done * 100 // self.rows_total)

"""Coordination: coordinators who act for members who cannot use the site.

    Member (coordinator) 1 ──< Consent >── 1 Member (the member acted for)
                                  │
                                  └── how it was given (in person, phone, paper form), a note,
                                      recorded_at, withdrawn_at / withdrawn_by

Many colleagues in care work without regular computer access. A coordinator
(the ``members.act_for_member`` permission, ``members.roles.COORDINATOR``)
may post listings and make exchange moves for such a member, but only while
the member's consent to that coordinator is on record here: a row with no
``withdrawn_at``. The coordinator records it, saying how it was given; the
member sees it under "Who may act for me" and may withdraw it at any time, as
may the coordinator. A withdrawn row stays, so the record of who could act
for whom, and when, is kept.

What a coordinator does for a member is the member's own move, made by the
ordinary services (listings, exchanges) with ``recorded_by`` set to the
coordinator: credits move only as they always do. Every act, and every
consent given or withdrawn, writes an audit row, and the member is told.
Nobody acts for themselves (a CHECK), nor for a member in an exchange where
they are the other party, nor for both parties of one exchange
(``services.coordinator_check_exchange``).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Consent(models.Model):
    class Method(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        PHONE = "phone", _("By phone")
        PAPER = "paper", _("On a paper form")

    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="consents_held",
        verbose_name=_("coordinator"),
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="consents_given",
        verbose_name=_("member"),
    )
    method = models.CharField(_("how consent was given"), max_length=10, choices=Method.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("withdrawn by"),
    )

    class Meta:
        verbose_name = _("consent to a coordinator")
        verbose_name_plural = _("consents to coordinators")
        ordering = ["-recorded_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(coordinator=F("member")), name="consent_not_for_oneself"
            ),
            # One standing consent per coordinator and member; withdrawn ones stay as history.
            models.UniqueConstraint(
                fields=["coordinator", "member"],
                condition=Q(withdrawn_at__isnull=True),
                name="consent_one_standing",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True, withdrawn_by__isnull=True)
                | Q(withdrawn_at__isnull=False),
                name="consent_withdrawn_when_stamped",
            ),
        ]
        indexes = [models.Index(fields=["member", "withdrawn_at"], name="consent_by_member")]

    def __str__(self) -> str:
        return f"Consent {self.pk}: member {self.member_id} to coordinator {self.coordinator_id}"

    @property
    def is_standing(self) -> bool:
        return self.withdrawn_at is None

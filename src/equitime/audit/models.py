"""The audit log: an append-only record of sensitive actions.

    AuditEntry ──> actor (Member, or NULL for the system or an anonymous visitor)

One row per sensitive action: role changes, moderation decisions, ledger
reversals and adjustments (with who keyed them), data exports and erasures,
sign-in failures, and what coordinators record for members (consent given
or withdrawn, and each act done for a member), operators' exports asked
for and downloaded, and organisation leads appointed and removed. Rows are only ever inserted,
by ``services.audit_record``; nothing updates or deletes them, and the admin shows them read-only.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    class Action(models.TextChoices):
        ROLE_CHANGED = "role_changed", _("Role changed")
        DISPUTE_RESOLVED = "dispute_resolved", _("Dispute resolved")
        LEDGER_REVERSAL = "ledger_reversal", _("Ledger reversal")
        LEDGER_ADJUSTMENT = "ledger_adjustment", _("Ledger adjustment")
        DATA_EXPORTED = "data_exported", _("Data exported")
        MEMBER_ERASED = "member_erased", _("Member erased")
        SIGN_IN_FAILED = "sign_in_failed", _("Sign-in failed")
        MEMBER_SUSPENDED = "member_suspended", _("Member suspended")
        MEMBER_REINSTATED = "member_reinstated", _("Member reinstated")
        INVITATION_SENT = "invitation_sent", _("Invitation sent")
        INVITATION_WITHDRAWN = "invitation_withdrawn", _("Invitation withdrawn")
        MODERATION_DECISION = "moderation_decision", _("Moderation decision")
        MFA_CHANGED = "mfa_changed", _("Multi-factor authentication changed")
        EMAIL_CHANGED = "email_changed", _("E-mail address changed")
        MESSAGES_PURGED = "messages_purged", _("Old messages deleted")
        SETTINGS_CHANGED = "settings_changed", _("Community settings changed")
        CAMPAIGN_CHANGED = "campaign_changed", _("Campaign created or changed")
        CONSENT_RECORDED = "consent_recorded", _("Consent to a coordinator recorded")
        CONSENT_WITHDRAWN = "consent_withdrawn", _("Consent to a coordinator withdrawn")
        ACTED_FOR_MEMBER = "acted_for_member", _("A coordinator acted for a member")
        EXPORT_REQUESTED = "export_requested", _("Operators' export asked for")
        EXPORT_DOWNLOADED = "export_downloaded", _("Operators' export downloaded")
        LEAD_APPOINTED = "lead_appointed", _("Organisation lead appointed")
        LEAD_REMOVED = "lead_removed", _("Organisation lead removed")

    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("who"),
    )
    action = models.CharField(_("action"), max_length=30, choices=Action.choices, db_index=True)
    target = models.CharField(_("on what"), max_length=100, blank=True)
    summary = models.CharField(_("summary"), max_length=300)
    data = models.JSONField(_("details"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.get_action_display()}: {self.summary}"

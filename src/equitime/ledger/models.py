"""The hour ledger: double entry in integer minutes.

    Account ──< Transfer (debit_account)       one row per movement, never edited
    Account ──< Transfer (credit_account)

    hold (state=pending) ──1── resolution (state=posted | voided, pending=hold)
    posted transfer       ──1── reversal  (kind=reversal, reverses=transfer)

A ``Transfer`` moves ``amount`` minutes from its debit account to its credit
account. Rows are immutable. A two-phase movement is two rows: the *hold*
(``state=pending``) and its *resolution* (``posted`` for the amount finally
agreed, or ``voided``), which points back at the hold through the unique
``pending`` column, so a hold is resolved at most once. A mistake is undone by
a *reversal* pointing back through the unique ``reverses`` column, so a
transfer is reversed at most once.

The database holds to this too: triggers (migration 0004) refuse any UPDATE
or DELETE of a transfer and any DELETE of an account, however it is sent;
only a reset of the whole database gets past (``reset``).

Each ``Account`` keeps running totals (posted and pending, debits and
credits), changed only by ``services`` in the same transaction as the
transfer, under a row lock. From them:

    balance   = posted_credits - posted_debits
    held      = pending_debits
    available = balance - held           (never below ``floor``: a CHECK)

When a member leaves, a *closing* transfer moves what they hold to the pool
and the account is marked closed. Every member has one account; the
community pool is a system account with no floor that funds welcome gifts,
so it runs negative by exactly the credits in circulation and all balances
sum to zero.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

POOL_CODE = "pool"


class Account(models.Model):
    class Kind(models.TextChoices):
        MEMBER = "member", _("Member")
        SYSTEM = "system", _("System")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    # System accounts are found by code ("pool"); member accounts by member.
    code = models.CharField(_("code"), max_length=30, unique=True, null=True, blank=True)
    member = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="account",
        null=True,
        blank=True,
        verbose_name=_("member"),
    )
    name = models.CharField(_("name"), max_length=100)
    # Limits on `available`, in minutes; NULL means no limit.
    floor = models.BigIntegerField(_("floor (minutes)"), null=True, blank=True)
    ceiling = models.BigIntegerField(_("ceiling (minutes)"), null=True, blank=True)
    posted_debits = models.BigIntegerField(_("posted debits"), default=0)
    posted_credits = models.BigIntegerField(_("posted credits"), default=0)
    pending_debits = models.BigIntegerField(_("pending debits"), default=0)
    pending_credits = models.BigIntegerField(_("pending credits"), default=0)
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    # A closed account takes part in no new transfer; its history stays.
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="member", member__isnull=False, code__isnull=True)
                | Q(kind="system", member__isnull=True, code__isnull=False),
                name="account_kind_matches_owner",
            ),
            models.CheckConstraint(
                condition=Q(posted_debits__gte=0)
                & Q(posted_credits__gte=0)
                & Q(pending_debits__gte=0)
                & Q(pending_credits__gte=0),
                name="account_totals_not_negative",
            ),
            # The backstop: no code path, not even a bug, can overdraw.
            models.CheckConstraint(
                condition=Q(floor__isnull=True)
                | Q(floor__lte=F("posted_credits") - F("posted_debits") - F("pending_debits")),
                name="account_available_at_or_above_floor",
            ),
            models.CheckConstraint(
                condition=Q(ceiling__isnull=True)
                | Q(ceiling__gte=F("posted_credits") - F("posted_debits") + F("pending_credits")),
                name="account_incoming_at_or_below_ceiling",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def balance(self) -> int:
        return self.posted_credits - self.posted_debits

    @property
    def held(self) -> int:
        return self.pending_debits

    @property
    def available(self) -> int:
        return self.posted_credits - self.posted_debits - self.pending_debits

    @property
    def incoming(self) -> int:
        return self.pending_credits


class Transfer(models.Model):
    class Kind(models.TextChoices):
        WELCOME_GIFT = "welcome_gift", _("Welcome gift")
        EXCHANGE = "exchange", _("Exchange")
        BONUS = "bonus", _("Bonus")
        DONATION = "donation", _("Donation")
        ADJUSTMENT = "adjustment", _("Adjustment")
        REVERSAL = "reversal", _("Reversal")
        CLOSING = "closing", _("Account closed")
        GROUP_SESSION = "group_session", _("Group session")

    class State(models.TextChoices):
        PENDING = "pending", _("Held")
        POSTED = "posted", _("Posted")
        VOIDED = "voided", _("Voided")

    key = models.CharField(_("idempotency key"), max_length=128, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    state = models.CharField(_("state"), max_length=10, choices=State.choices)
    debit_account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="debits", verbose_name=_("from")
    )
    credit_account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="credits", verbose_name=_("to")
    )
    amount = models.BigIntegerField(_("minutes"))
    pending = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        related_name="resolution",
        null=True,
        blank=True,
        verbose_name=_("hold resolved"),
    )
    reverses = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        related_name="reversal",
        null=True,
        blank=True,
        verbose_name=_("reverses"),
    )
    initiated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("initiated by"),
    )
    memo = models.CharField(_("memo"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="transfer_amount_positive"),
            models.CheckConstraint(
                condition=~Q(debit_account=F("credit_account")),
                name="transfer_accounts_differ",
            ),
            models.CheckConstraint(
                condition=Q(state="pending", pending__isnull=True, reverses__isnull=True)
                | Q(state="posted")
                | Q(state="voided", pending__isnull=False, reverses__isnull=True),
                name="transfer_state_shape",
            ),
            # A reversal is a posted transfer that names what it reverses; nothing else is.
            models.CheckConstraint(
                condition=(Q(reverses__isnull=True) & ~Q(kind="reversal"))
                | Q(reverses__isnull=False, kind="reversal", state="posted", pending__isnull=True),
                name="transfer_reversal_shape",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount} min ({self.get_state_display()})"

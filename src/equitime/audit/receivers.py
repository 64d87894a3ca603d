"""Sign-in failures reach the audit log through Django's own auth signal,
the one hook ``authenticate()`` offers; changes to two-factor authentication
and to e-mail addresses through allauth's signals, for the same reason; and
corrections of the books through the ledger's signals, since the ledger
imports nothing above it (it sends them inside its transaction, so each entry
commits or rolls back with its movement)."""

from allauth.account import signals as account_signals
from allauth.mfa import signals as mfa_signals
from allauth.mfa.models import Authenticator
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver

from equitime.audit.models import AuditEntry
from equitime.audit.services import audit_record, client_ip
from equitime.ledger import signals as ledger_signals


@receiver(user_login_failed, dispatch_uid="equitime.audit.sign_in_failed")
def record_sign_in_failure(sender, credentials, request=None, **kwargs):
    # The address tried is kept (it may be a typo of a real one); never the password.
    login = str(credentials.get("email") or credentials.get("username") or "")[:254]
    audit_record(
        action=AuditEntry.Action.SIGN_IN_FAILED,
        summary=f"Failed sign-in for {login or 'an empty address'}",
        data={"login": login},
        ip_address=client_ip(request),
    )


# --- Two-factor authentication and e-mail addresses -----------------------------
# allauth changes these itself, on its own pages; its signals are the hooks it
# offers. Each receiver only records what happened. Activating TOTP and
# generating recovery codes signal after commit, so those entries are written
# just after the change rather than in its transaction.

_MFA_VERBS = {
    "authenticator_added": "added",
    "authenticator_removed": "removed",
    "authenticator_reset": "regenerated",
}


def _record_mfa_change(event: str, request, user, authenticator) -> None:
    kind = str(authenticator.type)
    label = str(Authenticator.Type(kind).label) if kind in Authenticator.Type.values else kind
    audit_record(
        action=AuditEntry.Action.MFA_CHANGED,
        summary=f"{label} {_MFA_VERBS[event]} for {user.email}",
        actor=user,
        target=user,
        data={"event": event, "type": kind},
        ip_address=client_ip(request),
    )


@receiver(mfa_signals.authenticator_added, dispatch_uid="equitime.audit.mfa_added")
def record_authenticator_added(sender, request, user, authenticator, **kwargs):
    _record_mfa_change("authenticator_added", request, user, authenticator)


@receiver(mfa_signals.authenticator_removed, dispatch_uid="equitime.audit.mfa_removed")
def record_authenticator_removed(sender, request, user, authenticator, **kwargs):
    _record_mfa_change("authenticator_removed", request, user, authenticator)


@receiver(mfa_signals.authenticator_reset, dispatch_uid="equitime.audit.mfa_reset")
def record_authenticator_reset(sender, request, user, authenticator, **kwargs):
    _record_mfa_change("authenticator_reset", request, user, authenticator)


def _record_email_change(request, email_address, event: str, summary: str, **data) -> None:
    # The address's owner, not request.user: allauth also sends email_added
    # when a link confirms a new address, and the visitor need not be signed in.
    member = email_address.user
    audit_record(
        action=AuditEntry.Action.EMAIL_CHANGED,
        summary=f"{member.email}: {summary}",
        actor=member,
        target=member,
        data={"event": event, **data},
        ip_address=client_ip(request),
    )


@receiver(account_signals.email_added, dispatch_uid="equitime.audit.email_added")
def record_email_added(sender, request, email_address, **kwargs):
    address = email_address.email
    _record_email_change(request, email_address, "added", f"added {address}", email=address)


@receiver(account_signals.email_removed, dispatch_uid="equitime.audit.email_removed")
def record_email_removed(sender, request, email_address, **kwargs):
    address = email_address.email
    _record_email_change(request, email_address, "removed", f"removed {address}", email=address)


@receiver(account_signals.email_changed, dispatch_uid="equitime.audit.email_changed")
def record_primary_email_changed(sender, request, from_email_address, to_email_address, **kwargs):
    before = from_email_address.email if from_email_address is not None else ""
    after = to_email_address.email
    _record_email_change(
        request,
        to_email_address,
        "primary_changed",
        f"primary address changed from {before or 'none'} to {after}",
        before=before,
        after=after,
    )


# --- Corrections of the books -------------------------------------------------------


@receiver(ledger_signals.adjustment_recorded, dispatch_uid="equitime.audit.ledger_adjustment")
def record_ledger_adjustment(
    sender, adjustment, debit_account, credit_account, initiated_by, memo, **kwargs
):
    audit_record(
        action=AuditEntry.Action.LEDGER_ADJUSTMENT,
        actor=initiated_by,
        target=adjustment,
        summary=f"Adjustment of {adjustment.amount} min from {debit_account} to {credit_account}",
        data={"memo": memo},
    )


@receiver(ledger_signals.transfer_reversed, dispatch_uid="equitime.audit.ledger_reversal")
def record_ledger_reversal(sender, transfer, reversal, initiated_by, memo, **kwargs):
    audit_record(
        action=AuditEntry.Action.LEDGER_REVERSAL,
        actor=initiated_by,
        target=transfer,
        summary=f"Reversed transfer {transfer.pk} ({reversal.amount} min)",
        data={"reversal": reversal.pk, "memo": memo},
    )

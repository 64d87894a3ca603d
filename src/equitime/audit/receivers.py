"""Sign-in failures reach the audit log through Django's own auth signal,
the one hook ``authenticate()`` offers."""

from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver

from equitime.audit.models import AuditEntry
from equitime.audit.services import audit_record, client_ip


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

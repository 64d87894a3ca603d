"""Writing to the audit log: the only writer, insert-only."""

from django.db import models

from equitime.audit.models import AuditEntry


def _target(obj: models.Model | None) -> str:
    if obj is None:
        return ""
    return f"{obj._meta.label_lower}:{obj.pk}"


def audit_record(
    *,
    action: str,
    summary: str,
    actor=None,
    target: models.Model | None = None,
    data: dict | None = None,
    ip_address: str | None = None,
) -> AuditEntry:
    """Append one entry, in the caller's transaction: if the action rolls
    back, so does its record."""
    return AuditEntry.objects.create(
        action=action,
        summary=summary[:300],
        actor=actor if actor is not None and actor.pk else None,
        target=_target(target),
        data=data or {},
        ip_address=ip_address,
    )


def client_ip(request) -> str | None:
    """The caller's address as the server saw it (behind a proxy, configure
    the proxy to set REMOTE_ADDR; X-Forwarded-For is not trusted here)."""
    return request.META.get("REMOTE_ADDR") or None if request is not None else None

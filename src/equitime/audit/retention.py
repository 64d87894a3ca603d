"""How long the audit log keeps IP addresses (``EQUITIME_RETENTION["audit_ip_days"]``).

An IP address helps look into a sign-in attack or a disputed data download
for a while; after that it is personal data kept for no purpose. The entry
itself (who did what, when) is kept: this is the one update the append-only
log allows, and it only ever removes.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet

from equitime.audit.models import AuditEntry
from equitime.core.retention import retention_cutoff


def audit_ip_addresses_expired(*, now: datetime | None = None) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(
        ip_address__isnull=False, created_at__lt=retention_cutoff("audit_ip", now=now)
    )


def audit_ip_addresses_blank(*, now: datetime | None = None) -> int:
    """Blank the IP address of entries past retention; return how many."""
    return audit_ip_addresses_expired(now=now).update(ip_address=None)

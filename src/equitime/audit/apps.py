from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "equitime.audit"
    label = "audit"
    verbose_name = "Audit log"

    def ready(self):
        from equitime.audit import receivers  # noqa: F401  (sign-in failures, ledger corrections)

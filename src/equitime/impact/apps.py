from django.apps import AppConfig

# The menu's mark for an organisation lead (``members.roles.NAV_MARKS``).
NAV_LEAD = "impact.lead"


class ImpactConfig(AppConfig):
    name = "equitime.impact"
    label = "impact"
    verbose_name = "Impact"

    def ready(self) -> None:
        # Leading an organisation is a row here, not a permission: the menu's
        # cached set (members, below this app) asks through its port.
        from equitime.impact.access import leads_anything
        from equitime.members.roles import nav_mark_register

        nav_mark_register(NAV_LEAD, leads_anything)

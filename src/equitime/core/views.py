from datetime import date

from django.conf import settings
from django.shortcuts import render
from django.views.decorators.http import require_safe

# When the service was last checked for accessibility (the axe-core scan of
# every page in browser_tests/test_accessibility.py, and the keyboard checks).
# Change it when the checks are run again; the statement shows it.
ACCESSIBILITY_LAST_TESTED = date(2026, 12, 6)
ACCESSIBILITY_STATEMENT_PREPARED = date(2026, 12, 6)


@require_safe
def accessibility_statement(request):
    """The accessibility statement, in the form UK public-sector bodies publish
    (GOV.UK's model statement), as the Public Sector Bodies Accessibility
    Regulations 2018 ask of a service used by NHS and council staff."""
    return render(
        request,
        "core/accessibility.html",
        {
            "contact_email": settings.EQUITIME_CONTACT_EMAIL or settings.EQUITIME_DPO_EMAIL,
            "operator": settings.EQUITIME_DATA_CONTROLLER_NAME,
            "last_tested": ACCESSIBILITY_LAST_TESTED,
            "prepared": ACCESSIBILITY_STATEMENT_PREPARED,
        },
    )

"""The profile page's panel for appointing an organisation lead: the profile
(dashboard, above this app) loads it as a tag, so it imports nothing of ours."""

from typing import Any

from django import template

from equitime.impact import leads
from equitime.impact.access import leads_standing

register = template.Library()


@register.inclusion_tag("impact/leads_profile_panel.html", takes_context=True)
def organisation_lead_panel(context: dict[str, Any], member) -> dict[str, Any]:
    """What an administrator sees of ``member``'s appointments, and may change."""
    request = context.get("request")
    viewer = getattr(request, "user", None)
    may_appoint = bool(viewer and viewer.has_perm(leads.APPOINT))
    may_remove = bool(viewer and viewer.has_perm(leads.REMOVE))
    if not (may_appoint or may_remove):
        return {"shown": False}
    appointments = list(leads.leads_listed().filter(member=member))
    standing = (
        set(leads_standing().filter(member=member).values_list("pk", flat=True))
        if appointments
        else set()
    )
    profile = getattr(member, "profile", None)
    works_at = profile.organisation if profile is not None else None
    return {
        "shown": True,
        "member": member,
        "appointments": appointments,
        "standing": standing,
        "works_at": works_at,
        "leads_there": any(
            lead.organisation_id == getattr(works_at, "pk", None) for lead in appointments
        ),
        "may_appoint": may_appoint and viewer is not None and viewer.pk != member.pk,
        "may_remove": may_remove,
        "csrf_token": context.get("csrf_token"),
        "request": request,
    }

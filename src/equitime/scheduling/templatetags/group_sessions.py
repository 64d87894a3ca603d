"""``{% upcoming_group_sessions %}``: the group sessions coming up that match
the browse page's filters, for the listings' browse page (listings cannot
import scheduling; its template asks this tag instead). One query."""

from typing import Any

from django import template
from django.http import HttpRequest

from equitime.scheduling.group_selectors import free_places, group_sessions_upcoming

register = template.Library()

SHOWN = 3


@register.inclusion_tag("scheduling/_browse_group_sessions.html", takes_context=True)
def upcoming_group_sessions(context: dict[str, Any]) -> dict[str, Any]:
    request: HttpRequest | None = context.get("request")
    query = request.GET if request is not None else {}
    if query.get("kind") == "request":  # group sessions are offers
        return {"sessions": []}
    sessions = list(
        group_sessions_upcoming(
            area=str(query.get("area", ""))[:100], q=str(query.get("q", ""))[:200].strip()
        )[:SHOWN]
    )
    for session in sessions:
        session.free = free_places(session)  # type: ignore[attr-defined]  # for the template
    return {"sessions": sessions, "area": query.get("area", "")}
